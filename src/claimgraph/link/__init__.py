"""The link stage: claims from many articles become trails.

``build_trails(claims, articles, existing_trails)`` is the pure core; ``link_store(store, settings)``
runs it over a store, incrementally: claims already in a trail stay there, trails keep their ids, and
only trails that changed are written.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from ..models import Article
from ..settings import Settings
from ..store.base import Store
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

    The matcher's index is rebuilt from the stored claims each run (it is derivable, so nothing can
    go stale); what is incremental is the matching and the writing. ``rebuild`` drops every trail
    first. ``settings`` is accepted for the orchestrator's uniform call and not needed yet.
    """
    start = time.perf_counter()
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
    if deleted:
        store.delete_trails(deleted)
    if changed:
        store.replace_trails(changed)
    return LinkReport(
        claims=counter["claims"],
        new_claims=counter["new"],
        trails=len(trails),
        written=len(changed),
        deleted=len(deleted),
        seconds=time.perf_counter() - start,
        errors=tuple(errors),
    )
