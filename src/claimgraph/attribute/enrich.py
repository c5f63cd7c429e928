"""From relations (character spans) to :class:`~claimgraph.models.Claim` objects.

For each relation this module reads the parse around the cue to add what no corpus labels: the
channel the claim was relayed to or through ("revealed to SANA", "told Reuters", "in an interview
with X", "citing Y"), the chain of parties origin first (nested relations are linked), the kind
(direct, indirect, according_to, mixed), the stance of the source (assert, accuse, deny, opinion,
predict) and the writer's hedges. Sentences in the writer's own voice are filtered out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..models import Article, Claim, EntityRef
from .lexicon import (
    ACCUSE,
    AUDIENCE_NOUNS,
    CITING_VERBS,
    CLAIM_NOUNS,
    CONTACT_VERBS,
    DENY,
    DENY_IF_CLAIM_OBJECT,
    FALSEHOOD_WORDS,
    HEDGES,
    HEDGING_CUES,
    INFORMATION_NOUNS,
    OPINION,
    OUTLET_NOUNS,
    PREDICT,
    RECEIVING_VERBS,
    SETTING_NOUNS,
)
from .referents import Referents
from .rules import Relation, _inside, _overlap, _size, char_spans, doc_text, sent_of, subject_of
from .sources import doc_acronyms, entity_ref, tokens_in
from .voice import _QUOTES, cue_token, is_claim

Span = tuple[int, int]
_FUTURE = frozenset("will 'll shall wo".split())
_SO_CALLED = re.compile(r"\bso[- ]called\b", re.IGNORECASE)
_NEUTRAL_FOR_PREDICT = frozenset("say tell add note state explain insist stress claim".split())
_PRONOUNS = frozenset("he she it they we i you this that".split())


def _text(doc: Any, spans: Sequence[Span]) -> str:
    return " ".join(str(doc_text(doc)[s:e]) for s, e in spans)


# --- channel and cited parties --------------------------------------------------------------------

def _relay_ok(tok: Any) -> bool:
    """A party worth following: named or an outlet, not a generic audience ("told reporters")."""
    if tok.pos_ == "PRON" or str(tok.lemma_).lower() in AUDIENCE_NOUNS:
        return False
    phrase = list(tok.subtree)
    return any(t.pos_ == "PROPN" or t.ent_type_ for t in phrase) or any(
        str(t.lemma_).lower() in OUTLET_NOUNS for t in phrase)


def _pobj_of(prep: Any) -> Any | None:
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def find_channel(cue: Any, rel: Relation) -> tuple[Any, list[Any]] | None:
    """The token heading the party the claim was told to or relayed through, and the words of the
    phrase that names it ("to the agency"), if any. A phrase the content span swallowed before the
    content's own verb ("revealed [to X that Z]") still names the channel; the caller trims it."""
    cands: list[tuple[Any, Any]] = []  # (party, phrase head)
    for c in cue.children:
        if c.dep_ == "prep" and c.lower_ == "to" and not (c.i > 0 and c.nbor(-1).lower_ == "according"):
            cands.append((_pobj_of(c), c))
        elif c.dep_ in ("dative", "dobj") and str(cue.lemma_).lower() == "tell":
            cands.append((c, c))
    for t in sent_of(cue):
        # "in an interview with X", "in a statement to X", "speaking to X"
        if t.lower_ in ("with", "to") and t.dep_ == "prep" and (
            str(t.head.lemma_).lower() in SETTING_NOUNS
            or (str(t.head.lemma_).lower() in CONTACT_VERBS and t.head.dep_ in ("advcl", "xcomp"))
        ):
            cands.append((_pobj_of(t), t))
    if str(cue.lemma_).lower() in RECEIVING_VERBS:
        # "X has received reports from Y that Z": the receiver passes Y's word on. Any named or
        # common-noun receiver counts ("the agency received ..."), a pronoun names nobody.
        for subj in cue.children:
            if subj.dep_ == "nsubj" and subj.pos_ != "PRON" and not _inside(subj, rel.source):
                return subj, list(subj.subtree)
    root = _content_root(cue.doc, rel)
    for tok, phrase in cands:
        if tok is None or _inside(tok, rel.source) or not _relay_ok(tok):
            continue
        if _inside(tok, rel.content) and (root is None or tok.i > root.i):
            continue
        return tok, list(phrase.subtree)
    return None


def find_cited(cue: Any, rel: Relation) -> Any | None:
    """The party a source cites: "TASS reported, citing SANA, that ..." -> SANA."""
    root = _content_root(cue.doc, rel)
    for t in sent_of(cue):
        if str(t.lemma_).lower() not in CITING_VERBS:
            continue
        # "according to X, which cited Y" / "X, who quoted Y, said": a clause on the source.
        on_source = t.dep_ in ("relcl", "acl") and _inside(t.head, rel.source)
        if t.tag_ != "VBG" and not on_source:
            continue
        # Outside the content, or opening it before its verb ("that, citing X, Z" misparsed), or
        # hanging from the cue itself or its object ("said citing X", "reported 15 deaths citing
        # X") however wide the content was read.
        own = t.head.i == cue.i or (t.head.dep_ == "dobj" and t.head.head.i == cue.i)
        if _inside(t, rel.content) and not own and (root is None or t.i > root.i or t.head.i != root.i):
            continue
        obj = next((c for c in t.children if c.dep_ in ("dobj", "pobj", "attr")), None)
        if obj is not None and str(obj.lemma_).lower() in CLAIM_NOUNS | INFORMATION_NOUNS:
            # "citing a statement from the Commission": the party is who made the statement.
            party = next((_pobj_of(p) for p in obj.children if p.dep_ == "prep" and p.lower_ in ("from", "by")
                          and _pobj_of(p) is not None), None)
            return party if party is not None else obj
        if obj is not None:
            return obj
    return None


def _phrase_spans(tok: Any) -> tuple[Span, ...]:
    return char_spans(tok.subtree)


# --- kind, stance, hedges -----------------------------------------------------------------------

def attribution_kind(doc: Any, rel: Relation, cue: Any | None) -> str:
    if cue is not None and cue.lower_ == "according":
        return "according_to"
    if not rel.content:
        return "indirect"
    start, end = rel.content[0][0], rel.content[-1][1]
    before = str(doc_text(doc)[max(0, start - 3):start]).strip(" ,")
    after = str(doc_text(doc)[end:end + 3]).strip(" ,.")
    body = _text(doc, rel.content)
    if (before[-1:] in _QUOTES or body[:1] in _QUOTES) and (after[:1] in _QUOTES or body[-1:] in _QUOTES):
        return "direct"
    if any(q in body for q in _QUOTES):
        return "mixed"
    return "indirect"


def _content_root(doc: Any, rel: Relation) -> Any | None:
    toks = tokens_in(doc, rel.content)
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids and t.pos_ in ("VERB", "AUX")]
    return roots[0] if roots else None


def stance(doc: Any, rel: Relation, cue: Any | None) -> str:
    """The source's stance toward its content, from the cue's lemma and the words around it."""
    if cue is None or cue.lower_ == "according":
        return "assert"
    lemma = str(cue.lemma_).lower()
    sent_words = {str(t.lower_) for t in sent_of(cue)} | {str(t.lemma_).lower() for t in sent_of(cue)}
    if lemma in DENY:
        return "deny"
    if lemma in DENY_IF_CLAIM_OBJECT or lemma in ("call", "describe", "label", "brand", "term"):
        objs = {str(c.lemma_).lower() for c in cue.children if c.dep_ in ("dobj", "oprd", "attr")}
        if objs & CLAIM_NOUNS or sent_words & FALSEHOOD_WORDS:
            return "deny"
    if lemma in ACCUSE:
        return "accuse"
    if lemma in OPINION:
        return "opinion"
    if lemma in PREDICT:
        return "predict"
    if lemma in _NEUTRAL_FOR_PREDICT:
        root = _content_root(doc, rel)
        if root is not None and (
            any(c.dep_ == "aux" and c.lower_ in _FUTURE for c in root.children)
            or (root.lower_ == "going" and any(c.dep_ == "xcomp" for c in root.children))
        ):
            return "predict"
    return "assert"


def _hedge_words(tokens: Sequence[Any], skip: Sequence[Span] = ()) -> list[str]:
    out = []
    for t in tokens:
        if t.lower_ in HEDGES and not _inside(t, skip) and (t.dep_ in ("amod", "advmod") or t.pos_ == "ADV"):
            # "was supposed to be escorted" is an obligation, not a hedge.
            if not (t.i + 1 < len(t.doc) and t.nbor(1).lower_ == "to"):
                out.append(str(t.lower_))
    return out


def hedges(doc: Any, rel: Relation, cue: Any | None, comment: Any | None) -> tuple[str, ...]:
    """Words by which the writer keeps a distance from the claim: in its sentence (outside the
    source's own words), the cue itself when it is "claim"/"allege", and a remark of the writer's
    in the next sentence about the same source ("... the supposed evacuation")."""
    found: list[str] = []
    if cue is not None:
        found += _hedge_words(list(sent_of(cue)), skip=rel.source)
        if _SO_CALLED.search(str(sent_of(cue).text)):
            found.append("so-called")
        if str(cue.lemma_).lower() in HEDGING_CUES:
            found.append(str(cue.lower_))
    if comment is not None:
        found += _hedge_words(list(comment))
    return tuple(dict.fromkeys(found))


# --- putting it together ------------------------------------------------------------------------

def _sentence_span(doc: Any, rel: Relation, cue: Any | None) -> Span:
    spans = list(rel.cue) + list(rel.source) + list(rel.content)
    starts, ends = [], []
    for s, e in spans:
        for i in (s, max(s, e - 1)):
            span = doc.char_span(i, i + 1, alignment_mode="expand")
            if span is not None and len(span):
                sent = sent_of(span[0])
                starts.append(sent.start_char)
                ends.append(sent.end_char)
    if cue is not None:
        starts.append(sent_of(cue).start_char)
        ends.append(sent_of(cue).end_char)
    if not starts:
        return (0, 0)
    lo, hi = min(starts), max(ends)
    text = doc_text(doc)[lo:hi]
    return (lo + len(text) - len(text.lstrip()), hi - (len(text) - len(text.rstrip())))


def _writer_comment(doc: Any, cue: Any | None, names: Sequence[str], taken: set[int]) -> Any | None:
    """The next sentence of the same paragraph when it holds no relation and mentions the source or
    channel again: the writer's remark on the claim, whose hedges belong to it."""
    if cue is None:
        return None
    end = sent_of(cue).end
    if end >= len(doc):
        return None
    gap = doc_text(doc)[sent_of(cue).end_char:doc[end].idx]
    if "\n" in gap or "\n" in sent_of(cue).text.strip():
        return None
    nxt = sent_of(doc[end])
    if nxt.start in taken:
        return None
    low = nxt.text.lower()
    return nxt if any(n and n.lower() in low for n in names) else None


def _container(rel: Relation, relations: Sequence[Relation]) -> Relation | None:
    """The smallest other relation whose content holds this relation's cue (the one reporting it)."""
    cue_size = _size(rel.cue)
    best = None
    for other in relations:
        if other is rel or not cue_size:
            continue
        if _overlap(rel.cue, other.content) == cue_size and (
                best is None or _size(other.content) < _size(best.content)):
            best = other
    return best


def is_citing_link(doc: Any, rel: Relation, relations: Sequence[Relation]) -> bool:
    """"SANA reported Z, citing Y": the "citing Y" relation (PolNeAR labels it) is a link of the
    chain of SANA's claim, which makes Y its origin, and no claim of its own."""
    cue = cue_token(doc, rel)
    if cue is None or str(cue.lemma_).lower() not in CITING_VERBS:
        return False
    if cue.tag_ != "VBG" and cue.dep_ not in ("relcl", "acl"):
        return False  # "ACN quoted villagers saying Z" is a report of its own
    for other in relations:
        verb = cue_token(doc, other) if other is not rel else None
        if verb is None or sent_of(verb).start != sent_of(cue).start:
            continue
        if cue.head.i == verb.i or _overlap(rel.source, other.source) or _inside(cue, other.source):
            return True
    return False


def build_claims(article: Article, doc: Any, relations: Sequence[Relation]) -> tuple[Claim, ...]:
    """One Claim per relation, writer's-voice ones dropped, numbered in text order."""
    acronyms = doc_acronyms(doc)
    rels = [r for r in relations
            if is_claim(doc, r) and not is_citing_link(doc, r, relations)]
    taken = set()
    for r in rels:
        c = cue_token(doc, r)
        if c is not None:
            taken.add(sent_of(c).start)
    links: dict[int, list[EntityRef]] = {}
    parts: dict[int, tuple[Any, EntityRef, bool]] = {}  # cue, source, whether it names an origin
    referents = Referents(acronyms)
    for k, r in enumerate(rels):
        cue = cue_token(doc, r)
        if not r.source and cue is not None and cue.lower_ != "according":
            # The model left the source out: the cue verb's subject is still the speaker.
            subject = [t for t in subject_of(cue) if not _inside(t, r.content) and t.i != cue.i]
            if subject:
                r = rels[k] = replace(r, source=char_spans(subject))
        if cue is not None and r.content:
            # "the president, who is expected to sign it": the relative pronoun is the subject of
            # the cue, not a word of the claim (PolNeAR's content keeps it as often as not, so
            # the scorer's relations are left as read).
            words = tokens_in(doc, r.content)
            if (len(words) > 1 and words[0].tag_ in ("WP", "WDT") and words[0].head.i == cue.i
                    and words[0].dep_ in ("nsubj", "nsubjpass")):
                r = rels[k] = replace(r, content=char_spans(words[1:]))
        if _overlap(r.source, r.content):
            # "Z the Monitor said" with its commas stripped: the model can read a speaker that
            # runs into the content ("the market of Varna the Monitor"); the content keeps its words.
            content_ids = {t.i for t in tokens_in(doc, r.content)}
            rest = [t for t in tokens_in(doc, r.source) if t.i not in content_ids]
            if rest:
                r = rels[k] = replace(r, source=char_spans(rest))
        source = (entity_ref(doc, r.source, acronyms, cue) if r.source
                  else EntityRef(text="", kind="unknown"))
        source = referents.resolve(source, tokens_in(doc, source.spans))
        own: list[EntityRef] = []
        found = find_channel(cue, r) if cue is not None else None
        channel_tok = found[0] if found else None
        if found and _inside(channel_tok, r.content):
            phrase_ids = {t.i for t in found[1]}
            r = replace(r, content=char_spans(t for t in tokens_in(doc, r.content) if t.i not in phrase_ids))
            rels[k] = r
        cited_tok = find_cited(cue, r) if cue is not None else None
        if cited_tok is not None:
            own.append(entity_ref(doc, _phrase_spans(cited_tok), acronyms))
            if _inside(cited_tok, r.content):
                citing = cited_tok.head
                while str(citing.lemma_).lower() not in CITING_VERBS and citing.head.i != citing.i:
                    citing = citing.head  # "citing a statement from X": up from X to "citing"
                cited_ids = {t.i for t in citing.subtree}
                r = replace(r, content=char_spans(
                    t for t in tokens_in(doc, r.content) if t.i not in cited_ids))
                rels[k] = r
        if source.text:
            own.append(source)
        if channel_tok is not None:
            own.append(entity_ref(doc, _phrase_spans(channel_tok), acronyms))
        links[id(r)] = own
        parts[id(r)] = (cue, source, bool(source.text) or cited_tok is not None)

    def chain_of(r: Relation, seen: frozenset[int] = frozenset()) -> list[EntityRef]:
        chain = list(links[id(r)])
        # Two relations can each hold the other's cue when the contents are read too wide ("X said
        # A, Y reported"): a relation already on the way out is not climbed again, or the chain
        # would repeat X, Y, X, Y... The depth cap still bounds a long honest nesting.
        seen = seen | {id(r)}
        outer = _container(r, rels) if len(seen) <= 5 else None
        if outer is not None and id(outer) not in seen:
            chain += chain_of(outer, seen)
        # A party named twice in a row (the same outlet relaying itself) is one link.
        dedup: list[EntityRef] = []
        for link in chain:
            if not dedup or dedup[-1].text.lower() != link.text.lower():
                dedup.append(link)
        return dedup

    # The same words given to two cues ("'...,' he said. '...,' he added" read with one content
    # for both, or a stray "announced" inside the quote) were said once: the first relation whose
    # source is a name keeps them, else the first with any source.
    def rank(r: Relation) -> tuple[bool, bool]:
        text = parts[id(r)][1].text
        return bool(text), any(c.isupper() for c in text) and text.lower() not in _PRONOUNS

    owner: dict[tuple[Span, ...], Relation] = {}
    for r in rels:
        best = owner.get(tuple(r.content))
        if best is None or rank(r) > rank(best):
            owner[tuple(r.content)] = r
    claims: list[Claim] = []
    said: set[tuple[str, str, str]] = set()
    for r in rels:
        if owner[tuple(r.content)] is not r:
            continue
        cue, source, has_origin = parts[id(r)]
        # A page that repeats its lead (a summary above the body, a scraped teaser) repeats its
        # claims: the same party, cue and words are one claim, kept where they first appear.
        key = (source.text.lower(), _text(doc, r.cue).lower(), " ".join(_text(doc, r.content).lower().split()))
        if key in said:
            continue
        said.add(key)
        n = len(claims) + 1
        chain = tuple(chain_of(r))
        # The chain starts with the source's own links: "X, citing Y" makes Y the origin (the
        # source) and X its relay (the channel); "Y revealed to X" gives the same pair. A claim
        # reported inside another one is relayed by the reporting party.
        if has_origin and chain:
            source = chain[0]
            channel = chain[1] if len(chain) > 1 else None
        else:
            channel = chain[0] if chain else None
        lo, hi = _sentence_span(doc, r, cue)
        names = [x.text for x in chain if x.text]
        comment = _writer_comment(doc, cue, names, taken)
        claims.append(Claim(
            id=f"{article.id}:{n}",
            article_id=article.id,
            n=n,
            sentence=str(doc_text(doc)[lo:hi]),
            sentence_span=(lo, hi),
            source=source,
            cue=_text(doc, r.cue),
            content=_text(doc, r.content),
            source_spans=source.spans if source.text else tuple(r.source),
            cue_spans=tuple(r.cue),
            content_spans=tuple(r.content),
            channel=channel,
            chain=chain,
            kind=attribution_kind(doc, r, cue),
            stance=stance(doc, r, cue),
            hedges=hedges(doc, r, cue, comment),
            outlet=article.outlet,
            published=article.published,
        ))
    return tuple(claims)
