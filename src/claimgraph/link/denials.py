"""Which trail a denial answers, when several of its neighbours could.

A denial rewords what it denies ("denied a report that its helicopters had evacuated commanders
... from the Arlit area"), so one close pair of claims is weak evidence: a relay of an older,
similar story, or a side remark of the right story ("OCP calls on every party to disclose ..."),
can be worded a little closer than the story itself. The denial is weighed against the whole
trail instead: how much of its content the trail's claims say somewhere (the place and the
distinctive words carry the most IDF weight), whether the trail is set in the places the denial
names, whether the trail's event falls before the denial was published, and how widely the
trail was carried (a denial answers the story that circulates, rarely a one-article aside).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .features import ClaimTable

if TYPE_CHECKING:  # the matcher calls this module; only its type is needed here
    from .matching import Matcher

# Members of a trail read to weigh a denial: enough to hold a story's distinctive words, few
# enough that a denial costs a bounded number of lookups however big its trail grows.
MEMBERS_READ = 40
# Weights of the three parts of the rank. Coverage counts most (it is the "same story" signal);
# a place in common or at odds is a nudge of the size ``pair`` gives a shared place (0.1).
_PLACE_BONUS = 0.1
_PLACE_CLASH = 0.2
_LATER_EVENT = 0.2
# Per doubling of the trail's articles, up to eight: a prior, kept below a shared place's weight
# per step so that the words and places still decide between two well-carried stories.
_SPREAD = 0.1
_SPREAD_CAP = 3.0


def coverage(table: ClaimTable, idf: Sequence[float], i: int, members: Sequence[int]) -> float:
    """Share of the denial's IDF-weighted content words that the given claims use."""
    mine = table.tokens[i]
    total = sum(idf[x] for x in mine)
    if not total:
        return 0.0
    seen: set[int] = set()
    for j in members:
        seen.update(table.tokens[j])
    return sum(idf[x] for x in mine if x in seen) / total


def place_term(table: ClaimTable, i: int, members: Sequence[int]) -> float:
    """+ when the trail is set in a place the denial names, - when it names only other places."""
    mine = set(table.places[i])
    if not mine:
        return 0.0
    theirs = {p for j in members for p in table.places[j]}
    if not theirs:
        return 0.0
    return _PLACE_BONUS if mine & theirs else -_PLACE_CLASH


def timing_term(table: ClaimTable, i: int, when: tuple[int, int] | None) -> float:
    """A denial answers an event before it, not one dated after it was published."""
    pub = table.pub[i]
    if pub is None or when is None:
        return 0.0
    return -_LATER_EVENT if when[0] > pub else 0.0


def spread_term(table: ClaimTable, members: Sequence[int]) -> float:
    """The more articles carry a trail, the likelier it is the story a denial answers."""
    articles = len({table.art[j] for j in members})
    return _SPREAD * min(math.log2(max(articles, 1)), _SPREAD_CAP)


def rank(table: ClaimTable, idf: Sequence[float], i: int, members: Sequence[int],
         when: tuple[int, int] | None, best_pair: float) -> float:
    """How well the trail with ``members`` fits denial ``i``: its closest claim, plus the
    whole-trail evidence above. Only compared between the trails a denial could attach to."""
    return (best_pair + coverage(table, idf, i, members) + place_term(table, i, members)
            + timing_term(table, i, when) + spread_term(table, members))


def answers(table: ClaimTable, idf: Sequence[float], i: int, members: Sequence[int]) -> float:
    """For a denial close to no claim: how well a trail of its own article fits it, by the
    whole-trail evidence alone; -1 when the trail says none of its words (then nearness decides)."""
    if not coverage(table, idf, i, members):
        return -1.0
    return coverage(table, idf, i, members) + place_term(table, i, members) + spread_term(table, members)


def targets(m: Matcher, i: int, candidates: Sequence[int]) -> dict[str, float]:
    """The trails denial ``i`` may attach to, ranked: each candidate trail is read whole (up to a
    cap, its denials too: a denial repeated in other words answers the same story), not by its
    two nearest claims, so that the story the denial answers outranks a side trail or an older
    story worded a little closer. A trail must still hold one claim scoring ``deny`` with it."""
    t = m.t
    out: dict[str, float] = {}
    for kid in dict.fromkeys(m.cluster_of[j] for j in candidates):
        k = m.clusters.get(kid or "")
        if k is None or k.deny_founder or m.dates_conflict(t.when[i], k.when):
            continue
        members = [*k.members[:MEMBERS_READ], *k.denials[:MEMBERS_READ]]
        top = max((m.pair(i, j)[0] for j in members), default=-1.0)
        if top >= m.p.deny:
            # 1.0: attaching beats founding a trail of its own.
            out[k.id] = 1.0 + rank(t, m._idf, i, members, k.when, top)
    return out
