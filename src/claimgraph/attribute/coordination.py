"""A second saying coordinated with the first: "X said that A and urged B".

spaCy's small parser usually hangs the second verb ("urged") on the last verb of the first
content ("A"), not on "said". The taggers then read "A and urged B" as X's content and the second
relation as nested inside it: a chain X <- X, or, when they take the inner verb's subject for the
speaker, a wrong origin ("It warned that heavy rain could change the picture and asked farmers
..." gave "heavy rain" as the one who asked).  Here such a pair becomes two sibling relations:

- the first content ends before the "and" that joins the two sayings;
- the second keeps its source when it is the first relation's or could have spoken (a person, a
  group, an organisation: "The agency said gunmen stormed the hotel and demanded a ransom" keeps
  the gunmen); a source that cannot speak ("heavy rain", "one of its air strikes") is replaced by
  the first relation's source.

The claims cut the first content only where the second saying is a claim of its own. Cutting it
everywhere made one Ghouta incident of FA-KES (9 articles) fall into two trails of 5 and 4 (pipeline
trails F1 0.379 -> 0.338): a bridging claim lost the words the other reports shared, because its
second saying was an appeal ("called on Damascus to give inspectors access"), which is no claim, so
those words were in no claim at all. With the cut kept to claims, trails F1 is 0.375. The scorer's
output (:func:`.scorer_output.doc_relations`) always cuts: PolNeAR ends a content there (relation F1@0.3
+0.1 on dev and both held-out train slices; exact content +7 and +14 on dev and the second slice).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from .lexicon import SPEAKER_NOUNS
from .rules import _inside, _overlap, char_spans
from .sources import tokens_in
from .voice import cue_token

_R = TypeVar("_R", bound=Any)  # a rules Relation or a model SpanRelation: spans and dataclasses both
SPEAKER_ENTITIES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
# Endings of nouns for people who act ("raider", "gunman", "insurgent", "activist"). Generous on
# purpose: a noun wrongly taken for a speaker only leaves the relation as the model read it.
AGENT_ENDINGS = ("er", "or", "ist", "ian", "man", "men", "ant", "ent", "ary", "ee", "ess")
# "one of its air strikes": the speaker, if any, is the noun after "of"
PARTITIVES = frozenset("one some many most all none several few each any both two three".split())


def can_speak(tok: Any) -> bool:
    """Whether the head noun ``tok`` of a subject names someone who can say something."""
    if tok.lemma_.lower() in PARTITIVES or tok.pos_ == "NUM":
        of = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
        objs = [g for c in of for g in c.children if g.dep_ == "pobj"]
        if objs:
            tok = objs[0]
    if tok.pos_ in ("PRON", "PROPN") or tok.ent_type_ in SPEAKER_ENTITIES:
        return True
    lemma = tok.lemma_.lower()
    return lemma in SPEAKER_NOUNS or lemma.endswith(AGENT_ENDINGS)


def split_coordinated(doc: Any, rels: Sequence[_R], cut: bool | Callable[[Any], bool] = True) -> list[_R]:
    """``rels`` with each coordinated pair made siblings (see the module docstring); the rest as
    given.  ``cut=False`` only mends the second source and leaves the first content whole; a
    function cuts only where it holds for the second relation (the claims cut only where the second
    saying is a claim of its own, so no words are lost: see
    :func:`claimgraph.attribute.relations_for_doc`)."""
    out = list(rels)
    for k, inner in enumerate(out):
        verb = cue_token(doc, inner)
        if verb is None or verb.dep_ != "conj" or any(c.dep_ in SUBJECTS for c in verb.children):
            continue
        cc = [c for c in verb.head.children if c.dep_ == "cc" and c.i < verb.i]
        outer_k = next((j for j, r in enumerate(out) if j != k and r.source and _inside(verb, r.content)
                        and _inside(verb.head, r.content) and not _inside(verb, r.cue)), None)
        if not cc or outer_k is None:
            continue
        outer = out[outer_k]
        if not inner.source or not _overlap(inner.source, outer.source):
            # the other reading: the second verb shares the first content's subject
            subject = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subject and (can_speak(subject[0]) or (
                    inner.source and not _overlap(inner.source, char_spans(subject[0].subtree)))):
                continue  # "... gunmen stormed the hotel and demanded a ransom": theirs
            out[k] = inner = replace(inner, source=outer.source)
        if not (cut(inner) if callable(cut) else cut):
            continue
        kept = [t for t in tokens_in(doc, outer.content) if t.i < cc[-1].i]
        if kept:
            out[outer_k] = replace(outer, content=char_spans(kept))
    return out


__all__ = ["can_speak", "split_coordinated"]
