"""Incidents: the what, where and when an article reports, shared by the claims it holds.

A report of an airstrike splits into many claims (the toll, who is blamed, a medic's words, a
minister's reaction); most name neither the place nor the day, which the article's lead gave once.
Two articles on one incident then share few words claim by claim. What they do share is the
incident: the same area, the same day give or take one, the same kind of event. A claim reads its
area from its own places when it names any, else from its article's; the kind of event from its
article.

The area is the place's coordinates, not its name or gazetteer id: resolve gives "Aleppo" the city
and "Aleppo province" different entries whose centres lie a few kilometres apart, and a village
names its district's incidents as well as its own. Countries carry no coordinates, so "Syria"
locates nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from .text import stem

Spot = tuple[float, float]  # latitude, longitude, rounded to 0.01 degree (about a kilometre)

# Two places within this distance are one area: the size of a district or a small governorate,
# so that a town and the province named after its capital meet, and two cities do not (Aleppo and
# Idlib are 55 km apart, Damascus and Douma 10 km: the suburb is reported as part of the city).
AREA_KM = 40.0
# Blocking cells are half a degree (about 55 km north-south); a query reads the cell of each of its
# places and the eight around it, so every pair within AREA_KM shares a cell.
CELL_DEG = 0.5
# A claim keeps at most this many spots, an article as many: a long report naming ten towns is
# about the first few (its lead), and the keys per claim stay bounded.
MAX_SPOTS = 4


# Kinds of event, each a handful of word stems (as content_words gives them). "killed" and its
# like are a kind too: a report of deaths with no weapon named still agrees with one that names it
# only by sharing the day and the area, and of a kind it carries ("killed") with all of them.
_KINDS = {
    "air": "airstrike airstrikes air raid raids strike strikes struck warplane warplanes jet jets "
           "bombardment bombed helicopter helicopters drone drones sortie sorties",
    "shelling": "shell shells shelling shelled mortar mortars rocket rockets artillery missile missiles",
    "blast": "explosion explosions exploded blast blasts bomb bombs bomber bombing suicide landmine "
             "landmines mine mines",
    "chemical": "chemical gas chlorine sarin toxic poison poisonous nerve",
    "fighting": "clash clashes fighting battle offensive ambush assault",
    "casualties": "killed dead died death deaths killing massacre wounded injured casualties toll",
}
_KIND_BITS: dict[str, int] = {}


def kinds_of(words: Sequence[str]) -> int:
    """The kinds of event named by a claim's content words (stemmed), as a bit set."""
    if not _KIND_BITS:
        # Stemmed on first use, so importing the module costs nothing.
        _KIND_BITS.update({stem(w): 1 << k for k, ws in enumerate(_KINDS.values()) for w in ws.split()})
    bits = 0
    for w in words:
        bits |= _KIND_BITS.get(w, 0)
    return bits


def spot(lat: float | None, lon: float | None) -> Spot | None:
    if lat is None or lon is None:
        return None
    return (round(lat, 2), round(lon, 2))


def km(a: Spot, b: Spot) -> float:
    """Great-circle distance (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def near(a: Sequence[Spot], b: Sequence[Spot]) -> bool:
    """Some place of ``a`` lies within AREA_KM of some place of ``b``."""
    return any(km(p, q) <= AREA_KM for p in a for q in b)


def cells(spots: Sequence[Spot]) -> list[tuple[int, int]]:
    """The blocking cells a claim is filed under: the cell of each of its spots."""
    return list(dict.fromkeys((math.floor(la / CELL_DEG), math.floor(lo / CELL_DEG)) for la, lo in spots))


def around(spots: Sequence[Spot]) -> list[tuple[int, int]]:
    """The cells a claim looks in: its own and their eight neighbours."""
    out: dict[tuple[int, int], None] = {}
    for y, x in cells(spots):
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                out[(y + dy, x + dx)] = None
    return list(out)



class _Table(Protocol):
    art: list[int]
    art_kinds: list[int]
    kinds: list[int]
    nums: list[frozenset[int]]
    spots: list[tuple[Spot, ...]]
    art_spots: list[tuple[Spot, ...]]
    when: list[tuple[int, int] | None]

    def day(self, i: int) -> int | None: ...
    def area(self, i: int) -> tuple[Spot, ...]: ...


def same_incident(t: _Table, i: int, j: int) -> bool:
    """Claims of two articles that report one incident: the same area, days at most one apart
    (the day after's report, or one dated by the event and one by publication), and a kind of
    event both articles name."""
    ai, aj = t.art[i], t.art[j]
    if ai == aj or not t.art_kinds[ai] & t.art_kinds[aj]:
        return False
    # Cheapest first: most claims at scale have no coordinates at all (area() inlined: this runs
    # for every pair scored).
    here = t.spots[i] or t.art_spots[ai]
    there = t.spots[j] or t.art_spots[aj]
    if not here or not there:
        return False
    di, dj = t.day(i), t.day(j)
    return di is not None and dj is not None and abs(di - dj) <= 1 and near(here, there)


def tells(t: _Table, i: int) -> bool:
    """The claim itself says something of an incident: a kind of event, a count, a place with
    coordinates or a date. An appeal, an opinion or a comment ("without them there is no reason
    for the coalition to stay") does not, whatever its article reports."""
    return bool(t.kinds[i] or t.nums[i] or t.spots[i] or t.when[i] is not None)
