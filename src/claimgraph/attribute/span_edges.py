"""Quote marks, and the edge conventions :func:`.boundaries.tidy` added in its second round: whole
sentences around an attribution, and where a source starts and ends.

Counted on PolNeAR train gold (the 720 articles the held-out models were trained on).

Content (the functions need a parsed Doc; :func:`.boundaries.tidy` checks that once):

* a source and cue set off by commas inside the sentence they report ("Back home, the mayor said,
  she ...") leave content on both sides: the stretch before them is taken in 185 times in 202
  when the words after the cue are not quoted;
* after a whole quotation and its attribution, the unquoted rest of the sentence ("“...,” she said,
  adding ...") is no content: left out 255 times in 270;
* content after the cue starts after the modifiers of the saying that stand before what was said
  ("said Tuesday his ...", "told a hall in Salem that ..."): left out 280 times in 314;
* a piece ends before a comma-led participle of saying (", saying ...", ", calling it ..."): gold
  runs on over one 16 times in 196;
* a piece ends at a quote that closes a sentence when unquoted words follow ("... loves you.” She
  says ..."): gold runs on past such a mark 24 times in 371.

Sources, over the stretch between a source's first word and its cue:

* a wire dateline is no part of the source ("WASHINGTON (AP) — Donald Trump said", "BRUSSELS -
  European leaders"): no gold source takes one in (0 of 63 datelines), nor, mostly, a subordinator
  or an agent's "by" before it ("Though Kaine has said": 17 in 478);
* a time phrase after the source's first word ends it ("an arbitration panel in 2001 found", "The
  Times on Saturday wrote", "Sanders last week said"): left out 41 times in 46 when it hangs from
  the cue's side;
* so does a comma followed by a preposition, an adverb or a participle ("Clinton, like Obama,
  has", "Bush, however, said", "Obama, dedicating the museum, said"): left out 63 times in 74, 38
  in 38 and 18 in 22, counting those that hang from the cue's side rather than from the source's
  own phrase ("a report released in May" keeps its time); not "along with", which joins a party.

Not a comma followed by a relative pronoun (gold takes "X, who ..." in 130 times, leaves it out
119), an age (", 59," kept 49 in 57) or a bracketed party label ("(R-Fla.)", kept 131 in 142).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

import numpy as np
from spacy.attrs import IS_SPACE, ORTH
from spacy.strings import get_string_id

from .lexicon import SPEECH_VERBS
from .rules import doc_text, sent_of

Groups = list[list[int]]

OPENING = frozenset({"\u201c", "``"})
CLOSING = frozenset({"\u201d"})
# The New York Times writes '' on both sides of a quotation, others a straight double quote.
EITHER = frozenset({'"', "''"})
_QUOTE_IDS = np.array([get_string_id(q) for q in OPENING | CLOSING | EITHER], dtype=np.uint64)
PAIRS_KEY = "claimgraph.quote_pairs"
MARKS_KEY = "claimgraph.quote_marks"
COMMAS_KEY = "claimgraph.commas"
_COMMA_ID = get_string_id(",")
SENTENCE_ENDS = frozenset({".", "?", "!"})
# Marks that open the stretch of a sentence a parenthetical attribution reports ("... - a provision,
# Corker said, that ...").
STRETCH_STOPS = frozenset({"-", "--", "\u2014", "\u2013", ";", ":", "("})
# Dependents of a cue that tell how, when or where it was said, when they come before what was said.
SAYING_MODIFIERS = frozenset({"prep", "npadvmod", "advmod"})
# Participles after a comma that start a saying of their own (", saying ...", ", calling it ...").
SPEECH_TAIL = SPEECH_VERBS | {"call", "cite", "point", "urge", "refer"}
# Words that only link a sentence to the one before ("But, he said, ...", "And yet, ...").
LINKS = frozenset({"so", "yet", "still"})
DASHES = frozenset({"\u2014", "\u2013", "--", "-"})
# Words that make a phrase a time: days, months, parts of the day and spans of the calendar.
TIME_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec.", "week", "weekend", "month",
    "year", "morning", "afternoon", "evening", "night", "today", "yesterday", "tonight",
})
TIME_PREPOSITIONS = frozenset({"in", "on", "at", "during", "earlier", "later", "last", "this"})
# "X, along with Y," joins a second party to the source: kept.
JOINING = frozenset({"along", "together"})
YEAR = re.compile(r"(1[89]|20)\d\d")


def has_word(doc: Any, group: list[int]) -> bool:
    return any(not (doc[i].is_punct or doc[i].is_space) for i in group)


def words(doc: Any, start: int, end: int) -> list[int]:
    """Token indices start..end inclusive, white-space tokens left out as the decoders do."""
    return [i for i in range(start, end + 1) if not doc[i].is_space]


def quote_pairs(doc: Any) -> list[tuple[int, int]]:
    """(opening, closing) token indices of the quotations in ``doc``, in text order; computed once
    per Doc. A quotation does not run past its paragraph: an unclosed mark is dropped at the break,
    so that one stray mark cannot pair every later quote the wrong way round."""
    pairs = doc.user_data.get(PAIRS_KEY)
    if pairs is not None:
        return list(pairs)
    pairs = []
    opened = -1
    # Only quote marks and white-space tokens matter: finding them with numpy first makes this a
    # tenth of a millisecond per article instead of a full walk over the tokens in Python.
    arr = doc.to_array([ORTH, IS_SPACE])
    arr = arr.reshape(len(doc), 2)  # a one-token Doc gives a flat array
    for i in np.nonzero(np.isin(arr[:, 0], _QUOTE_IDS) | (arr[:, 1] != 0))[0].tolist():
        text = doc[i].text
        if "\n" in text:  # a paragraph break (spaCy keeps it as a white-space token)
            opened = -1
        elif text in OPENING or (text in EITHER and opened < 0):
            opened = i
        elif opened >= 0 and (text in CLOSING or text in EITHER):
            pairs.append((opened, i))
            opened = -1
    doc.user_data[PAIRS_KEY] = pairs
    return list(pairs)


def cached_pairs(doc: Any) -> list[tuple[int, int]]:
    """quote_pairs without the copy, for reading only."""
    if PAIRS_KEY not in doc.user_data:
        quote_pairs(doc)
    return doc.user_data[PAIRS_KEY]  # type: ignore[no-any-return]


def quote_marks(doc: Any) -> tuple[list[int], list[int], frozenset[int]]:
    """Opening and closing marks of the quotations (sorted), and the openings as a set; cached."""
    marks = doc.user_data.get(MARKS_KEY)
    if marks is None:
        pairs = cached_pairs(doc)
        opens = [o for o, _ in pairs]
        marks = doc.user_data[MARKS_KEY] = (opens, sorted(c for _, c in pairs), frozenset(opens))
    return marks  # type: ignore[no-any-return]


def quoted(doc: Any, i: int) -> bool:
    """Whether token ``i`` lies inside a quotation (marks included)."""
    pairs = cached_pairs(doc)
    k = bisect_right(pairs, (i, len(doc))) - 1
    return k >= 0 and pairs[k][0] <= i <= pairs[k][1]


def quote_ends_sentence(doc: Any, group: list[int]) -> list[int]:
    """A piece ends at a quote that closes a sentence ("... loves you.” She says they ...") when
    unquoted words follow it: train gold runs on past such a mark 24 times in 371."""
    closes = quote_marks(doc)[1]
    for c in closes[bisect_left(closes, group[0]): bisect_left(closes, group[-1])]:
        n = bisect_left(group, c)
        if (group[n] == c and c > 0 and doc[c - 1].text in SENTENCE_ENDS and not quoted(doc, group[n + 1])
                and not (doc[group[n + 1]].is_punct or doc[group[n + 1]].is_space)):
            return group[: n + 1]
    return group


def speech_tail(doc: Any, i: int) -> bool:
    """Whether token ``i`` is an unquoted comma followed by a participle of saying ("..., saying
    ...", "..., calling it ..."): train gold runs content on over one 16 times in 196."""
    return (doc[i].text == "," and i + 1 < len(doc) and doc[i + 1].tag_ == "VBG"
            and doc[i + 1].lemma_.lower() in SPEECH_TAIL and not quoted(doc, i))


def no_speech_tail(doc: Any, group: list[int]) -> list[int]:
    """``group`` ending before a comma-led participle of saying (see :func:`speech_tail`)."""
    commas = _commas(doc)  # only the commas are looked at: this runs on every piece
    for i in commas[bisect_right(commas, group[0]): bisect_left(commas, group[-1])]:
        n = bisect_left(group, i)
        if group[n] == i and speech_tail(doc, i):
            return group[:n]
    return group


def _commas(doc: Any) -> list[int]:
    """Token indices of the commas in ``doc``, found once per Doc."""
    commas = doc.user_data.get(COMMAS_KEY)
    if commas is None:
        arr = doc.to_array([ORTH]).reshape(-1)
        commas = doc.user_data[COMMAS_KEY] = np.nonzero(arr == _COMMA_ID)[0].tolist()
    return commas  # type: ignore[no-any-return]


def parenthetical(doc: Any, cue: list[int], src: Groups, con: Groups) -> Groups:
    """A source and cue set off by commas inside the sentence they report ("Back in Virginia, Mr.
    Clarke said, he decided ..."): the stretch before them is content too, from the sentence start
    (or a dash) to the comma. Train gold takes it in 185 times in 202 when the words after the cue
    are not quoted (with a quotation after, 37 in 118: left alone)."""
    if not src or not con:
        return con
    s0, c1 = src[0][0], cue[-1]
    if not (0 < s0 and doc[s0 - 1].text == "," and src[-1][-1] < cue[0] and c1 + 2 < len(doc)
            and doc[c1 + 1].text == ","):
        return con
    after = [g for g in con if g[0] > c1]
    if not after or after[0][0] != c1 + 2 or quoted(doc, after[0][0]) or any(g[0] < s0 for g in con):
        return con
    # Back to the sentence's start, found by its marks: the parser sometimes starts a sentence
    # inside one ("short-lived").
    start = -1
    for k in range(s0 - 2, max(s0 - 80, -1), -1):
        text = doc[k].text
        if (text in STRETCH_STOPS and (text != "-" or doc[k - 1].whitespace_)) or text in SENTENCE_ENDS or "\n" in text:
            start = k + 1
            break
        if doc[k].tag_ in ("WDT", "WP", "WP$") and doc[k - 1].text == ",":  # "..., which, X said, ..."
            start = k
            break
        if text in OPENING or text in CLOSING or text in EITHER:
            return con
    else:
        start = 0 if s0 < 80 else -1
    if start < 0:
        return con
    stretch = words(doc, start, s0 - 2)
    # A bare "But" or "And yet" only links the sentence to the one before (left out 6 times in 6).
    if not any(doc[i].pos_ not in ("CCONJ", "PUNCT") and doc[i].lower_ not in LINKS for i in stretch):
        return con
    return [stretch] + after


def after_quote_tail(doc: Any, cue: list[int], src: Groups, con: Groups) -> Groups:
    """After a quotation and its attribution ("“...,” she said, adding ...", "“...,” they said, under
    Article 21"), the unquoted rest of the sentence tells about the saying, not what was said:
    train gold leaves it out 255 times in 270 (the parser often hangs it from the quote's verb, so
    the cue-modifier test misses it). Left alone when a quotation opens in that rest ("and “...”")."""
    if len(con) < 2:
        return con
    before = [g for g in con if g[-1] < cue[0]]
    # The piece before is a quotation as a whole: one that starts outside it ("But “it is ...,” he
    # added, to pursue ...") or a quote that is only the subject ("“Only you,” she said, would use")
    # goes on after the cue.
    if not before or not quoted(doc, before[-1][-1]) or not _opens_quote(doc, before[-1][0]):
        return con
    k = max([cue[-1]] + [i for g in src for i in g if i > cue[-1]]) + 1
    while k < len(doc) and doc[k].is_space:
        k += 1
    if k + 1 >= len(doc) or doc[k].text != ",":
        return con
    start = k + 1
    while start < len(doc) and doc[start].is_space:
        start += 1
    end = sent_of(doc[cue[-1]]).end
    if start >= end or quoted(doc, start) or doc[start].tag_ in ("MD", "TO") or doc[start].tag_.startswith("VB") and doc[start].tag_ != "VBG" or any(doc[i].text in OPENING or doc[i].text in EITHER for i in range(start, end)):
        return con
    out = []
    for g in con:
        if g[0] >= start:
            g = [i for i in g if i >= end]
            if not has_word(doc, g):
                continue
        out.append(g)
    return out


def no_saying_modifier(doc: Any, cue: list[int], con: Groups) -> Groups:
    """Content after the cue starts after the modifiers of the saying that stand between the cue and
    what was said ("said Tuesday his actions ...", "said in a statement that ...", "added, though,
    that ..."): train gold leaves such a modifier out 280 times in 314."""
    k = next((n for n, g in enumerate(con) if g[0] > cue[-1]), None)
    if k is None:
        return con
    g = con[k]
    cue_set = set(cue)
    # Cheap test first (this runs on every relation): the piece's first word lies in a modifier of
    # the saying, found by climbing to the cue.
    tok = doc[g[0]]
    for _ in range(8):
        if tok.head.i in cue_set or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.head.i not in cue_set or tok.dep_ not in SAYING_MODIFIERS:
        return con
    inside = set(g)
    for i in cue:
        kids = [ch for ch in doc[i].children if ch.i > cue[-1] and ch.i not in cue_set]
        comp = next((ch for ch in kids if ch.dep_ in ("ccomp", "xcomp", "dobj") and ch.i in inside), None)
        if comp is None:
            continue
        ends = [ch.right_edge.i for ch in kids if ch.dep_ in SAYING_MODIFIERS
                and g[0] <= ch.right_edge.i < comp.left_edge.i]
        if not ends:
            return con
        start = max(ends) + 1
        while start < comp.left_edge.i and (doc[start].is_punct or doc[start].is_space) and doc[start].text not in OPENING | EITHER:
            start += 1
        keep = [j for j in g if j >= start]
        return con[:k] + [keep] + con[k + 1:] if has_word(doc, keep) else con
    return con


def _opens_quote(doc: Any, i: int) -> bool:
    """Whether token ``i`` is an opening quote mark or the first word after one."""
    opens = quote_marks(doc)[2]
    return i in opens or (i > 0 and i - 1 in opens)


def source_edges(doc: Any, cue: list[int], src: Groups) -> Groups:
    """``src`` (one piece at most is expected) without a leading dateline or a trailing time,
    comma-led prepositional or adverbial phrase, when it lies before its cue."""
    if len(src) != 1 or src[0][-1] > cue[0]:
        return src
    group = src[0]
    # The piece's own text tells cheaply which tests can apply (this runs on every relation); the
    # Doc's text is cached once per Doc, and the claims built later read it anyway.
    last = doc[group[-1]]
    text = doc_text(doc)[doc[group[0]].idx: last.idx + len(last)]
    if "-" in text or "\u2014" in text or "\u2013" in text:
        group = _after_dateline(doc, group)
    group = _no_leading_link(doc, group)
    if "," in text or not TIME_PREPOSITIONS.isdisjoint(text.lower().split()):
        group = _cut_tail(doc, group)
    return [group]


def _after_dateline(doc: Any, group: list[int]) -> list[int]:
    """``group`` from after a wire dateline's dash ("CLEVELAND, July 19 (UPI) — Former ..."): a
    closing bracket right before the dash marks the agency."""
    for n in range(1, len(group) - 1):
        i = group[n]
        # A dash set off by spaces, after the agency's bracket or a place name in capitals.
        if doc[i].text in DASHES and doc[i - 1].whitespace_ and doc[i].whitespace_ and (
                doc[i - 1].text == ")" or all(doc[k].is_upper or doc[k].is_punct for k in group[:n])):
            return group[n + 1:]
    return group


def _no_leading_link(doc: Any, group: list[int]) -> list[int]:
    """``group`` without a subordinator or the agent's "by" it starts with ("Though Kaine has
    described", "considered unclean by Muslims"): train gold starts a source so 17 times and with
    the word before it 461 times."""
    first = doc[group[0]]
    if len(group) > 1 and (first.pos_ == "SCONJ" or (first.lower_ == "by" and first.dep_ == "agent")):
        return group[1:]
    return group


def _is_time(doc: Any, k: int) -> bool:
    """Whether a time phrase opens at token ``k`` ("on Saturday", "in 2001", "last week")."""
    word = doc[k].lower_
    if word not in TIME_PREPOSITIONS:
        return False
    after = [doc[i].lower_ for i in range(k + 1, min(k + 4, len(doc)))]
    return any(w in TIME_WORDS or YEAR.fullmatch(w) for w in after[: 3 if word in ("in", "on", "at", "during") else 1]
               ) or (word in ("earlier", "later") and bool(after) and after[0] in ("this", "that", "last"))


def _cut_tail(doc: Any, group: list[int]) -> list[int]:
    """``group`` ending before the first time phrase or comma-led adverbial after its first word."""
    inside = set(group)
    for n in range(1, len(group)):
        k = group[n]
        tok = doc[k]
        lead = doc[k - 1].text == ","
        if not lead and tok.lower_ not in TIME_PREPOSITIONS:  # the cheap test first
            continue
        if tok.head.i in inside:  # inside the source's own phrase ("a report released in May")
            continue
        if _is_time(doc, k) or (lead and (tok.pos_ in ("ADP", "ADV") or tok.tag_ == "VBG")
                                and tok.lower_ not in JOINING):
            keep = group[:n]
            while keep and (doc[keep[-1]].is_punct or doc[keep[-1]].is_space) and doc[keep[-1]].text != ")":
                keep.pop()
            return keep if keep else group
    return group
