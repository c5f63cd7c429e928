"""Span boundaries: where a decoded source or content span starts and ends.

The taggers decide which tokens belong to a role; PolNeAR's annotators follow conventions about the
edges that a first-order tagger gets wrong often enough to cost exact-match points.  Both models pass
their token groups through :func:`tidy` just before they become character spans.

The conventions kept here are the ones that paid on PolNeAR (measured with the reference scorer's
exact per-part F1; train gold checked so that they are not dev's quirks):

* a quotation is content as a whole: a piece that opens a quotation, or lies inside one, runs to
  its closing mark; one that closes it starts at its opening mark (the tagger often stops a long
  quote mid-sentence);
* a piece that enters a quotation and stops inside it runs on to its closing mark too ("that he
  and his wife “have talked with him ... family.”");
* content is split only by its own cue ("“A,” she said, “B.”"); several pieces on one side of the
  cue are the tagger breaking off: pieces a token or two apart are joined, and of pieces further
  apart the one nearest the cue is the one the annotators meant;
* a source is one phrase (18,352 of 18,361 train sources are a single span): of several pieces, the
  subject of the cue verb;
* content takes the whole phrases its words head: a piece that stops inside one (before a
  conjunct, an object, a prepositional phrase) runs on to its end; train gold keeps such dependents
  in 95-99% of cases. Not over a comma-led relative clause (kept 341 times, left out 226), nor
  past a sentence end, a closing quote mark, a paragraph break, the cue or the source;
* the one told is no part of what was told: "told reporters that ..." has the content "that ...";
  train gold leaves the addressee out 137 times in 141 for "tell X that", 91 in 94 for "tell X S"
  (not so for "urge X to", where the annotators mostly kept X);
* content does not follow a quote into the next paragraph: of the quotes that continue right after
  the cue's sentence, train gold takes in 1,354 of 1,475 in the same paragraph but 31 of 202 in
  the next one, so a piece after the cue past a paragraph break goes when one remains before it;
* with content on both sides of the cue, a piece that hangs from the cue as a modifier tells how,
  when or where it was said ("“...,” Pence said on CNN's “State of the Union.”", "“...,” she
  said, adding later ...", "Appearing on TV, Pence said ..."), not what: it is dropped, unless it
  is quoted or an "as" complement;
* a cue that opens a quotation leaves out the writer's lead-in before it ("In an interview with
  TMZ, Walker said, “...”"; the parser hangs it from the quote): train gold leaves out 144 of 162
  such stretches that open with a preposition, subordinator, adverb or participle;
* reported speech ends with its sentence when a quotation opens the next one ("said the race is
  over. “Cruz is ...”"): train gold runs on into that quote 20 times in 1,371;
* a quote that closes on a comma ends the piece when a participle follows ("Kelly was “incognito,”
  sparking a firestorm"): train gold leaves the participle out 43 times in 50;
* a piece holding nothing but punctuation (a lone closing quote mark) is dropped;
* a relation the tagger left without a source gets the subject of its cue's clause, followed up
  through verbs that share it ("Stumpf tried ..., explaining that"); not in the passive, where the
  subject is the one addressed ("she was asked").

The conventions of the second round (a parenthetical attribution, the rest of a sentence after a
quote and its cue, modifiers of the saying, quotes that close a sentence, and where a source starts
and ends) are in :mod:`.span_edges`, with the quote-mark helpers both modules use.

Token groups are lists of token indices in text order, as the taggers' decoders return them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import partial
from typing import Any

from .rules import sent_of
from .span_edges import (
    CLOSING,
    EITHER,
    OPENING,
    SENTENCE_ENDS,
    after_quote_tail,
    cached_pairs,
    has_word,
    no_saying_modifier,
    no_speech_tail,
    parenthetical,
    quote_ends_sentence,
    quote_marks,
    quote_pairs,
    quoted,
    source_edges,
    speech_tail,
    words,
)

__all__ = ["quote_pairs", "tidy"]

Groups = list[list[int]]

SUBJECTS = frozenset({"nsubj", "nsubjpass"})
PASSIVE = frozenset({"nsubjpass", "auxpass"})
# Verbs a cue shares its subject with ("Stumpf tried ..., explaining", "X is bearish and expects").
SHARED_SUBJECT = frozenset({"conj", "advcl", "xcomp"})
# Subjects that are no speaker ("it seems", "that shows", "there is").
EMPTY_SUBJECTS = frozenset({"it", "that", "this", "there"})
# Verbs whose object is the one addressed, when a clause follows it ("told reporters that ...").
ADDRESSING = frozenset({"tell", "remind", "assure", "reassure", "convince", "inform", "warn", "notify",
                        "advise", "ask", "brief"})
OBJECTS = frozenset({"dobj", "dative"})
# Dependents of a cue that tell how, when or where it was said rather than what: train gold leaves
# them out of content that stands before the cue (advcl 366 times in 396, prep 779 in 963,
# npadvmod 108 in 113, agent 118 in 122). conj and cc (110 in 136, 106 in 129) were measured: no gain.
CUE_MODIFIERS = frozenset({"advcl", "prep", "npadvmod", "agent"})
# Before the cue, with content after it, train gold leaves them out just as often (advcl 648 times
# in 667, prep 1,397 in 1,422, npadvmod 233 in 237) and adverbs too (834 in 854).
CUE_MODIFIERS_BEFORE = CUE_MODIFIERS | {"advmod"}
# Tokens between two content pieces up to which they count as one piece the tagger broke. Joining
# them, rather than keeping the nearest only, cost the default model 0.1-0.3 exact content on
# PolNeAR and gave the accurate one 0.7 relation F1; 2 was the best compromise of 1-8.
MAX_BREAK = 2


def tidy(doc: Any, cue: list[int], src: Groups, con: Groups) -> tuple[Groups, Groups]:
    """The source and content token groups of one relation with their edges adjusted."""
    parsed = doc.has_annotation("DEP")  # phrases and sentences need a parse (the models always have one)
    con = [g for g in con if has_word(doc, g)]
    taken = set(cue).union(*map(set, src)) if src else set(cue)
    con = _merge([_whole_quote(doc, g, taken) for g in con])
    con = [_drop_addressee(doc, cue, g) for g in con]
    con = _one_side(doc, cue, con)
    con = _own_paragraph(doc, cue, con)
    con = _no_cue_modifier(doc, cue, con)
    con = _no_lead_in(doc, cue, con)
    con = [_indirect_end(doc, cue, g) for g in con]
    con = [_quote_then_participle(doc, quote_ends_sentence(doc, no_speech_tail(doc, g))) for g in con]
    if not src and con:
        src = _subject_source(doc, cue, con)
    src = source_edges(doc, cue, _one_source(doc, cue, src))
    if parsed:
        con = after_quote_tail(doc, cue, src, parenthetical(doc, cue, src, no_saying_modifier(doc, cue, con)))
    taken = set(cue).union(*map(set, src)) if src else set(cue)
    if not con or not parsed:
        return src, con
    ends = [g[0] for g in con[1:]] + [len(doc)]
    return src, [_complete_right(doc, g, end, taken) for g, end in zip(con, ends, strict=True)]


def _whole_quote(doc: Any, group: list[int], taken: set[int]) -> list[int]:
    """``group`` widened to the whole quotation it opens or closes, unless the cue or source lies
    inside that quotation (then the quote is not all content)."""
    pairs = cached_pairs(doc)
    start, end = group[0], group[-1]
    k = bisect_right(pairs, (start, len(doc))) - 1
    if k < 0 or not pairs[k][0] <= start <= pairs[k][1]:
        return _into_quote(doc, group, pairs, taken)
    o, c = pairs[k]
    if any(o <= t <= c for t in taken):
        return group
    if end < c:  # opens the quotation or lies inside it, and stops short of its end
        return words(doc, o, c)
    if start > o + 1:  # reaches the closing mark but starts inside the quotation
        return words(doc, o, end)
    return group


def _into_quote(doc: Any, group: list[int], pairs: list[tuple[int, int]], taken: set[int]) -> list[int]:
    """``group`` run on to the closing mark of a quotation it enters and stops inside ("that he
    and his wife “have talked with him for years" stops where the quote goes on)."""
    end = group[-1]
    k = bisect_right(pairs, (end, len(doc))) - 1
    if k < 0:
        return group
    o, c = pairs[k]
    if not group[0] < o <= end < c or any(o <= t <= c for t in taken):
        return group
    return group + words(doc, end + 1, c)


def _merge(groups: Groups) -> Groups:
    """Groups in text order, overlapping ones joined (two pieces widened to the same quotation)."""
    out: Groups = []
    for g in sorted(groups):
        if out and g[0] <= out[-1][-1]:
            out[-1] = sorted(set(out[-1]) | set(g))
        else:
            out.append(list(g))
    return out


def _drop_addressee(doc: Any, cue: list[int], group: list[int]) -> list[int]:
    """``group`` without the addressee it starts with, when a cue verb of telling has that object
    and then a clause (the content proper) inside the group."""
    if group[0] <= cue[-1]:
        return group
    for i in cue:
        verb = doc[i]
        if verb.lemma_.lower() not in ADDRESSING:
            continue
        # A real noun phrase that the group starts with: not "that"/"whatever", which a misparse
        # sometimes hangs from the verb as its object.
        obj = next((ch for ch in verb.children if ch.dep_ in OBJECTS and group[0] <= ch.left_edge.i
                    and ch.i in group and ch.pos_ in ("NOUN", "PROPN", "PRON")
                    and not ch.tag_.startswith("W") and ch.lower_ != "that"), None)
        if obj is None:
            continue
        clause = next((ch for ch in verb.children if ch.dep_ == "ccomp" and ch.left_edge.i > obj.right_edge.i
                       and ch.i in group), None)
        if clause is None:
            continue
        start = obj.right_edge.i + 1
        while start < clause.i and (doc[start].text in {",", ":", "-", "--", "\u2014"} or doc[start].is_space):
            start += 1
        return [k for k in group if k >= start]
    return group


def _complete_right(doc: Any, group: list[int], limit: int, taken: set[int]) -> list[int]:
    """``group`` run on to the right edge of the phrases its words head, up to (not including)
    token ``limit``; see the module docstring for where it stops."""
    start, end = group[0], group[-1]
    last = min(sent_of(doc[end]).end, limit) - 1
    grown = True
    while grown:
        grown = False
        # A dependent of the group's words that starts right after it (a comma or quote mark
        # between at most): found by climbing from the next tokens, cheaper than walking children.
        for k in range(end + 1, min(end + 4, last + 1)):
            dep = _hanging_from(doc[k], start, end)
            if dep is None or dep.i <= end or dep.dep_ in ("cc", "punct"):  # a lone "and" is no phrase
                continue
            right = dep.right_edge.i
            if right > last or any(end < t <= right for t in taken) or _stops(doc, end, right):
                continue
            if dep.left_edge.i > 0 and doc[dep.left_edge.i - 1].text == "," and (
                    dep.dep_ == "relcl" or speech_tail(doc, dep.left_edge.i - 1)):
                continue
            end, grown = right, True
            break
    if end == group[-1]:
        return group
    while end > group[-1] and doc[end].is_punct and doc[end].text not in CLOSING | EITHER | {")"}:
        end -= 1
    return words(doc, start, end)


def _hanging_from(tok: Any, start: int, end: int) -> Any | None:
    """The ancestor of ``tok`` (or ``tok``) whose head lies in tokens start..end, if any."""
    for _ in range(64):  # a parse is a tree; the bound only guards against a malformed one
        head = tok.head
        if head.i == tok.i:
            return None
        if start <= head.i <= end:
            return tok
        tok = head
    return None


def _stops(doc: Any, start: int, end: int) -> bool:
    """Whether tokens start..end-1 hold a sentence end, a closing quote mark or a paragraph break."""
    for k in range(start, end):
        text = doc[k].text
        if text in SENTENCE_ENDS or text in CLOSING or text in EITHER or "\n" in text:
            return True
    return False


def _gap(group: list[int], cue: list[int]) -> int:
    return min(abs(group[0] - cue[-1]), abs(group[-1] - cue[0]))


def _one_side(doc: Any, cue: list[int], con: Groups) -> Groups:
    """Several content pieces all on one side of the cue: pieces a token or two apart are one
    piece the tagger broke (joined); of pieces further apart, only the one nearest the cue."""
    if len(con) < 2:
        return con
    before = any(g[-1] < cue[0] for g in con)
    after = any(g[0] > cue[-1] for g in con)
    if before and after:
        return con
    joined = [con[0]]
    for g in con[1:]:
        between = range(joined[-1][-1] + 1, g[0])
        if sum(not doc[i].is_space for i in between) <= MAX_BREAK and not any("\n" in doc[i].text for i in between):
            joined[-1] = words(doc, joined[-1][0], g[-1])
        else:
            joined.append(g)
    return [min(joined, key=lambda g: _gap(g, cue))]


def _own_paragraph(doc: Any, cue: list[int], con: Groups) -> Groups:
    """Pieces after the cue that lie in a later paragraph are dropped, as long as a piece remains
    in the cue's own paragraph (the annotators follow a quote on into the next paragraph rarely)."""
    if len(con) < 2:
        return con
    keep = [g for g in con if g[0] < cue[-1] or not _breaks(doc, cue[-1] + 1, g[0])]
    return keep or con


def _breaks(doc: Any, start: int, end: int) -> bool:
    """Whether tokens start..end-1 hold a paragraph break."""
    return any("\n" in doc[k].text for k in range(start, end))


def _no_cue_modifier(doc: Any, cue: list[int], con: Groups) -> Groups:
    """Content on both sides of the cue: a piece that hangs from the cue through a modifier of the
    saying is dropped, when a piece on the other side stays ("said on CNN's “State of the Union”",
    "said, adding later, “...”", "Appearing on TV, Pence said ...")."""
    if len(con) < 2 or con[0][0] > cue[-1] or con[-1][0] < cue[0]:
        return con
    cue_set = set(cue)
    mods = [_modifies_cue(doc, g, cue_set, g[0] < cue[0]) for g in con]
    sides = {g[0] < cue[0] for g, m in zip(con, mods, strict=True) if not m}  # sides keeping a piece
    return [g for g, m in zip(con, mods, strict=True) if not m or (g[0] > cue[0]) not in sides]


def _no_lead_in(doc: Any, cue: list[int], con: Groups) -> Groups:
    """When the cue opens a quotation ("..., Walker said, “I've had ...”"), an unquoted piece
    before it in the same sentence that opens like an adverbial is the writer's lead-in ("In an
    interview with TMZ Sports"): dropped. Train gold leaves such a lead-in out 144 times in 162
    (other stretches there, 40 in 54, were measured: no gain)."""
    if len(con) < 2 or con[0][0] > cue[-1] or not doc.has_annotation("DEP"):  # sentences need the parse
        return con
    after = next((g for g in con if g[0] > cue[-1]), None)
    if after is None or after[0] not in quote_marks(doc)[2]:
        return con
    if any(not (doc[k].is_punct or doc[k].is_space) for k in range(cue[-1] + 1, after[0])):
        return con
    sent = sent_of(doc[cue[0]])
    return [g for g in con if not (g[-1] < cue[0] and g[0] >= sent.start and _lead_word(doc[g[0]])
                                   and not any(map(partial(quoted, doc), g)))]


def _lead_word(tok: Any) -> bool:
    """Whether ``tok`` opens an adverbial: a preposition, subordinator, adverb or participle."""
    return tok.pos_ in ("ADP", "SCONJ", "ADV") or tok.tag_ in ("VBG", "VBN", "TO")


def _indirect_end(doc: Any, cue: list[int], group: list[int]) -> list[int]:
    """A reported (unquoted) piece after the cue ends with its sentence when a quotation opens the
    next one: train gold runs on into such a quote 20 times in 1,371."""
    if group[0] < cue[-1] or doc[group[0]].text in OPENING | EITHER or quoted(doc, group[0]):
        return group
    opens = quote_marks(doc)[0]
    for o in opens[bisect_right(opens, group[0]): bisect_right(opens, group[-1])]:
        n = bisect_left(group, o)
        if n > 1 and group[n] == o and doc[group[n - 1]].text in SENTENCE_ENDS:
            keep = group[: n - 1]
            while keep and (doc[keep[-1]].is_punct or doc[keep[-1]].is_space):
                keep.pop()
            return keep or group
    return group


def _quote_then_participle(doc: Any, group: list[int]) -> list[int]:
    """A piece ends at a quote that closes on a comma when a participle follows it ("Kelly was
    “incognito,” sparking a firestorm"): train gold leaves the participle out 43 times in 50."""
    closes = quote_marks(doc)[1]
    for c in closes[bisect_left(closes, group[0]): bisect_left(closes, group[-1])]:
        n = bisect_left(group, c)
        if group[n] == c and c > 0 and doc[c - 1].text == "," and doc[group[n + 1]].tag_ == "VBG":
            return group[: n + 1]
    return group


def _modifies_cue(doc: Any, group: list[int], cue_set: set[int], before: bool) -> bool:
    """Whether ``group`` hangs from a cue token through a modifier (CUE_MODIFIERS, or
    CUE_MODIFIERS_BEFORE for a piece ``before`` the cue) that lies outside any quotation, and
    outside the group or at its very start ("suggesting ...")."""
    inside = set(group)
    tok = next((doc[i] for i in group if doc[i].head.i not in inside), None)  # None: holds its root
    for _ in range(8):  # a few steps up at most: further up the piece hangs from another clause
        if tok is None or tok.head.i == tok.i:
            return False
        if tok.head.i in cue_set:
            break
        tok = tok.head
    else:
        return False
    if tok.dep_ not in (CUE_MODIFIERS_BEFORE if before else CUE_MODIFIERS) or (tok.i in inside and tok.i != group[0]):
        return False
    # "as" is the cue's complement, not a modifier ("which she described as a disaster").
    return tok.lower_ != "as" and not quoted(doc, tok.i)


def _one_source(doc: Any, cue: list[int], src: Groups) -> Groups:
    """Several source pieces: the nearest one that is the subject of a cue token. Without such a
    subject all are kept: the nearest piece alone was measured worse (it is often the addressee,
    "told his supporters")."""
    if len(src) < 2:
        return src
    cue_set = set(cue)
    subjects = [g for g in src if any(doc[i].dep_ in SUBJECTS and doc[i].head.i in cue_set for i in g)]
    if not subjects:
        return src
    return [min(subjects, key=lambda g: _gap(g, cue))]


def _subject_source(doc: Any, cue: list[int], con: Groups) -> Groups:
    """The cue clause's subject as a one-piece source, or none."""
    cue_set = set(cue)
    blocked = cue_set.union(*map(set, con))
    if any(doc[i].dep_ in PASSIVE or any(ch.dep_ in PASSIVE for ch in doc[i].children) for i in cue):
        return []

    def speaker(verb: Any) -> Any | None:
        for ch in verb.children:
            if ch.dep_ == "nsubj" and ch.i not in blocked and ch.lower_ not in EMPTY_SUBJECTS:
                return ch
        return None

    subject = next((s for s in (speaker(doc[i]) for i in cue) if s is not None), None)
    head = next((doc[i] for i in cue if doc[i].head.i not in cue_set), doc[cue[0]])
    for _ in range(3):  # a few verbs up at most: further up the subject is rarely the speaker's
        if subject is not None or head.dep_ not in SHARED_SUBJECT or head.head.i == head.i:
            break
        head = head.head
        subject = speaker(head)
    if subject is None:
        return []
    # The subject's phrase, cut where it meets the cue or the content, without edge punctuation.
    lo = hi = subject.i
    while lo > subject.left_edge.i and lo - 1 not in blocked:
        lo -= 1
    while hi < subject.right_edge.i and hi + 1 not in blocked:
        hi += 1
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space) and doc[lo].text != "(":
        lo += 1
    # A closing bracket stays: the scorer does not strip it ("Rep. John Mica (R-Fla.)").
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space) and doc[hi].text != ")":
        hi -= 1
    return [words(doc, lo, hi)]
