"""Reads written once for both backends.

These lookups are the same SQL in SQLite and PostgreSQL but for the parameter placeholder, so they
live here rather than twice; each backend supplies ``_fetch`` (its own connections and error
wrapping), ``_trail_where`` (its own full-text search) and ``_PH``. What differs between the
backends (schema of the claim tables, paging by keyset, full-text engines) stays in each backend.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from ..errors import StoreError
from ..models import Trail
from . import serial


class SharedReads:
    _PH: ClassVar[str] = "?"  # the driver's parameter placeholder: "?" (sqlite3) or "%s" (psycopg)
    _DIALECT: ClassVar[serial.Dialect]
    _TRAIL_FTS: ClassVar[str]  # WHERE condition of a full-text search over trails, one parameter
    _TRAIL_ORDER: ClassVar[dict[str, str]]  # order name -> ORDER BY that the backend's indexes serve

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _page_size(self) -> int:
        raise NotImplementedError

    def _trail_where(self, search: str | None) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        serial.search_clause(self._DIALECT, search, self._TRAIL_FTS, where, params)
        return serial.joined(where, params)

    def _value(self, sql: str, key: str) -> Any:
        """The first column of the first row of ``sql`` with one parameter, None when no row."""
        rows = self._fetch(sql.format(ph=self._PH), (key,))
        return rows[0][0] if rows else None

    def has_article(self, article_id: str) -> bool:
        return self._value("SELECT 1 FROM articles WHERE id = {ph}", article_id) is not None

    def article_status(self, article_id: str) -> str | None:
        status: str | None = self._value("SELECT status FROM articles WHERE id = {ph}", article_id)
        return status

    def get_trail(self, trail_id: str) -> Trail | None:
        data = self._value("SELECT data FROM trails WHERE id = {ph}", trail_id)
        return None if data is None else serial.load_trail(data)

    def trail_of_claim(self, claim_id: str) -> str | None:
        trail_id: str | None = self._value("SELECT trail_id FROM claims WHERE id = {ph}", claim_id)
        return trail_id

    def count_trails(self, search: str | None = None) -> int:
        where, params = self._trail_where(search)
        return int(self._fetch(f"SELECT count(*) FROM trails t{where}", params)[0][0])

    def count_unlinked_claims(self) -> int:
        """Claims in no trail (neither a member nor a denial): what the link stage has to place."""
        return int(self._fetch("SELECT count(*) FROM claims WHERE trail_id IS NULL")[0][0])

    def trails_overlapping(self, first: str, last: str) -> list[Trail]:
        """Trails seen between two ISO days (first_seen <= last and last_seen >= first), and the
        trails without any date, which every claim meets: those an incremental link run can touch.
        ``last_seen`` is NULL exactly when ``first_seen`` is, so both tests are served by the
        ``trails_latest`` index."""
        ph = self._PH
        rows = self._fetch(
            f"SELECT data FROM trails WHERE last_seen IS NULL OR (last_seen >= {ph} AND first_seen <= {ph})",
            (first, last),
        )
        return [serial.load_trail(data) for (data,) in rows]

    def trails_of_undated_claims(self) -> list[str]:
        """Ids of the trails holding a claim with no publication date: the link stage compares
        such claims with claims of any date (served by the ``pub_day`` index)."""
        rows = self._fetch("SELECT DISTINCT trail_id FROM claims WHERE pub_day IS NULL AND trail_id IS NOT NULL")
        return sorted(r[0] for r in rows)

    def get_meta(self, key: str) -> str | None:
        value: str | None = self._value("SELECT value FROM meta WHERE key = {ph}", key)
        return value

    def iter_trails(self, search: str | None = None, limit: int | None = None, offset: int = 0,
                    order: str = "latest") -> Iterator[Trail]:
        """Trails, most recent or largest first. Trails are few next to claims, so OFFSET paging
        is cheap here and keeps one ORDER BY that the backend's indexes serve."""
        order_by = self._TRAIL_ORDER.get(order)
        if order_by is None:
            raise StoreError(f"unknown trail order {order!r}; use 'latest' or 'size'")
        return self._trail_pages(search, order_by, limit, offset, self._page_size())

    def _trail_pages(self, search: str | None, order_by: str, limit: int | None, offset: int,
                     page: int) -> Iterator[Trail]:
        where, params = self._trail_where(search)
        skip = max(0, offset)
        remaining = limit
        while remaining is None or remaining > 0:
            size = page if remaining is None else min(page, remaining)
            rows = self._fetch(
                f"SELECT t.data FROM trails t{where} ORDER BY {order_by} LIMIT {self._PH} OFFSET {self._PH}",
                [*params, size, skip],
            )
            for (data,) in rows:
                yield serial.load_trail(data)
            skip += len(rows)
            if remaining is not None:
                remaining -= len(rows)
            if len(rows) < size:
                return
