"""Where a source span ends: what PolNeAR's annotators leave out of a source that the tagger, which
tends to run a source on up to its cue, takes in. Called by :func:`.boundaries.tidy` on the one
source piece it keeps.

Counted on PolNeAR train gold (the 720 articles the held-out models were trained on), over the
stretch between a source's first word and its cue:

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
from typing import Any

Groups = list[list[int]]

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


def source_edges(doc: Any, cue: list[int], src: Groups) -> Groups:
    """``src`` (one piece at most is expected) without a leading dateline or a trailing time,
    comma-led prepositional or adverbial phrase, when it lies before its cue."""
    if len(src) != 1 or src[0][-1] > cue[0]:
        return src
    group = _no_leading_link(doc, _after_dateline(doc, src[0]))
    return [_cut_tail(doc, group)]


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
        if tok.head.i in inside:  # inside the source's own phrase ("a report released in May")
            continue
        lead = doc[k - 1].text == ","
        if _is_time(doc, k) or (lead and (tok.pos_ in ("ADP", "ADV") or tok.tag_ == "VBG")
                                and tok.lower_ not in JOINING):
            keep = group[:n]
            while keep and (doc[keep[-1]].is_punct or doc[keep[-1]].is_space) and doc[keep[-1]].text != ")":
                keep.pop()
            return keep if keep else group
    return group
