"""Naming and typing the parties of a claim (source, channel, chain links) from their tokens.

Typing happens before the registry is consulted, so it relies on the words themselves: the head
noun ("sources" -> anonymous, "activists" -> group), a descriptor before a name ("media outlet
Sputnik" -> outlet), the long form of an acronym the article defines ("the Syrian Arab News Agency
(SANA)" makes every later "SANA" an outlet), and the entity label. Unnamed sources are typed,
never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..models import EntityRef
from .lexicon import (
    ANONYMOUS_HEADS,
    CITING_VERBS,
    GOVERNMENT_NOUNS,
    GROUP_HEADS,
    INSTITUTION_NOUNS,
    KNOWN_OUTLETS,
    LEADING_NOISE,
    ORGANIZATION_NOUNS,
    OUTLET_GROUP_NOUNS,
    OUTLET_NAME_WORDS,
    OUTLET_NOUNS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    VAGUE_HEADS,
)
from .rules import char_spans, doc_text

Span = tuple[int, int]


def tokens_in(doc: Any, spans: Sequence[Span]) -> list[Any]:
    """The non-space tokens that overlap the character spans, in order."""
    # Remembered per Doc: building a claim asks for the same cue, source and content spans a dozen
    # times, and each answer made a Span and its Token objects again.
    memo = doc.user_data.get("claimgraph.tokens_in")
    if memo is None:
        memo = doc.user_data["claimgraph.tokens_in"] = {}
    key = tuple((s, e) for s, e in spans)
    found = memo.get(key)
    if found is None:
        out: list[Any] = []
        for s, e in key:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None:
                out.extend(t for t in span if not t.is_space)
        found = memo[key] = sorted({t.i: t for t in out}.values(), key=lambda t: t.i)
    return list(found)  # a copy: callers may edit their list


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 10 and all(c.isupper() for c in letters)


def doc_acronyms(doc: Any) -> dict[str, str]:
    """Acronyms the text defines: "the Syrian Arab News Agency (SANA)" -> {"SANA": "Syrian Arab News
    Agency"}, so later bare mentions can be typed by their long form."""
    found: dict[str, str] = {}
    # The brackets are found on the ORTH ids: making a Token object for each of the Doc's words
    # cost more than the rest of the claim building.
    from spacy.attrs import ORTH  # here: the CLI imports this module and must start without spaCy
    from spacy.strings import get_string_id

    opening, closing = get_string_id("("), get_string_id(")")
    orth = doc.to_array(ORTH).tolist() if len(doc) else []
    for i in range(1, len(orth) - 2):
        if orth[i] == opening and orth[i + 2] == closing and _is_acronym(doc[i + 1].text):
            j = i - 1
            while j >= 0 and (doc[j].pos_ == "PROPN" or doc[j].lower_ in ("for", "of", "and", "the")
                              or doc[j].is_title) and not doc[j].is_punct:
                j -= 1
            long = " ".join(doc[k].text for k in range(j + 1, i)).strip()
            if long:
                found.setdefault(doc[i + 1].text, long)
    return found


def _fragment_opener(tok: Any) -> bool:
    """A first word that joins the source to the sentence, not part of its name: the agent's "by"
    ("deemed unsafe by the WHO") or a relative pronoun ("which Nissan claims is faster")."""
    return (tok.lower_ == "by" and tok.pos_ == "ADP") or (tok.tag_ in ("WDT", "WP") and tok.text.islower())


def _strip(tokens: list[Any], partitive: bool = False) -> list[Any]:
    """The name without its leading article, quantifier or joining word. ``partitive`` keeps the
    quantifier of "some of the companies" (for display: "of the companies" reads as a fragment);
    without it the phrase is cut to "the companies" (for typing by the head noun)."""
    toks = list(tokens)
    while toks and (toks[0].is_punct or toks[0].lower_ in LEADING_NOISE or toks[0].pos_ == "DET"
                    or _fragment_opener(toks[0]) or (not partitive and toks[0].lower_ == "of")):
        if partitive and len(toks) > 1 and toks[1].lower_ == "of" and not toks[0].is_punct:
            break
        toks.pop(0)
    while toks and toks[-1].is_punct and toks[-1].text not in ("”", '"', ")"):
        toks.pop()
    return toks


def _slice(doc: Any, toks: list[Any]) -> str:
    return str(doc_text(doc)[toks[0].idx: toks[-1].idx + len(toks[-1].text)]) if toks else ""


def _head(toks: list[Any]) -> Any | None:
    """The token of the phrase whose syntactic head lies outside it (the last one if several)."""
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    return roots[-1] if roots else (toks[-1] if toks else None)


def _trailing_name(toks: list[Any]) -> tuple[list[Any], Any | None]:
    """("media outlet Sputnik") -> ([Sputnik], outlet): a proper name after a common-noun descriptor."""
    j = len(toks)
    while j > 0 and toks[j - 1].pos_ == "PROPN":
        j -= 1
    if 0 < j < len(toks) and toks[j - 1].pos_ == "NOUN" and not any(t.pos_ == "ADP" for t in toks[j:]):
        return toks[j:], toks[j - 1]
    return toks, None


def entity_text(doc: Any, toks: list[Any]) -> str:
    """A party's name as a reader would write it: no leading article or quantifier, the acronym of
    "Name (ACR)", the name without its descriptor ("media outlet Sputnik" -> "Sputnik")."""
    # Spans are trimmed of edge punctuation, so the closing bracket may be missing.
    for i in range(len(toks) - 1):
        if toks[i].text == "(" and _is_acronym(toks[i + 1].text) and (
                i + 2 == len(toks) or toks[i + 2].text == ")"):
            return str(toks[i + 1].text)
    # "The Syrian Observatory for Human Rights (SOHR)" with the bracket left out of the span: the
    # acronym right after it is still the name the article goes on to use.
    after = toks[-1].i + 1
    if after + 2 < len(doc) + 1 and after + 1 < len(doc) and doc[after].text == "(" \
            and _is_acronym(doc[after + 1].text) and (after + 2 >= len(doc) or doc[after + 2].text == ")"):
        return str(doc[after + 1].text)
    if toks[0].lower_ == "of" and toks[0].i > 0 and doc[toks[0].i - 1].pos_ in ("NUM", "DET", "PRON"):
        toks = [doc[toks[0].i - 1], *toks]  # the span left out the "one" of "one of the ministers"
    core = _strip(_name_part(toks), partitive=True)
    name, _descriptor = _trailing_name(core)
    return _slice(doc, name) or _slice(doc, core) or _slice(doc, toks)


# Words of a time phrase that the parser leaves on the speaker ("the coalition on Friday said").
_TIME_OPENERS = {"on", "last", "earlier", "late", "this", "in", "early"}
_TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
    "tonight", "morning", "afternoon", "evening", "night", "week", "weekend", "month", "year", "day",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec.", "the", "of",
}


def _drop_trailing_time(toks: list[Any]) -> list[Any]:
    """"Coalition on Friday" -> "Coalition": a trailing phrase made only of time words is when the
    party spoke, not part of its name."""
    for k in range(1, len(toks)):
        rest = toks[k + 1:]
        if toks[k].lower_ in _TIME_OPENERS and rest and all(
                t.lower_ in _TIME_WORDS or t.like_num or t.is_punct for t in rest) \
                and any(t.lower_ not in ("the", "of") and not t.is_punct for t in rest):
            return toks[:k]
    return toks


def _name_part(toks: list[Any]) -> list[Any]:
    """The phrase without what follows its first comma or opens a relative clause: "the Eastbank
    Monitor, which reported ..." -> "the Eastbank Monitor"; "Jan Novak, a spokesman," -> "Jan Novak"."""
    toks = _drop_trailing_time(toks)
    ids = {t.i for t in toks}
    # "Reuters, quoting US officials," / "SANA, which cited ...": who is cited is no part of the name.
    banned = {d.i for t in toks if t.head.i in ids and (t.dep_ == "relcl" or (
        t.dep_ == "acl" and t.lemma_.lower() in CITING_VERBS)) for d in t.subtree}
    kept = [t for t in toks if t.i not in banned]
    # A capitalised "The" inside the phrase starts a new sentence whose full stop was lost (text
    # scraped without punctuation: "Date of publication 3 October The Islamic State group").
    starts = [k for k, t in enumerate(kept) if k > 0 and t.text == "The"]
    if starts:
        kept = kept[starts[-1]:]
    for k, t in enumerate(kept):
        if k > 0 and t.text == ",":
            return kept[:k]
    return kept


def antecedent(tokens: list[Any], cue: Any) -> list[Any]:
    """A relative pronoun as source ("the Monitor, which reported ...") stands for the noun its
    clause hangs from: give that noun's phrase, without the clause."""
    if len(tokens) != 1 or tokens[0].tag_ not in ("WDT", "WP") or cue is None:
        return tokens
    verb = cue
    while verb.dep_ not in ("relcl", "ROOT") and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ != "relcl":
        return tokens
    banned = {t.i for t in verb.subtree}
    phrase = [t for t in verb.head.subtree if t.i not in banned]
    return _name_part(phrase) or tokens


def _lemma(t: Any) -> str:
    return str(t.lemma_).lower()


def _words(t: Any) -> set[str]:
    return {_lemma(t), str(t.lower_)}


def source_kind(doc: Any, toks: list[Any], acronyms: dict[str, str] | None = None) -> str:
    """One of models.SOURCE_KINDS for the tokens of a source, channel or chain link."""
    # The name part only: "Rami Lind, head of the Observatory" is a person, not an organisation.
    core = _strip(_name_part(toks))
    if not core:
        return "unknown"
    acronyms = acronyms or {}
    name_toks, descriptor = _trailing_name(core)
    head = _head(core)
    if head is None:
        return "unknown"
    hw = _words(head)
    type_words = _words(descriptor) if descriptor is not None else hw
    mods = [c for c in head.children if c.dep_ in ("amod", "compound", "nmod", "npadvmod")]
    propn_mods = [m for m in mods if m.pos_ == "PROPN" or m.ent_type_ in ("NORP", "GPE", "ORG")]
    # Long forms of acronyms count as words of the name: "SANA" reads as "Syrian Arab News Agency".
    name_words = {w.lower() for t in core for w in acronyms.get(t.text, t.text).replace("-", " ").split()}
    plural = head.tag_ in ("NNS", "NNPS")
    if (descriptor is not None and len(name_toks) > 1 and all(t.ent_type_ == "PERSON" for t in name_toks)
            and not type_words & (OUTLET_NOUNS | OUTLET_GROUP_NOUNS)):
        # "the Coalition's political committee Adnan Rahmoun": the noun before a person's first and
        # last name is their post, not the kind of party speaking (one word tagged PERSON, as the
        # small model tags "outlet Sputnik", is too weak a sign)
        return "person"

    if head.pos_ == "PRON":
        return "person" if head.lower_ in PERSON_PRONOUNS else "unknown"
    if hw & {"media", "medium", "press"} or (type_words & OUTLET_GROUP_NOUNS and plural):
        # "the media" names nobody; "Russian state-run media" names a set of outlets.
        return "outlet_group" if mods else "vague"
    if type_words & {"source", "insider", "informant", "whistleblower"}:
        return "anonymous"
    if type_words & ANONYMOUS_HEADS:
        return "government" if plural and propn_mods else "anonymous"
    if head.pos_ != "PROPN" and hw & VAGUE_HEADS:
        return "vague"
    if type_words & OUTLET_NOUNS or name_words & KNOWN_OUTLETS:
        return "outlet"
    if head.pos_ == "PROPN" and name_words & OUTLET_NAME_WORDS:
        return "outlet"
    if type_words & GROUP_HEADS and head.pos_ != "PROPN":
        return "group"
    if type_words & GOVERNMENT_NOUNS:
        return "government"
    if type_words & ORGANIZATION_NOUNS or name_words & ORGANIZATION_NOUNS:
        return "organization"
    if type_words & INSTITUTION_NOUNS:
        # "the Russian center for ..." is a state body; a bare "the center" is just an organisation.
        qualified = any(m.ent_type_ in ("NORP", "GPE") for m in mods) or any(
            t.ent_type_ in ("NORP", "GPE") for t in core if t.i < head.i)
        return "government" if qualified else "organization"
    labels = {t.ent_type_ for t in name_toks if t.ent_type_}
    if head.ent_type_ == "GPE" or "GPE" in labels and head.pos_ == "PROPN":
        return "government"  # "Russia said": a country speaks through its government
    if "PERSON" in labels or type_words & PERSON_NOUNS:
        return "person"
    if head.ent_type_ == "NORP" or (plural and head.pos_ != "PROPN"):
        return "group"
    if head.pos_ == "PROPN" or labels:
        return "named"
    return "unknown"


def entity_ref(doc: Any, spans: Sequence[Span], acronyms: dict[str, str] | None = None,
               cue: Any | None = None) -> EntityRef:
    toks = tokens_in(doc, spans)
    if not toks:
        return EntityRef(text="", kind="unknown", spans=tuple(spans))
    resolved = antecedent(toks, cue)
    if resolved is not toks:
        toks, spans = resolved, char_spans(resolved)
    return EntityRef(text=entity_text(doc, toks), kind=source_kind(doc, toks, acronyms),
                     spans=tuple(spans))
