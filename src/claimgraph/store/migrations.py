"""Numbered schema migrations for both backends.

Each migration is a plain function taking a connection; it is applied in its own transaction and
recorded in ``schema_migrations`` (version, name, applied_at), so opening a database twice applies
nothing new and an older database is brought up to date step by step. Never edit a released
migration: append a new one, since databases in the field have already run the old ones.

The tables keep the full dataclass as JSON plus only the columns that filters and orderings need
(see :mod:`.serial`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import StoreError


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Any], None]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# --- SQLite ---------------------------------------------------------------------------------------

def _fts(conn: sqlite3.Connection, name: str, table: str, columns: tuple[str, ...]) -> None:
    """An external-content FTS5 index over ``table`` (the text is stored once, in ``table``) and the
    triggers that keep it in step with inserts, deletes and updates."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    conn.execute(
        f"CREATE VIRTUAL TABLE {name} USING fts5({cols}, content='{table}', content_rowid='seq', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    add = f"INSERT INTO {name}(rowid, {cols}) VALUES (new.seq, {new});"
    drop = f"INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.seq, {old});"
    conn.execute(f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {add} END")
    conn.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {drop} END")
    conn.execute(f"CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {table} BEGIN {drop} {add} END")


# Layout: the tables that filters scan and count (``articles``, ``claims``) hold only short columns,
# so a count or a deep OFFSET over 100k rows reads a few MB; the bulky text, the JSON and the MinHash
# signatures live in side tables sharing the same ``seq`` key, read only for the rows returned.

def _sqlite_articles(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE articles (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            url TEXT, outlet TEXT, published TEXT, pub_day TEXT, language TEXT, reprint_of TEXT,
            status TEXT,              -- NULL until an attribution run has looked at the article
            added_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX articles_outlet ON articles(outlet, pub_day)")
    conn.execute("CREATE INDEX articles_pub_day ON articles(pub_day)")
    conn.execute("CREATE INDEX articles_language ON articles(language)")
    # Partial index: the attribution stage only ever asks for articles not yet looked at.
    conn.execute("CREATE INDEX articles_pending ON articles(seq) WHERE status IS NULL")
    conn.execute(
        """CREATE TABLE article_docs (
            seq INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
            title TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL        -- the rest of the Article as JSON
        )"""
    )
    conn.execute(
        """CREATE TABLE article_minhashes (
            seq INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
            sig BLOB NOT NULL
        )"""
    )
    _fts(conn, "articles_fts", "article_docs", ("title", "text"))
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _sqlite_claims(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE claims (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            outlet TEXT, pub_day TEXT, stance TEXT, kind TEXT,
            trail_id TEXT
        )"""
    )
    conn.execute("CREATE INDEX claims_article ON claims(article_id)")
    conn.execute("CREATE INDEX claims_outlet ON claims(outlet, pub_day)")
    conn.execute("CREATE INDEX claims_stance ON claims(stance, pub_day)")
    conn.execute("CREATE INDEX claims_pub_day ON claims(pub_day)")
    conn.execute("CREATE INDEX claims_trail ON claims(trail_id)")
    conn.execute(
        """CREATE TABLE claim_docs (
            seq INTEGER PRIMARY KEY REFERENCES claims(seq) ON DELETE CASCADE,
            sentence TEXT NOT NULL DEFAULT '', source_text TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL        -- the full Claim as JSON
        )"""
    )
    _fts(conn, "claims_fts", "claim_docs", ("sentence", "source_text", "content"))
    # Resolved parties (source, channel, origin, chain links) and places live in side tables so that
    # a claim with several of them is found by any one, through an index.
    conn.execute(
        """CREATE TABLE claim_refs (
            seq INTEGER NOT NULL REFERENCES claims(seq) ON DELETE CASCADE,
            role TEXT NOT NULL, entity TEXT, grp TEXT
        )"""
    )
    conn.execute("CREATE INDEX claim_refs_entity ON claim_refs(entity, seq)")
    conn.execute("CREATE INDEX claim_refs_grp ON claim_refs(grp, role, seq)")
    conn.execute("CREATE INDEX claim_refs_seq ON claim_refs(seq)")
    conn.execute(
        """CREATE TABLE claim_places (
            seq INTEGER NOT NULL REFERENCES claims(seq) ON DELETE CASCADE,
            name TEXT NOT NULL COLLATE NOCASE, geoname_id INTEGER, country TEXT
        )"""
    )
    conn.execute("CREATE INDEX claim_places_name ON claim_places(name, seq)")
    conn.execute("CREATE INDEX claim_places_seq ON claim_places(seq)")


def _sqlite_trails(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE trails (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            summary TEXT NOT NULL DEFAULT '',
            first_seen TEXT, last_seen TEXT,
            size INTEGER NOT NULL DEFAULT 0,      -- number of articles
            n_claims INTEGER NOT NULL DEFAULT 0,
            search_text TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX trails_latest ON trails(last_seen DESC, id)")
    conn.execute("CREATE INDEX trails_size ON trails(size DESC, last_seen DESC, id)")
    _fts(conn, "trails_fts", "trails", ("search_text",))


SQLITE_MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, full text and meta", _sqlite_articles),
    Migration(2, "claims with filter columns, parties, places and full text", _sqlite_claims),
    Migration(3, "trails", _sqlite_trails),
)


def sqlite_version(conn: sqlite3.Connection) -> int:
    """The highest migration applied (0 for a fresh file)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def _refuse_newer(current: int, latest: int, where: str | None) -> None:
    """A database written by a newer claimgraph is left untouched: migrating down is never safe."""
    if current > latest:
        raise StoreError(
            f"{where or 'database'}: schema version {current} is newer than this claimgraph "
            f"knows ({latest}); upgrade claimgraph"
        )


def migrate_sqlite(conn: sqlite3.Connection, target: int | None = None, where: str = "") -> list[int]:
    """Apply the migrations above ``sqlite_version`` up to ``target`` (all by default); returns the
    versions applied. ``conn`` must be in autocommit mode (``isolation_level=None``)."""
    applied: list[int] = []
    latest = SQLITE_MIGRATIONS[-1].version
    for migration in SQLITE_MIGRATIONS:
        if target is not None and migration.version > target:
            break
        # BEGIN IMMEDIATE takes the write lock first, then re-reads the version: two processes opening
        # the same new file at once cannot both apply a migration.
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = sqlite_version(conn)
            _refuse_newer(current, latest, where)
            if migration.version > current:
                migration.apply(conn)
                conn.execute(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, _now()),
                )
                applied.append(migration.version)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return applied


# --- PostgreSQL -----------------------------------------------------------------------------------

PG_TS_CONFIG = "claimgraph_text"


def _pg_text_config(cur: Any) -> None:
    """The text search configuration every tsvector uses: ``simple`` (no stemming, any language)
    plus accent folding when the ``unaccent`` extension can be created, so that "Zurich" finds
    "Zürich" as SQLite's ``remove_diacritics`` does. Without the extension (no contrib package, no
    privilege) search still works, only accent-sensitive."""
    import psycopg

    cur.execute("SAVEPOINT unaccent")
    try:
        cur.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cur.execute("RELEASE SAVEPOINT unaccent")
        folded = True
    except psycopg.Error:
        cur.execute("ROLLBACK TO SAVEPOINT unaccent")
        folded = False
    cur.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_TS_CONFIG} (COPY = simple)")
    if folded:
        cur.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {PG_TS_CONFIG} "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )


def _pg_articles(cur: Any) -> None:
    _pg_text_config(cur)
    # Only the first 200k characters are indexed: a tsvector is limited to 1 MB, and a 20 MB document
    # would make the insert fail; the opening of an article is what a search needs anyway.
    cur.execute(
        """CREATE TABLE articles (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            url TEXT, outlet TEXT, title TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '',
            published TEXT, pub_day TEXT, language TEXT, reprint_of TEXT,
            status TEXT,
            minhash BYTEA,
            data JSONB NOT NULL,
            added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            tsv TSVECTOR GENERATED ALWAYS AS (
                setweight(to_tsvector('claimgraph_text', coalesce(title, '')), 'A') ||
                setweight(to_tsvector('claimgraph_text', left(coalesce(text, ''), 200000)), 'B')) STORED
        )"""
    )
    cur.execute("CREATE INDEX articles_outlet ON articles(outlet)")
    cur.execute("CREATE INDEX articles_pub_day ON articles(pub_day)")
    cur.execute("CREATE INDEX articles_language ON articles(language)")
    cur.execute("CREATE INDEX articles_pending ON articles(seq) WHERE status IS NULL")
    cur.execute("CREATE INDEX articles_tsv ON articles USING GIN(tsv)")
    cur.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _pg_claims(cur: Any) -> None:
    cur.execute(
        """CREATE TABLE claims (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            outlet TEXT, published TEXT, pub_day TEXT, stance TEXT, kind TEXT,
            sentence TEXT NOT NULL DEFAULT '', source_text TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            trail_id TEXT,
            data JSONB NOT NULL,
            tsv TSVECTOR GENERATED ALWAYS AS (
                to_tsvector('claimgraph_text', left(coalesce(sentence, '') || ' ' || coalesce(source_text, '')
                            || ' ' || coalesce(content, ''), 200000))) STORED
        )"""
    )
    for col in ("article_id", "outlet", "stance", "pub_day", "trail_id"):
        cur.execute(f"CREATE INDEX claims_{col} ON claims({col})")
    cur.execute("CREATE INDEX claims_tsv ON claims USING GIN(tsv)")
    cur.execute(
        """CREATE TABLE claim_refs (
            claim_seq BIGINT NOT NULL REFERENCES claims(seq) ON DELETE CASCADE,
            role TEXT NOT NULL, entity TEXT, grp TEXT
        )"""
    )
    cur.execute("CREATE INDEX claim_refs_entity ON claim_refs(entity, claim_seq)")
    cur.execute("CREATE INDEX claim_refs_grp ON claim_refs(grp, claim_seq)")
    cur.execute("CREATE INDEX claim_refs_claim ON claim_refs(claim_seq)")
    cur.execute(
        """CREATE TABLE claim_places (
            claim_seq BIGINT NOT NULL REFERENCES claims(seq) ON DELETE CASCADE,
            name TEXT NOT NULL, geoname_id BIGINT, country TEXT
        )"""
    )
    cur.execute("CREATE INDEX claim_places_name ON claim_places(lower(name), claim_seq)")
    cur.execute("CREATE INDEX claim_places_claim ON claim_places(claim_seq)")


def _pg_trails(cur: Any) -> None:
    cur.execute(
        """CREATE TABLE trails (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            summary TEXT NOT NULL DEFAULT '',
            first_seen TEXT, last_seen TEXT,
            size INTEGER NOT NULL DEFAULT 0,
            n_claims INTEGER NOT NULL DEFAULT 0,
            search_text TEXT NOT NULL DEFAULT '',
            data JSONB NOT NULL,
            tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('claimgraph_text', search_text)) STORED
        )"""
    )
    cur.execute("CREATE INDEX trails_latest ON trails(last_seen DESC NULLS LAST, id)")
    cur.execute("CREATE INDEX trails_size ON trails(size DESC, last_seen DESC NULLS LAST, id)")
    cur.execute("CREATE INDEX trails_tsv ON trails USING GIN(tsv)")


POSTGRES_MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, full text and meta", _pg_articles),
    Migration(2, "claims with filter columns, parties, places and full text", _pg_claims),
    Migration(3, "trails", _pg_trails),
)

# An arbitrary constant key: PostgreSQL advisory lock held while migrating, so that two processes
# opening the same new database at once do not both create the tables.
_PG_LOCK = 0x636C6169


def migrate_postgres(conn: Any, target: int | None = None, where: str = "") -> list[int]:
    """The PostgreSQL twin of :func:`migrate_sqlite`; ``conn`` is a psycopg connection (autocommit)."""
    applied: list[int] = []
    latest = POSTGRES_MIGRATIONS[-1].version
    for migration in POSTGRES_MIGRATIONS:
        if target is not None and migration.version > target:
            break
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_PG_LOCK,))
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            cur.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
            current = int(cur.fetchone()[0])
            _refuse_newer(current, latest, where)
            if migration.version > current:
                migration.apply(cur)
                cur.execute(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (%s, %s, %s)",
                    (migration.version, migration.name, _now()),
                )
                applied.append(migration.version)
    return applied
