"""Sources that point back at a source named earlier: "he said", "they added", "the agency reported".

News prose names a speaker once and then continues with a pronoun or a bare kind noun. The rule
here is deliberately small: such a source stands for the nearest preceding source of the article
that fits it — a person for "he"/"she", a singular body for "it", a plural party for "they", and
for "the agency" / "the ministry" a source whose own name holds that noun ("the Kestrel News
Agency"). Nothing fits: the source is left as it is (the resolve stage may still tie a kind noun to
a registry entry named before).

The words stay as written (``text`` and spans are the pronoun's, so highlighting shows what the
article says); what they stand for goes where a resolved source keeps it: ``name`` (and the kind).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..models import EntityRef
from .lexicon import PERSON_NOUNS
from .rules import char_spans, sent_of
from .sources import entity_ref

_PERSON_PRONOUNS = frozenset("he she".split())
_PLURAL_PRONOUNS = frozenset("they".split())
_BODY_PRONOUNS = frozenset("it".split())
# Kind nouns that continue a named body: "the agency said" after "the Kestrel News Agency said".
_KIND_NOUNS = frozenset(
    """agency ministry monitor observatory group organization organisation army military command
    coalition committee council office department network channel newspaper broadcaster
    station government authority authorities watchdog""".split()
)
# Words a report uses for one monitoring body by turns: "the Syrian Observatory ... the monitor
# ... the Britain-based monitoring group". A "group" is of this family only when it is monitoring
# ("the rebel group" is not the observatory named before).
_MONITOR_NOUNS = frozenset("monitor observatory watchdog".split())
_BODY_KINDS = frozenset("outlet government organization named".split())
# Plural parties "they" may continue; "the media" and "reports" name nobody to continue.
_PLURAL_KINDS = frozenset("outlet_group government organization group anonymous person named".split())


@dataclass(frozen=True)
class _Seen:
    ref: EntityRef
    sorts: frozenset[str]  # "person", "body", "plural"
    words: frozenset[str]  # lower-cased words of the name and of its acronym's long form


def _sorts(ref: EntityRef, toks: Sequence[Any]) -> frozenset[str]:
    # A capital letter on a word that carries the name, not "The" or a sentence's first word
    # ("the ministry", tagged ORG, is a kind noun and refers back itself).
    named = any(t.pos_ == "PROPN" or (t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") and t.is_title
                                      and t.pos_ != "DET" and t.i != sent_of(t).start) for t in toks)
    ids = {t.i for t in toks}
    heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    head = heads[-1] if heads else None
    plural = head is not None and head.tag_ in ("NNS", "NNPS")
    out: set[str] = set()
    if plural and ref.kind in _PLURAL_KINDS:
        out.add("plural")
    if named and not plural:
        # "Foreign Ministry spokesman Igor Konashenkov" is typed a government source, and is a "he".
        if ref.kind == "person" or any(t.ent_type_ == "PERSON" for t in toks) or any(
                str(t.lemma_).lower() in PERSON_NOUNS for t in toks):
            out.add("person")
        elif ref.kind in _BODY_KINDS:
            out.add("body")
        if ref.kind == "named":
            out.add("person")  # a bare name the recogniser left untyped ("Vellucci") may be either
    return frozenset(out)


def _kind_noun(ref: EntityRef, toks: Sequence[Any]) -> str | None:
    """The noun of a source named by its kind alone ("the agency", "The ministry"), else None."""
    words = [t for t in toks if not t.is_punct and t.pos_ != "DET"]
    if len(words) != 1 or words[0].pos_ != "NOUN":
        return None
    lemma = str(words[0].lemma_).lower()
    return lemma if lemma in _KIND_NOUNS else None


def _kin(noun: str, head: Any | None = None) -> frozenset[str]:
    """The words a body's name may hold for a kind noun: the noun, or for a monitor the family's."""
    if noun in _MONITOR_NOUNS or (head is not None and noun in ("group", "body", "organization", "organisation")
                                  and any(str(c.lemma_).lower() == "monitor" or c.text.lower() == "monitoring"
                                          for c in head.children if c.dep_ in ("amod", "compound"))):
        return _MONITOR_NOUNS | {noun}
    return frozenset({noun})


def _last_subject(tok: Any) -> Any | None:
    """The subject of the sentence before ``tok``'s when ``tok`` is a subject itself and that one is
    a body named by a singular kind noun ("The coalition has ..."); else None."""
    sent = sent_of(tok)
    if sent.start == 0 or tok.dep_ not in ("nsubj", "nsubjpass"):
        return None
    before = sent_of(tok.doc[sent.start - 1])
    subjects = [c for c in before.root.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or subjects[0].tag_ != "NN" or str(subjects[0].lemma_).lower() not in _KIND_NOUNS:
        return None
    return subjects[0]


@dataclass
class Referents:
    """The sources named so far in one article, in text order, and the rule that ties a pronoun or
    kind noun to the nearest that fits. One instance per article."""

    acronyms: dict[str, str] = field(default_factory=dict)
    seen: list[_Seen] = field(default_factory=list)

    def resolve(self, source: EntityRef, toks: Sequence[Any]) -> EntityRef:
        """``source`` with ``name`` and kind of the source it refers back to, when it is a pronoun or
        a kind noun and one fits; a named source is remembered for those that follow."""
        if not source.text or not toks:
            return source
        low = source.text.lower()
        want: str | None = None
        noun = None
        if low in _PERSON_PRONOUNS:
            want = "person"
        elif low in _BODY_PRONOUNS:
            want = "body"
        elif low in _PLURAL_PRONOUNS:
            want = "plural"
        else:
            noun = _kind_noun(source, toks)
        if want is None and noun is None:
            self._remember(source, toks)
            return source
        if want == "body" and (subject := _last_subject(toks[0])) is not None:
            return self._follow(source, subject)
        kin = _kin(noun) if noun is not None else frozenset()
        for prev in reversed(self.seen):
            # A kind noun needs a name around it: "the ministry" after "the ministry" adds nothing,
            # and the resolve stage may still tie both to the registry entry named before.
            if (want is not None and want in prev.sorts) or (
                    kin and kin & prev.words and prev.words - kin - {"the"}):
                return replace(source, name=prev.ref.name or prev.ref.text, kind=prev.ref.kind)
        return source

    def _follow(self, source: EntityRef, subject: Any) -> EntityRef:
        """An "it" after a sentence about a body named by its kind ("The coalition has acknowledged
        casualties before. In August it admitted ..."): that body, not the last source named further
        up. Its name is a named source's that holds the kind noun, else the subject's own name
        ("Syria's official SANA agency"), else none (its spokesman is not the coalition)."""
        kin = _kin(str(subject.lemma_).lower(), subject)
        for prev in reversed(self.seen):
            if "body" in prev.sorts and kin & prev.words:
                return replace(source, name=prev.ref.name or prev.ref.text, kind=prev.ref.kind)
        phrase = [t for t in subject.subtree if t.i <= subject.i]
        if any(t.pos_ == "PROPN" for t in phrase):
            own = entity_ref(subject.doc, char_spans(phrase), self.acronyms)
            return replace(source, name=own.name or own.text, kind=own.kind)
        return source

    def _remember(self, source: EntityRef, toks: Sequence[Any]) -> None:
        sorts = _sorts(source, toks)
        if not sorts:
            return
        words = {w.lower() for t in toks for w in self.acronyms.get(t.text, t.text).replace("-", " ").split()}
        self.seen.append(_Seen(source, sorts, frozenset(words)))
