"""The PostgreSQL backend (psycopg 3): the same protocol as :mod:`.sqlite`, for a shared server.

Dataclasses are kept as JSONB; full text uses generated ``tsvector`` columns with GIN indexes and a
configuration built on ``simple`` (no stemming, no stop words, accents folded when ``unaccent`` is
available), so the same words match in every language the ingest stage stores and results agree with
SQLite's FTS5 ``unicode61 remove_diacritics`` tokenizer on ordinary text.

Threads: like the SQLite store, each thread reads on its own connection and all writes go through one
writer connection under a lock, each write method being one transaction. PostgreSQL cannot store
the NUL character in text or JSONB, so NULs (which only ever come from broken input) are dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from ..errors import StoreError
from ..models import Article, Claim, Trail
from . import serial
from .base import STALE_TRAILS, ArticleFilter, ClaimFilter, merge_stale
from .migrations import migrate_postgres
from .reads import SharedReads

PAGE = 500


def _clean(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "")
    return value


def _clean_json(text: str) -> str:
    # json.dumps writes NUL as the escape \u0000, which JSONB rejects just like a raw NUL in TEXT.
    return text.replace("\\u0000", "")


def _tsquery(text: str | None) -> str | None:
    """A ``to_tsquery`` expression: words ANDed, the last one a prefix, as in the SQLite backend."""
    terms = serial.search_terms(text)
    if not terms:
        return None
    quoted = [f"'{t}'" for t in terms]
    quoted[-1] += ":*"
    return " & ".join(quoted)


DIALECT = serial.Dialect(
    ph="%s", false="false",
    article_fts="a.tsv @@ to_tsquery('claimgraph_text', %s)",
    claim_fts="c.tsv @@ to_tsquery('claimgraph_text', %s)",
    fts_query=_tsquery, ref_key="claim_seq",
    place_eq="lower(name) = lower(%s)",
    # COLLATE "C": compare the ISO strings byte by byte, as SQLite does ("~" sorts after digits).
    day_upper=' COLLATE "C"', stance_hint=False,
)


class PostgresStore(SharedReads):
    """The :class:`~claimgraph.store.base.Store` protocol over a PostgreSQL database URL."""

    _PH = "%s"
    _DIALECT = DIALECT
    _TRAIL_FTS = "t.tsv @@ to_tsquery('claimgraph_text', %s)"
    # COLLATE "C": ISO strings compared byte by byte, as SQLite does; NULLS LAST as SQLite's DESC.
    _TRAIL_ORDER = {
        "latest": 't.last_seen COLLATE "C" DESC NULLS LAST, t.id COLLATE "C"',
        "size": 't.size DESC, t.last_seen COLLATE "C" DESC NULLS LAST, t.id COLLATE "C"',
    }

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError("the PostgreSQL backend needs psycopg: pip install 'psycopg[binary]'") from exc
        self._psycopg = psycopg
        self.url = url
        self._where = self._redacted(url)
        self._lock = threading.RLock()
        self._local = threading.local()
        self._all: list[Any] = []
        self._closed = False
        self._writer = self._connect()
        try:
            migrate_postgres(self._writer, where=self._where)
        except psycopg.Error as exc:
            self.close()
            raise StoreError(f"{self._where}: cannot create the schema ({exc}); "
                             "check that the user may create tables in this database") from exc
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _redacted(url: str) -> str:
        """The URL without its password, for error messages."""
        if "@" in url and "://" in url:
            scheme, rest = url.split("://", 1)
            creds, host = rest.rsplit("@", 1)
            return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
        return url

    # --- connections -----------------------------------------------------------------------------

    def _connect(self) -> Any:
        try:
            conn = self._psycopg.connect(self.url, autocommit=True, connect_timeout=30)
        except self._psycopg.Error as exc:
            raise StoreError(
                f"{self._where}: cannot connect to PostgreSQL ({exc}); check the URL and that the "
                "server is running"
            ) from exc
        with self._lock:
            self._all.append(conn)
        return conn

    def _reader(self) -> Any:
        if self._closed:
            raise StoreError(f"{self._where}: the store is closed")
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._reader().cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        except self._psycopg.Error as exc:
            raise StoreError(f"{self._where}: query failed ({exc}); check that the server is up and the "
                             "database was made by claimgraph") from exc

    @contextmanager
    def _write(self) -> Iterator[Any]:
        if self._closed:
            raise StoreError(f"{self._where}: the store is closed")
        with self._lock:
            try:
                with self._writer.transaction(), self._writer.cursor() as cur:
                    yield cur
            except self._psycopg.Error as exc:
                raise StoreError(f"{self._where}: write failed ({exc}); check that the server is up and has "
                                 "disk space, then run again") from exc

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._all:
                try:
                    conn.close()
                except Exception:  # closing is best effort; nothing to report to a user
                    pass
            self._all.clear()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        return int(self._fetch("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0])

    # --- articles --------------------------------------------------------------------------------

    def add_articles(
        self, articles: Sequence[Article], minhashes: Mapping[str, bytes] | None = None
    ) -> int:
        minhashes = minhashes or {}
        new = 0
        with self._write() as cur:
            for article in articles:
                r = serial.article_row(article)
                sig = minhashes.get(article.id)
                cur.execute(
                    "INSERT INTO articles(id, url, outlet, title, text, published, pub_day, language, "
                    "reprint_of, minhash, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (id) DO NOTHING",
                    [_clean(v) for v in (r.id, r.url, r.outlet, r.title, r.text, r.published,
                                         r.pub_day, r.language, r.reprint_of)]
                    + [bytes(sig) if sig is not None else None, _clean_json(r.data)],
                )
                new += max(cur.rowcount, 0)
        return new

    def mark_reprint(self, article_id: str, original_id: str | None) -> None:
        with self._write() as cur:
            cur.execute(
                "UPDATE articles SET reprint_of = %s, data = jsonb_set(data, '{reprint_of}', to_jsonb(%s::text)) "
                "WHERE id = %s", (original_id, original_id, article_id),
            )

    def get_article(self, article_id: str) -> Article | None:
        rows = self._fetch("SELECT data, title, text FROM articles WHERE id = %s", (article_id,))
        return serial.load_article(*rows[0]) if rows else None

    def _paged(
        self, table: str, columns: str, where: str, params: list[Any], limit: int | None,
        offset: int, alias: str,
    ) -> Iterator[tuple[Any, ...]]:
        """``columns`` of the rows of ``table`` (aliased ``alias`` in ``where``) in ``seq`` order:
        the first page by OFFSET, then keyset (seq > last), as in SQLite. The page's seqs are picked
        in a subquery and only then joined to the bulky columns, so a deep OFFSET does not detoast
        the text and JSON of every row it skips."""
        remaining = limit
        last: int | None = None
        skip = max(0, offset)
        cols = ", ".join(f"d.{c.strip()}" for c in columns.split(","))
        while remaining is None or remaining > 0:
            size = PAGE if remaining is None else min(PAGE, remaining)
            clauses, args = where, list(params)
            if last is not None:
                clauses += (" AND " if clauses else " WHERE ") + f"{alias}.seq > %s"
                args.append(last)
            page = (f"SELECT {alias}.seq FROM {table} {alias}{clauses} ORDER BY {alias}.seq "
                    "LIMIT %s OFFSET %s")
            rows = self._fetch(
                f"SELECT d.seq, {cols} FROM {table} d JOIN ({page}) p ON p.seq = d.seq ORDER BY d.seq",
                [*args, size, skip if last is None else 0],
            )
            if not rows:
                return
            for row in rows:
                yield row[1:]
            last = rows[-1][0]
            if remaining is not None:
                remaining -= len(rows)
            if len(rows) < size:
                return

    def iter_articles(
        self, flt: ArticleFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> Iterator[Article]:
        where, params = serial.article_where(DIALECT, flt)
        for data, title, text in self._paged("articles", "data, title, text", where, params,
                                             limit, offset, "a"):
            yield serial.load_article(data, title, text)

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        where, params = serial.article_where(DIALECT, flt)
        return int(self._fetch(f"SELECT count(*) FROM articles a{where}", params)[0][0])

    def iter_minhashes(self) -> Iterator[tuple[str, str | None, bytes]]:
        for art_id, outlet, sig in self._paged(
            "articles", "id, outlet, minhash", " WHERE a.minhash IS NOT NULL", [], None, 0, "a",
        ):
            yield art_id, outlet, bytes(sig)

    # --- attribution status and claims -----------------------------------------------------------

    def articles_to_attribute(self) -> Iterator[Article]:
        for data, title, text in self._paged("articles", "data, title, text", " WHERE a.status IS NULL",
                                             [], None, 0, "a"):
            yield serial.load_article(data, title, text)

    def replace_claims(self, article_id: str, claims: Sequence[Claim], status: str) -> None:
        with self._write() as cur:
            cur.execute("SELECT outlet, published FROM articles WHERE id = %s FOR UPDATE",
                        (article_id,))
            art = cur.fetchone()
            if art is None:
                raise StoreError(
                    f"{self._where}: claims for article {article_id!r}, which is not stored; "
                    "store the article first"
                )
            cur.execute("SELECT id, trail_id FROM claims WHERE article_id = %s AND trail_id IS NOT NULL",
                        (article_id,))
            trails = dict(cur.fetchall())
            cur.execute("DELETE FROM claims WHERE article_id = %s", (article_id,))
            kept = {c.id for c in claims}
            lost = {tid for cid, tid in trails.items() if cid not in kept}
            if lost:  # recorded in the same transaction (see STALE_TRAILS)
                cur.execute("SELECT value FROM meta WHERE key = %s FOR UPDATE", (STALE_TRAILS,))
                row = cur.fetchone()
                cur.execute(
                    "INSERT INTO meta(key, value) VALUES (%s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (STALE_TRAILS, merge_stale(row[0] if row else None, lost)),
                )
            for claim in claims:
                if claim.article_id != article_id:
                    raise StoreError(
                        f"{self._where}: claim {claim.id!r} belongs to article {claim.article_id!r}, "
                        f"not {article_id!r}"
                    )
            rows = [serial.claim_row(claim, art[0], art[1]) for claim in claims]
            if rows:
                # One round trip for all claims (psycopg pipelines executemany), then one per side table.
                cur.executemany(
                    "INSERT INTO claims(id, article_id, n, outlet, published, pub_day, stance, kind, "
                    "sentence, source_text, content, trail_id, data) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING seq",
                    [[_clean(v) for v in (r.id, r.article_id, r.n, r.outlet, r.published, r.pub_day,
                                          r.stance, r.kind, r.sentence, r.source_text, r.content,
                                          trails.get(r.id))] + [_clean_json(r.data)] for r in rows],
                    returning=True,
                )
                seqs = []
                while True:
                    seqs.append(cur.fetchone()[0])
                    if not cur.nextset():
                        break
                refs = [(seq, role, _clean(e), _clean(g)) for seq, claim in zip(seqs, claims, strict=True)
                        for role, e, g in serial.claim_refs(claim)]
                if refs:
                    cur.executemany(
                        "INSERT INTO claim_refs(claim_seq, role, entity, grp) VALUES (%s, %s, %s, %s)",
                        refs,
                    )
                places = [(seq, _clean(n), g, _clean(c)) for seq, claim in zip(seqs, claims, strict=True)
                          for n, g, c in serial.claim_places(claim)]
                if places:
                    cur.executemany(
                        "INSERT INTO claim_places(claim_seq, name, geoname_id, country) "
                        "VALUES (%s, %s, %s, %s)",
                        places,
                    )
            cur.execute("UPDATE articles SET status = %s WHERE id = %s", (_clean(status), article_id))

    def get_claim(self, claim_id: str) -> Claim | None:
        rows = self._fetch("SELECT data FROM claims WHERE id = %s", (claim_id,))
        return serial.load_claim(rows[0][0]) if rows else None

    def iter_claims(
        self, flt: ClaimFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> Iterator[Claim]:
        where, params = serial.claim_where(DIALECT, flt)
        for (data,) in self._paged("claims", "data", where, params, limit, offset, "c"):
            yield serial.load_claim(data)

    def iter_unlinked_claims(self) -> Iterator[Claim]:
        for (data,) in self._paged("claims", "data", " WHERE c.trail_id IS NULL", [], None, 0, "c"):
            yield serial.load_claim(data)

    def claims_by_ids(self, claim_ids: Sequence[str]) -> Iterator[Claim]:
        ids = list(dict.fromkeys(claim_ids))
        for start in range(0, len(ids), PAGE):
            rows = self._fetch("SELECT data FROM claims WHERE id = ANY(%s) ORDER BY seq",
                               (ids[start:start + PAGE],))
            for (data,) in rows:
                yield serial.load_claim(data)

    def count_claims(self, flt: ClaimFilter | None = None) -> int:
        where, params = serial.claim_where(DIALECT, flt)
        return int(self._fetch(f"SELECT count(*) FROM claims c{where}", params)[0][0])

    # --- trails ----------------------------------------------------------------------------------

    def replace_trails(self, trails: Sequence[Trail]) -> None:
        with self._write() as cur:
            for trail in trails:
                r = serial.trail_row(trail)
                cur.execute("UPDATE claims SET trail_id = NULL WHERE trail_id = %s", (r.id,))
                cur.execute("DELETE FROM trails WHERE id = %s", (r.id,))
                cur.execute(
                    "INSERT INTO trails(id, summary, first_seen, last_seen, size, n_claims, "
                    "search_text, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [_clean(v) for v in (r.id, r.summary, r.first_seen, r.last_seen, r.size,
                                         r.n_claims, r.search_text)] + [_clean_json(r.data)],
                )
                if trail.claim_ids:
                    cur.execute("UPDATE claims SET trail_id = %s WHERE id = ANY(%s)",
                                (r.id, list(trail.claim_ids)))
                if trail.denials:  # a denial points at the trail it denies unless it has its own
                    cur.execute("UPDATE claims SET trail_id = %s WHERE id = ANY(%s) AND trail_id IS NULL",
                                (r.id, list(trail.denials)))

    def delete_trails(self, trail_ids: Sequence[str]) -> None:
        if not trail_ids:
            return
        with self._write() as cur:
            ids = list(trail_ids)
            cur.execute("UPDATE claims SET trail_id = NULL WHERE trail_id = ANY(%s)", (ids,))
            cur.execute("DELETE FROM trails WHERE id = ANY(%s)", (ids,))

    def _page_size(self) -> int:
        return PAGE  # read at call time, so a test can shrink the module's PAGE

    # --- meta ------------------------------------------------------------------------------------

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as cur:
            cur.execute(
                "INSERT INTO meta(key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (_clean(key), _clean(value)),
            )
