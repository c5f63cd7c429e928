"""The storage interface the stages and the server use.

It is narrow on purpose: a backend stores the frozen dataclasses of :mod:`claimgraph.models` and
answers a few queries. SQLite (:mod:`.sqlite`) is the default; PostgreSQL (:mod:`.postgres`) implements
the same protocol for a shared server. Stages never write SQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..models import Article, Claim, Trail

# Meta key of the trails that lost a claim when an article's claims were replaced (ids, one per
# line): the link stage rebuilds them without reading the whole store, then clears the key.
STALE_TRAILS = "link.stale_trails"


def merge_stale(current: str | None, lost: set[str]) -> str:
    """The stale-trail list ``current`` with the ids of ``lost`` added."""
    return "\n".join(sorted(set(filter(None, (current or "").split("\n"))) | lost))


@dataclass(frozen=True)
class ClaimFilter:
    """What ``iter_claims`` / ``count_claims`` select; every field narrows, None means any."""

    search: str | None = None  # full-text over sentence, source and content
    article_id: str | None = None
    trail_id: str | None = None
    outlet: str | None = None
    group: str | None = None  # source registry group
    entity: str | None = None  # source, channel or origin registry id
    stance: str | None = None
    place: str | None = None  # place name (resolved)
    date_from: str | None = None  # ISO date, compared with the article's publication date
    date_to: str | None = None


@dataclass(frozen=True)
class ArticleFilter:
    search: str | None = None  # full-text over title and text
    outlet: str | None = None
    language: str | None = None
    date_from: str | None = None
    date_to: str | None = None


class Store(Protocol):
    """What every backend provides. Writes are atomic per call; ``add_articles`` is one batch."""

    def close(self) -> None: ...

    # --- articles ---
    def has_article(self, article_id: str) -> bool: ...
    def add_articles(
        self, articles: Sequence[Article], minhashes: Mapping[str, bytes] | None = None
    ) -> int:
        """Insert the batch in one transaction, skipping ids already stored; returns how many were new."""
        ...
    def mark_reprint(self, article_id: str, original_id: str | None) -> None:
        """Point a stored article at its original (dedup learns the true original only when the
        earlier-published copy arrives after its reprint)."""
        ...
    def get_article(self, article_id: str) -> Article | None: ...
    def iter_articles(
        self, flt: ArticleFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> Iterator[Article]: ...
    def count_articles(self, flt: ArticleFilter | None = None) -> int: ...
    def iter_minhashes(self) -> Iterator[tuple[str, str | None, bytes]]:
        """(article id, outlet, MinHash signature bytes) for reprint detection."""
        ...

    # --- attribution status and claims ---
    def articles_to_attribute(self) -> Iterator[Article]:
        """Articles that no attribution run has looked at yet (status unset)."""
        ...
    def replace_claims(self, article_id: str, claims: Sequence[Claim], status: str) -> None:
        """Store an article's claims (replacing earlier ones) and its status: "attributed",
        "skipped:<lang>" for a language not analysed, "failed:<reason>"."""
        ...
    def article_status(self, article_id: str) -> str | None: ...
    def get_claim(self, claim_id: str) -> Claim | None: ...
    def iter_claims(
        self, flt: ClaimFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> Iterator[Claim]: ...
    def count_claims(self, flt: ClaimFilter | None = None) -> int: ...
    def iter_unlinked_claims(self) -> Iterator[Claim]:
        """Claims in no trail yet, in storage order."""
        ...
    def count_unlinked_claims(self) -> int: ...
    def claims_by_ids(self, claim_ids: Sequence[str]) -> Iterator[Claim]:
        """The stored claims among ``claim_ids``, each once (missing ids are skipped), asked for a
        page of ids at a time and each page in storage order."""
        ...

    # --- trails ---
    def replace_trails(self, trails: Sequence[Trail]) -> None:
        """Store trails, replacing those with the same ids, and point each claim at its trail."""
        ...
    def delete_trails(self, trail_ids: Sequence[str]) -> None: ...
    def get_trail(self, trail_id: str) -> Trail | None: ...
    def iter_trails(
        self, search: str | None = None, limit: int | None = None, offset: int = 0,
        order: str = "latest",  # "latest" (last_seen desc) | "size" (articles desc)
    ) -> Iterator[Trail]: ...
    def count_trails(self, search: str | None = None) -> int: ...
    def trails_overlapping(self, first: str, last: str) -> list[Trail]:
        """Trails seen between the ISO days ``first`` and ``last``, and the undated trails."""
        ...
    def trails_of_undated_claims(self) -> list[str]:
        """Ids of the trails holding a claim without a publication date."""
        ...
    def trail_of_claim(self, claim_id: str) -> str | None: ...

    # --- small key/value state (e.g. the link stage's incremental bookkeeping) ---
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...
