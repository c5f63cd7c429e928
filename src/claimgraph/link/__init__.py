"""The link stage: claims from many articles become trails.

``build_trails(claims, articles, existing_trails)`` is the pure core; ``link_store(store, settings)``
runs it over a store, incrementally: claims already in a trail stay there, trails keep their ids, and
only trails that changed are written.

An incremental run reads only what the new claims can reach, so its cost grows with what arrived,
not with the store. Blocking is windowed in time (:mod:`.blocking`): a dated claim of window w is
compared only with claims of windows w-1 to w+1 and with undated ones. The run reads the claims in
no trail, the trails seen within those windows (the store's ``trails_overlapping``), the trails
holding a claim without a publication date (``trails_of_undated_claims``: a superset of those with
undated claims), the trails that lost a claim since (``STALE_TRAILS``), and all the claims of those
trails; everything else is left as it is. What differs from linking against the whole store: IDF
weights are those of the claims read (a word common in these weeks weighs less, as it should for
these claims), and capped buckets keep other claims when fewer are filed. A new claim without any
date could meet any dated claim (through the keys undated claims ask for), so a run that has one
reads the whole store, as a store that is mostly new claims does (the full path streams them).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from ..errors import InputError
from ..models import Article, Claim, Trail
from ..settings import Settings
from ..store.base import STALE_TRAILS, Store
from .blocking import WINDOW_DAYS, window_of
from .features import ClaimTable, iso_of
from .matching import DEFAULT_PARAMS, LinkParams
from .trails import build_trails, trail_id_for

__all__ = ["LinkParams", "LinkReport", "build_trails", "link_store", "trail_id_for"]


@dataclass(frozen=True)
class LinkReport:
    claims: int  # claims read
    new_claims: int  # claims that were in no trail before this run
    trails: int  # trails after the run
    written: int  # trails created or updated
    deleted: int  # trails removed because all their claims are gone
    seconds: float
    errors: tuple[str, ...] = ()  # claims left out: which, what is wrong, what to do

    def line(self) -> str:
        return (
            f"{self.new_claims} new claims linked ({self.claims} in all): {self.trails} trails, "
            f"{self.written} written, {self.deleted} deleted in {self.seconds:.1f}s"
            + (f"; {len(self.errors)} claims left out" if self.errors else "")
        )


class _StoredArticles(Mapping[str, Article]):
    """Articles fetched from the store one by one, as the linker asks for them (a headline for
    each article once, ``reprint_of`` for the trails being rebuilt). Only what linking reads is
    kept: the body, the captions and the removed lines are dropped, so that the articles of a
    large store do not sit in memory while its claims are linked."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, Article | None] = {}

    def __getitem__(self, key: str) -> Article:
        if key not in self._cache:
            found = self._store.get_article(key)
            self._cache[key] = found and replace(found, text="", captions=(), removed=(), authors=())
        article = self._cache[key]
        if article is None:
            raise KeyError(key)
        return article

    def __iter__(self) -> Iterator[str]:
        return iter(k for k, v in self._cache.items() if v is not None)

    def __len__(self) -> int:
        return sum(1 for v in self._cache.values() if v is not None)


def link_store(
    store: Store, settings: Settings | None = None, params: LinkParams = DEFAULT_PARAMS,
    rebuild: bool = False,
) -> LinkReport:
    """Link the store's claims that have no trail yet, and write the trails that changed.

    The matcher's index is rebuilt each run from the claims read (it is derivable, so nothing can
    go stale): only those the new claims can reach (see the module's docstring), or all of them.
    ``rebuild`` drops every trail first and reads everything. ``settings`` is accepted for the
    orchestrator's uniform call and not needed yet.
    """
    start = time.perf_counter()
    if not rebuild and hasattr(store, "trails_overlapping"):
        report = _link_new(store, params, start)
        if report is not None:
            return report
    stale = store.get_meta(STALE_TRAILS)
    existing = {t.id: t for t in store.iter_trails()}
    if rebuild:  # after a change of thresholds: every claim is matched again, ids start afresh
        store.delete_trails(list(existing))
        existing = {}
    known = {c for t in existing.values() for c in (*t.claim_ids, *t.denials)}
    if known and store.count_claims() == len(known):
        # Nothing new (the usual case of a re-run): skip reading every claim back.
        return LinkReport(len(known), 0, len(existing), 0, 0, time.perf_counter() - start)
    counter = {"claims": 0, "new": 0}

    def claims():  # streamed: each Claim is dropped once its features are read
        for claim in store.iter_claims():
            counter["claims"] += 1
            counter["new"] += claim.id not in known
            yield claim

    errors: list[str] = []
    trails, deleted = build_trails(claims(), _StoredArticles(store), existing.values(), params,
                                   on_error=lambda exc: errors.append(str(exc)))
    changed = [t for t in trails if existing.get(t.id) is not t]
    _save(store, deleted, changed, stale)
    return LinkReport(
        claims=counter["claims"],
        new_claims=counter["new"],
        trails=len(trails),
        written=len(changed),
        deleted=len(deleted),
        seconds=time.perf_counter() - start,
        errors=tuple(errors),
    )


def _save(store: Store, deleted: list[str], changed: list[Trail], stale: str | None) -> None:
    """Write what a run changed, then forget the stale trails it rebuilt (``stale`` is the record
    read at its start), unless another writer added some meanwhile."""
    if deleted:
        store.delete_trails(deleted)
    if changed:
        store.replace_trails(changed)
    if stale and store.get_meta(STALE_TRAILS) == stale:
        store.set_meta(STALE_TRAILS, "")


def _reach(days: list[int]) -> list[tuple[int, int]]:
    """The day ranges whose claims claims of ``days`` can be compared with: the window of each
    and the windows on either side (see ``BlockIndex.candidates``), contiguous ones merged."""
    spans: list[tuple[int, int]] = []
    for w in sorted({window_of(d) for d in days}):
        lo, hi = (w - 1) * WINDOW_DAYS, (w + 2) * WINDOW_DAYS - 1
        if spans and lo <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def _link_new(store: Store, params: LinkParams, start: float) -> LinkReport | None:
    """The incremental run (see the module's docstring); None when the whole store must be read."""
    stale = store.get_meta(STALE_TRAILS)
    stale_ids = [x for x in (stale or "").split("\n") if x]
    unlinked = store.count_unlinked_claims()
    if not stale_ids and not unlinked:
        # Nothing new (the usual case of a re-run): read nothing. Every claim is in a trail; they
        # are reported as the claims in all, as the full path does.
        return LinkReport(store.count_claims(), 0, store.count_trails(), 0, 0, time.perf_counter() - start)
    if 2 * unlinked > store.count_claims():
        return None  # mostly new (a first run): the full path streams the claims instead of holding them
    articles = _StoredArticles(store)
    new = list(store.iter_unlinked_claims())
    probe = ClaimTable()  # the day each new claim is filed under, as the matcher will see it
    days: list[int] = []
    for claim in new:
        try:
            row = probe.add(claim, articles.get(claim.article_id))
        except InputError:
            continue  # reported by build_trails below
        day = probe.day(row)
        if day is None:
            return None
        days.append(day)
    del probe
    reached: dict[str, Trail] = {}
    for lo, hi in _reach(days):
        for t in store.trails_overlapping(iso_of(lo) or "", iso_of(hi) or ""):
            reached.setdefault(t.id, t)
    # Claims without a date sit in every window: their trails are always in reach.
    for tid in (*store.trails_of_undated_claims(), *stale_ids):
        if tid not in reached and (found := store.get_trail(tid)) is not None:
            reached[tid] = found
    held = [c for t in reached.values() for c in (*t.claim_ids, *t.denials)]
    counter = {"claims": 0}

    def claims() -> Iterator[Claim]:
        for claim in itertools.chain(store.claims_by_ids(held), new):
            counter["claims"] += 1
            yield claim

    errors: list[str] = []
    trails, deleted = build_trails(claims(), articles, reached.values(), params,
                                   on_error=lambda exc: errors.append(str(exc)), partial=True)
    changed = [t for t in trails if reached.get(t.id) is not t]
    # A deleted trail's related peers outside the part read would keep pointing at it: unlink them.
    gone = set(deleted)
    for peer in sorted({r for tid in deleted if tid in reached for r in reached[tid].related} - set(reached)):
        found = store.get_trail(peer)
        if found is not None and gone.intersection(found.related):
            changed.append(replace(found, related=tuple(r for r in found.related if r not in gone)))
    _save(store, deleted, changed, stale)
    return LinkReport(
        claims=counter["claims"],
        new_claims=len(new),
        trails=store.count_trails(),
        written=len(changed),
        deleted=len(deleted),
        seconds=time.perf_counter() - start,
        errors=tuple(errors),
    )
