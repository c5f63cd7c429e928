"""Which relations are no claim: the writer's own voice and what only looks like attribution.

The span model tags relations the way PolNeAR annotates them; some of them are kept for its
evaluation but make no claim a fact-checker could trace: the writer speaking ("I think", "We found
no evidence" outside quotes), addressing the reader ("Tell us what you think"), a page label before
a colon, an act rather than a statement ("will offer the car in blue"), an appeal ("calls on every
party to disclose"), a content of a few words with no verb, or a bare pronoun. :func:`is_claim`
is the one test :mod:`.enrich` applies.
"""

from __future__ import annotations

from typing import Any

from .lexicon import ACT_VERBS, APPEAL_PARTICLES, APPEAL_VERBS, SPEECH_VERBS
from .rules import Relation, _quoted, doc_text
from .sources import tokens_in

_QUOTES = "\"“”«»„"


def cue_token(doc: Any, rel: Relation) -> Any | None:
    """The word that carries the cue: its verb when there is one, else its first word."""
    toks = tokens_in(doc, rel.cue)
    if not toks:
        return None
    for t in toks:
        if t.lower_ == "according":
            return t
    # "did not give", "has said": the main verb carries the meaning, not its auxiliary.
    verbs = [t for t in toks if t.pos_ == "VERB"] or [t for t in toks if t.pos_ == "AUX"]
    return verbs[0] if verbs else toks[0]


# --- writer's voice -----------------------------------------------------------------------------

def is_writer_voice(doc: Any, rel: Relation) -> bool:
    """True when nobody but the writer speaks: no cue, or no source and a cue that is no verb
    ("Such claims were not limited to ...": a noun of saying, used by the writer)."""
    cue = cue_token(doc, rel)
    if cue is None:
        return True
    if not rel.source and cue.pos_ not in ("VERB", "AUX") and cue.lower_ != "according":
        return True
    # "New Release: Last chance to buy ...", "Thunder: F Diallo missed ...": a colon introduces what
    # someone said only when a quotation follows it; otherwise it is a label the page puts first.
    if all(t.is_punct for t in tokens_in(doc, rel.cue)) and rel.content:
        # The content's spans leave out its opening quote mark: look from the colon to its start.
        opening = doc_text(doc)[rel.cue[-1][1]:min(s for s, _e in rel.content) + 1]
        if not any(ch in _QUOTES or ch in "‘'" for ch in opening):
            return True
    # "Tell us what you think", "Expect the senator to ...", "Note that ...": an imperative (a bare
    # verb heading its sentence with no subject nor auxiliary) is the writer addressing the reader.
    # The next verb of a list of such orders ("name the origin, say when ...") is one too, whatever
    # tag the parser gave it.
    if not rel.source and _bare(cue) and (
            (cue.tag_ == "VB" and cue.dep_ == "ROOT")
            or (cue.tag_ in ("VB", "VBP") and cue.dep_ in ("conj", "dep", "parataxis")
                and cue.head.tag_ == "VB" and cue.head.dep_ == "ROOT" and _bare(cue.head))):
        return True
    # "The agency didn't provide any details": what a source did not say is the writer's remark
    # about it, not a claim of the source (a denial is said with its own verb: "denied").
    if any(c.dep_ == "neg" for c in cue.children):
        return True
    return False


def _bare(verb: Any) -> bool:
    """A verb with neither subject nor auxiliary: the shape of an imperative."""
    return not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "expl") for c in verb.children)


def is_thin(doc: Any, rel: Relation) -> bool:
    """A content of a few words and no verb after a cue that is no verb of saying ("released
    several reports"): an act, not a claim anyone could repeat. The model tags such relations, as
    PolNeAR does; they are kept for its evaluation and left out of the claims."""
    cue = cue_token(doc, rel)
    if cue is None or cue.lower_ == "according" or str(cue.lemma_).lower() in SPEECH_VERBS:
        return False
    toks = [t for t in tokens_in(doc, rel.content) if not t.is_punct]
    return len(toks) <= 4 and not any(t.pos_ in ("VERB", "AUX") for t in toks)


def is_act(doc: Any, rel: Relation) -> bool:
    """A cue that is a verb of doing ("will offer", "released", "voted for", "declined to
    comment"): what the sentence reports is an act of the source, not a claim it made."""
    cue = cue_token(doc, rel)
    return cue is not None and cue.pos_ in ("VERB", "AUX") and str(cue.lemma_).lower() in ACT_VERBS


def _in_quote(doc: Any, tok: Any) -> bool:
    """Whether a token sits inside a quotation opened earlier in its sentence or its paragraph (a
    quote of several sentences)."""
    text = doc_text(doc)
    start = text.rfind("\n", 0, tok.idx) + 1
    before = text[start:tok.idx]
    return _quoted(doc, tok) or before.count('"') % 2 == 1 or before.count("“") > before.count("”")


# Outside quotes these are the writer ("I think this is the cheapest TV", "We found no evidence")
# or the reader ("you probably think of the mountains"): the writer's own voice, not a source.
_WRITER_AND_READER = frozenset("i we my our me us you".split())


def is_first_or_second_person(doc: Any, rel: Relation) -> bool:
    """A source that is "I", "we" or "you" outside any quotation: the writer speaking, or the
    writer talking to the reader, not a party whose claim is reported."""
    toks = tokens_in(doc, rel.source)
    ids = {t.i for t in toks}
    heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    cue = cue_token(doc, rel)
    # A pronoun, not "US" (the country) nor "Us Weekly".
    return (bool(heads) and all(t.lower_ in _WRITER_AND_READER and t.pos_ == "PRON" for t in heads)
            and cue is not None and not _in_quote(doc, cue))


def is_bare_pronoun(doc: Any, rel: Relation) -> bool:
    """A content that is one pronoun ("the raids, which Washington blames on ..." read as content
    "which"): nothing a reader could check; the clause it stands for is outside the relation."""
    toks = [t for t in tokens_in(doc, rel.content) if not t.is_punct]
    return len(toks) == 1 and (toks[0].pos_ == "PRON" or toks[0].tag_ in ("WDT", "WP", "DT"))


def _appeals(verb: Any) -> bool:
    lemma = str(verb.lemma_).lower()
    if lemma in APPEAL_VERBS:
        return True
    words = APPEAL_PARTICLES.get(lemma)
    return words is not None and any(
        c.dep_ in ("prep", "prt") and c.lower_ in words for c in verb.children)


def is_appeal(doc: Any, rel: Relation) -> bool:
    """An appeal, not a claim: the cue is a verb of appeal ("OCP calls on every party to
    disclose ..."), or a verb of saying that the appeal asks another party to perform ("... to
    disclose whether it struck"), whose speaker is not the appeal's author at all."""
    cue = cue_token(doc, rel)
    if cue is None or cue.pos_ not in ("VERB", "AUX"):
        return False
    if _appeals(cue):
        return True
    tok = cue
    # Not "conj": "X urged calm and said Z" is a statement of X next to the appeal.
    for _ in range(3):  # "calls on Y to disclose", "urged Y to agree to announce"
        # The parser hangs "to disclose" from "calls" as xcomp or, after a long object, advcl.
        infinitive = tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        if (tok.dep_ not in ("xcomp", "ccomp") and not infinitive) or tok.head.i == tok.i:
            return False
        tok = tok.head
        if _appeals(tok):
            return True
    return False


def is_claim(doc: Any, rel: Relation) -> bool:
    """Whether a relation makes a claim of its source (none of the tests above holds)."""
    return not (is_writer_voice(doc, rel) or is_thin(doc, rel) or is_appeal(doc, rel) or is_act(doc, rel)
                or is_first_or_second_person(doc, rel) or is_bare_pronoun(doc, rel))
