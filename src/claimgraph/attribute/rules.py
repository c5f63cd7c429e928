"""Dependency rules that find attribution relations the span model may miss (merged with the
model's in :mod:`.merge`), and the span helpers both use.

A rule fires only on patterns that are nearly always an attribution in news text — a speech verb
with a subject and a clausal complement ("X said/told/revealed (to Y) that Z"), "according to X",
"X accused Y of Z", "X denied Z", a participle clause ("released reports claiming that Z") — so
adding rule relations to the model's costs little precision. Everything here works on a parsed
spaCy ``Doc`` alone and is tested on hand-built Docs without loading a model.

Spans are character offsets into ``doc.text`` (end exclusive), as in PolNeAR and the scorer.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .lexicon import (
    CITING_VERBS,
    CLAIM_NOUNS,
    DENY,
    DENY_IF_CLAIM_OBJECT,
    FALSEHOOD_WORDS,
    INFORMATION_NOUNS,
    RECEIVING_VERBS,
    SPEECH_VERBS,
)

Span = tuple[int, int]
Spans = tuple[Span, ...]

# Verbs whose "of"/"for" phrase, with the object before it, is the content: "accused Y of Z".
_ACCUSE_WITH_OF = frozenset("accuse blame charge criticize criticise condemn".split())
_SUBJECT_DEPS = ("nsubj",)
# Verbs of belief that a speaker uses about themself to soften a statement (measured on PolNeAR
# dev: "I think" matched no gold relation in 37 of 65 cases).
_HEDGE_VERBS = frozenset("think believe hope guess feel suppose reckon".split())
_CONTENT_DEPS = ("ccomp",)


@dataclass(frozen=True)
class Relation:
    """One attribution relation as character spans, whichever component found it."""

    source: Spans
    cue: Spans
    content: Spans
    score: float = 1.0
    origin: str = "rule"  # "rule" | "model" | "model+rule"


def from_model(rel: Any) -> Relation:
    """Adopt a ``SpanRelation`` from the span model (same fields, character offsets)."""
    def norm(spans: Iterable[Sequence[int]]) -> Spans:
        return tuple(sorted((int(s), int(e)) for s, e in spans if int(e) > int(s)))

    return Relation(norm(rel.source), norm(rel.cue), norm(rel.content),
                    float(getattr(rel, "score", 1.0)), "model")


# --- token helpers ------------------------------------------------------------------------------

def sent_of(tok: Any) -> Any:
    """``tok.sent`` through a per-Doc index: spaCy's walks the tokens back to the sentence start on
    every call, which the enrichment makes many times per claim."""
    doc = tok.doc
    bounds = doc.user_data.get("claimgraph.sents")
    if bounds is None:
        bounds = doc.user_data["claimgraph.sents"] = [s.start for s in doc.sents] + [len(doc)]
    k = bisect_right(bounds, tok.i) - 1
    return doc[bounds[k]:bounds[k + 1]]


def doc_text(doc: Any) -> str:
    """``doc.text``, computed once per Doc: spaCy joins every token again on each access, which
    made half of the attribution time on FA-KES before this cache."""
    text = doc.user_data.get("claimgraph.text")
    if text is None:
        text = doc.user_data["claimgraph.text"] = str(doc.text)
    return str(text)


def _edge_noise(tok: Any) -> bool:
    return bool(tok.is_punct or tok.is_space)


def char_spans(tokens: Iterable[Any]) -> Spans:
    """Contiguous runs of the given tokens as character spans, punctuation trimmed at run edges."""
    toks = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    runs: list[list[Any]] = []
    for t in toks:
        if runs and t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    out: list[Span] = []
    for run in runs:
        while run and _edge_noise(run[0]):
            run.pop(0)
        while run and _edge_noise(run[-1]):
            run.pop()
        if run:
            out.append((run[0].idx, run[-1].idx + len(run[-1].text)))
    # Runs separated only by white space are one span.
    merged: list[Span] = []
    for s, e in out:
        if merged and not doc_text(toks[0].doc)[merged[-1][1]:s].strip():
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return tuple(merged)


def _subtree(tok: Any, exclude: Iterable[Any] = ()) -> list[Any]:
    banned: set[int] = set()
    for x in exclude:
        banned.update(t.i for t in x.subtree)
    return [t for t in tok.subtree if t.i not in banned]


def _words(tokens: Iterable[Any]) -> int:
    return sum(1 for t in tokens if t.is_alpha or t.like_num)


def _children(tok: Any, *deps: str) -> list[Any]:
    return [c for c in tok.children if c.dep_ in deps]


# --- the rules ----------------------------------------------------------------------------------

def subject_of(verb: Any) -> list[Any]:
    """The source tokens for a speech verb: its own subject, or the subject it shares with the verb
    it hangs from ("X released reports claiming ...", "X said A and added B")."""
    subj = _children(verb, *_SUBJECT_DEPS)
    if subj:
        return [t for s in subj for t in s.subtree]
    head = verb.head
    if verb.dep_ in ("advcl", "conj", "xcomp") and head.i != verb.i:
        subj = _children(head, *_SUBJECT_DEPS)
        if subj:
            return [t for s in subj for t in s.subtree]
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.i != verb.i:
        # "reports claiming that ..." hangs from a noun: the subject of the verb that governs the
        # noun published them; a bare "a statement saying ..." is its own (vague) source.
        if head.dep_ in ("dobj", "pobj") and head.head.pos_ in ("VERB", "AUX"):
            subj = _children(head.head, *_SUBJECT_DEPS)
            if subj:
                return [t for s in subj for t in s.subtree]
        return _subtree(head, exclude=[verb])
    return []


def _content_of(verb: Any) -> list[Any]:
    lemma = verb.lemma_.lower()
    comps = _children(verb, *_CONTENT_DEPS)
    if comps:
        # "reported, citing X, that Z": the parser may hang "citing X" inside the that-clause; the
        # cited party is a link of the chain, not part of what was said.
        citing = [c for comp in comps for c in comp.children
                  if c.dep_ == "advcl" and c.lemma_.lower() in CITING_VERBS and c.i < comp.i]
        return [t for c in comps for t in _subtree(c, exclude=citing)]
    for cite in _children(verb, "advcl", "xcomp"):
        # The reverse misparse: "said, quoting Y, that Z" with the that-clause hung from "quoting".
        if cite.lemma_.lower() in CITING_VERBS:
            for comp in _children(cite, "ccomp"):
                if comp.i > cite.i and any(c.dep_ == "mark" and c.lower_ == "that" for c in comp.children):
                    return list(comp.subtree)
    for prep in _children(verb, "prep"):
        # "revealed to the agency that Z": the parser often hangs the that-clause from the agency as
        # a relative clause; a relative clause opened by the conjunction "that" is the content.
        for obj in _children(prep, "pobj"):
            for rc in _children(obj, "relcl", "acl"):
                if any(c.dep_ == "mark" and c.lower_ == "that" for c in rc.children):
                    return list(rc.subtree)
    if lemma in _ACCUSE_WITH_OF:
        objs = _children(verb, "dobj")
        # The parser hangs "of Z" from the verb or from its object; both mean the same.
        holders = [verb] + objs
        # "charged the campaign for rent" bills it; only "blamed/criticized X for Z" accuses.
        preps = [p for h in holders for p in _children(h, "prep")
                 if p.lower_ == "of" or (p.lower_ == "for" and lemma != "charge")]
        if preps:
            toks = [t for p in preps for t in p.subtree] + [t for o in objs for t in o.subtree]
            lo, hi = min(t.i for t in toks), max(t.i for t in toks)
            return [t for t in verb.doc[lo:hi + 1] if t.i != verb.i]
    if lemma in DENY or lemma in DENY_IF_CLAIM_OBJECT:
        objs = _children(verb, "dobj", "xcomp")
        if objs and not _withheld(verb, objs) and (lemma in DENY or _claim_object(verb, objs)):
            return [t for o in objs for t in o.subtree]
    if verb.dep_ == "parataxis" and verb.head.i != verb.i:
        # "Z, X said." parsed with the speech verb hanging from Z's verb.
        return _subtree(verb.head, exclude=[verb])
    return []


def _withheld(verb: Any, objs: list[Any]) -> bool:
    """"denied Carter a photograph", "deny him that path": with someone it is kept from, "deny"
    withholds a thing; nobody's claim is denied."""
    return bool(_children(verb, "dative")) or sum(o.dep_ == "dobj" for o in objs) > 1


def _claim_object(verb: Any, objs: list[Any]) -> bool:
    """"rejected the reports", "rejected it as baseless": "reject" denies only a claim, as the
    enrichment's stance reads it; "rejected those days", "rejected the need for one" are acts."""
    return any(o.lemma_.lower() in CLAIM_NOUNS | INFORMATION_NOUNS for o in objs) or any(
        t.lower_ in FALSEHOOD_WORDS for t in sent_of(verb))


# Verbs a "to"-infinitive of saying may hang from and still be said: "went on to say that", "we
# would like to stress that".
_SAID_AFTER = frozenset("go continue proceed like".split())


def _unsaid(verb: Any) -> bool:
    """Speech that was not made: under a modal ("you might say", "I can say", "they will argue")
    or as a "to"-infinitive ("tried to say", "want to assure", "refused to deny"). On PolNeAR train
    such rule relations matched no gold cue (0 of 29 that the model had not found). A participle
    the parser hangs the same way is said: "the Observatory said adding that ..." in text whose
    commas were stripped."""
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
        return True
    return (verb.dep_ == "xcomp" and any(c.tag_ == "TO" for c in verb.children)
            and verb.head.lemma_.lower() not in _SAID_AFTER)


def _verb_relation(verb: Any) -> Relation | None:
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in SPEECH_VERBS:
        return None
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return None  # "it was reported that": no source to give
    if _unsaid(verb):
        return None
    content = _content_of(verb)
    if _words(content) < 2:
        return None
    source = subject_of(verb)
    source = [t for t in source if t.i != verb.i]
    if not source or all(t.lower_ in ("it", "there", "this", "that") for t in source):
        return None
    if verb.lemma_.lower() in _HEDGE_VERBS and all(t.lower_ in ("i", "you", "we") for t in source):
        return None  # "I think ..." inside a quote is the speaker hedging, not a new attribution
    cue = [verb] + _children(verb, "prt")
    content_set = {t.i for t in content}
    if any(t.i in content_set for t in source):
        return None  # a parse that folds the speaker into the content is not trustworthy
    source, content = _split_runon_source(source, content)
    return Relation(char_spans(source), char_spans(cue), char_spans(content))


def _split_runon_source(source: list[Any], content: list[Any]) -> tuple[list[Any], list[Any]]:
    """Mend "Z ... 30 commanders from Arlit, the agency reported": after a long content the parser
    may make the content's last noun phrase the speaker, with the real speaker as its apposition. A
    speaker after the content is always set off from it ("Z, X said"); when nothing separates them,
    the words before the speaker's last comma belong to the content."""
    if not source or not content:
        return source, content
    src = sorted(source, key=lambda t: t.i)
    end = max(t.i for t in content)
    if end >= src[0].i or any(t.is_punct for t in src[0].doc[end + 1:src[0].i]) or end + 1 != src[0].i:
        return source, content
    commas = [t for t in src if t.text == ","]
    if not commas:
        return source, content
    tail = [t for t in src if t.i > commas[-1].i]
    if not any(t.pos_ in ("PROPN", "NOUN") for t in tail):
        return source, content
    moved = [t for t in src if t.i < commas[-1].i]
    return tail, sorted(content + moved, key=lambda t: t.i)


def _according_relation(tok: Any) -> Relation | None:
    if tok.lower_ != "according":
        return None
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None:
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        to = nxt if nxt is not None and nxt.lower_ == "to" else None
    if to is None:
        return None
    objs = _children(to, "pobj")
    if not objs:
        return None
    source = [t for o in objs for t in o.subtree]
    # The content is the clause the phrase qualifies, without the phrase itself.
    anchor = tok.head
    while anchor.pos_ not in ("VERB", "AUX") and anchor.dep_ != "ROOT" and anchor.head.i != anchor.i:
        anchor = anchor.head
    if anchor.i == tok.i:
        return None
    exclude = {t.i for t in tok.subtree} | {t.i for t in to.subtree}
    content = [t for t in anchor.subtree if t.i not in exclude]
    if _words(content) < 2:
        return None
    return Relation(char_spans(source), char_spans([tok, to]), char_spans(content))


def _that_clause(heads: Sequence[Any]) -> tuple[Any, list[Any]] | None:
    """A clause opened by "that" hanging from one of ``heads`` (the parser puts "reports from Y that
    Z" under the noun, under Y or under the verb), with a subject of its own: "reports that mention
    Z" is a relative clause describing the reports, not what they say. Returns the clause's verb
    and its words without the "that"."""
    for head in heads:
        for clause in _children(head, "acl", "relcl", "ccomp"):
            if clause.i < head.i:
                continue
            first = clause.doc[min(t.i for t in clause.subtree)]
            if first.lower_ != "that" or first.dep_ not in ("mark", "dobj"):
                continue
            subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != first.i]
            if not subjects or any(c.lower_ in ("that", "which", "who") for c in subjects):
                continue
            return clause, [t for t in clause.subtree if t.i != first.i]
    return None


def _received_relation(verb: Any) -> Relation | None:
    """"X has received reports from Y that Z": Y said Z, and X passes it on (the enrichment makes X
    the channel). Needs all of it — an information noun, a "from" party and a that-clause — since
    "received reports" alone is an act, not an attribution."""
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in RECEIVING_VERBS:
        return None
    nouns = [o for o in _children(verb, "dobj") if o.lemma_.lower() in INFORMATION_NOUNS]
    if not nouns:
        return None
    noun = nouns[0]
    froms = [p for h in (noun, verb) for p in _children(h, "prep") if p.lower_ == "from"]
    parties = [o for p in froms for o in _children(p, "pobj")]
    if not parties:
        return None
    found = _that_clause([noun, *parties, verb])
    if found is None:
        return None
    clause, content = found
    if _words(content) < 2:
        return None
    clause_ids = {t.i for t in clause.subtree}
    source = [t for t in parties[0].subtree if t.i not in clause_ids]
    if not source or all(t.pos_ == "PRON" for t in source):
        return None
    cue = [t for t in verb.doc[verb.i:noun.i + 1] if t.i == verb.i or t.i == noun.i or t.head.i == noun.i]
    return Relation(char_spans(source), char_spans(cue), char_spans(content))


def find_relations(doc: Any) -> list[Relation]:
    """Every relation the rules find in a parsed Doc, in text order."""
    out: list[Relation] = []
    for tok in doc:
        if tok.lower_ == "according":
            rel = _according_relation(tok)
        elif tok.lemma_.lower() in RECEIVING_VERBS:
            rel = _received_relation(tok)
        else:
            rel = _verb_relation(tok)
        if rel is not None:
            out.append(rel)
    return out


# --- merging ------------------------------------------------------------------------------------

def _size(spans: Spans) -> int:
    return sum(e - s for s, e in spans)


def _inside(tok: Any, spans: Sequence[Span]) -> bool:
    """Whether token ``tok`` starts inside one of the character spans."""
    return any(s <= tok.idx < e for s, e in spans)


def _overlap(a: Spans, b: Spans) -> int:
    """Characters two span lists share (the spans within one list do not overlap each other)."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _jaccard(a: Spans, b: Spans) -> float:
    inter = _overlap(a, b)
    union = _size(a) + _size(b) - inter
    return inter / union if a and b and union else 0.0


def _quoted(doc: Any, tok: Any) -> bool:
    """Whether a token sits inside a quotation opened earlier in its sentence."""
    sent = sent_of(tok)
    before = doc_text(doc)[sent.start_char:tok.idx]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _tokens(doc: Any, spans: Spans) -> list[Any]:
    out: list[Any] = []
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.extend(span)
    return out
