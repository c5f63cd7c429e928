"""Schema migrations: recorded, idempotent, atomic, and an older database upgrades in place."""

from __future__ import annotations

import sqlite3
import threading

import pytest

import test_store_support as support
from claimgraph.errors import StoreError
from claimgraph.store import ArticleFilter, ClaimFilter, migrations, serial
from claimgraph.store.migrations import SQLITE_MIGRATIONS, Migration, migrate_sqlite
from claimgraph.store.sqlite import SQLiteStore
from test_store_support import article, claim, needs_pg

pg_url = support.pg_url  # fixture, found by name
LATEST = SQLITE_MIGRATIONS[-1].version


def _versions(path) -> list[tuple[int, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY 1").fetchall()
    finally:
        conn.close()


def test_migrations_are_numbered_in_order() -> None:
    for mig in (migrations.SQLITE_MIGRATIONS, migrations.POSTGRES_MIGRATIONS):
        assert [m.version for m in mig] == list(range(1, len(mig) + 1))
    # Both backends walk the same steps, so a schema version means the same thing on either.
    assert [m.name for m in migrations.SQLITE_MIGRATIONS] == [
        m.name for m in migrations.POSTGRES_MIGRATIONS
    ]


def test_migrations_recorded_and_idempotent(tmp_path) -> None:
    db = tmp_path / "m.db"
    with SQLiteStore(db) as s:
        assert s.schema_version() == LATEST
        s.add_articles([article(1)])
    first = _versions(db)
    assert [v for v, _, _ in first] == list(range(1, LATEST + 1))
    assert all(name and applied for _, name, applied in first)
    with SQLiteStore(db) as s:  # opening again applies nothing and keeps the data
        assert s.count_articles() == 1
    assert _versions(db) == first
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        assert migrate_sqlite(conn) == []
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_older_database_upgrades_in_place(tmp_path) -> None:
    """A file left by a claimgraph that only knew migration 1 (articles) gains claims and trails."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    assert migrate_sqlite(conn, target=1) == [1]
    a = article(1)
    r = serial.article_row(a)
    seq = conn.execute(
        "INSERT INTO articles(id, url, outlet, published, pub_day, language, reprint_of, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, '2024-01-01')",
        (r.id, r.url, r.outlet, r.published, r.pub_day, r.language, r.reprint_of),
    ).lastrowid
    conn.execute("INSERT INTO article_docs(seq, title, text, data) VALUES (?, ?, ?, ?)",
                 (seq, r.title, r.text, r.data))
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'claims'").fetchone() is None
    conn.close()

    with SQLiteStore(db) as s:
        assert s.schema_version() == LATEST
        assert s.get_article(a.id) == a
        assert s.count_articles(ArticleFilter(search="flooding")) == 1
        assert [a.id for a in s.articles_to_attribute()] == [a.id]
        s.replace_claims(a.id, [claim(a.id, 1)], "attributed")
        assert s.count_claims(ClaimFilter(search="mill")) == 1
        s.replace_trails([support.trail("t1", (f"{a.id}:1",), (a.id,))])
        assert s.trail_of_claim(f"{a.id}:1") == "t1"
    assert [v for v, _, _ in _versions(db)] == list(range(1, LATEST + 1))


def test_newer_schema_is_refused(tmp_path) -> None:
    db = tmp_path / "new.db"
    SQLiteStore(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(db)


def test_failed_migration_rolls_back(tmp_path, monkeypatch) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk on fire")

    db = tmp_path / "f.db"
    SQLiteStore(db).close()
    monkeypatch.setattr(migrations, "SQLITE_MIGRATIONS",
                        (*SQLITE_MIGRATIONS, Migration(LATEST + 1, "broken", broken)))
    with pytest.raises(StoreError, match="disk on fire"):
        SQLiteStore(db)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchone() is None
    finally:
        conn.close()
    assert [v for v, _, _ in _versions(db)] == list(range(1, LATEST + 1))


def test_concurrent_first_open(tmp_path) -> None:
    """Two openers racing on a new file: the migrations are applied once, neither fails."""
    db = tmp_path / "race.db"
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            SQLiteStore(db).close()
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [v for v, _, _ in _versions(db)] == list(range(1, LATEST + 1))


# --- PostgreSQL ---------------------------------------------------------------------------------------


@pytest.mark.postgres
@needs_pg
def test_postgres_migrations_recorded_idempotent_and_upgrade(pg_url: str) -> None:
    import psycopg

    from claimgraph.store.migrations import migrate_postgres
    from claimgraph.store.postgres import PostgresStore

    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert migrate_postgres(conn, target=1) == [1]  # an older database: articles only
        r = serial.article_row(article(1))
        conn.execute(
            "INSERT INTO articles(id, title, text, outlet, published, pub_day, data) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (r.id, r.title, r.text, r.outlet, r.published, r.pub_day, r.data),
        )
    with PostgresStore(pg_url) as s:
        assert s.schema_version() == LATEST
        assert s.get_article("art00001") == article(1)
        s.replace_claims("art00001", [claim("art00001", 1)], "attributed")
    with PostgresStore(pg_url) as s, psycopg.connect(pg_url, autocommit=True) as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
        assert [v for (v,) in rows] == list(range(1, LATEST + 1))
        assert s.count_claims() == 1
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    with pytest.raises(StoreError, match="newer"):
        PostgresStore(pg_url)


def test_statistics_refreshed_after_growth_only(tmp_path) -> None:
    db = tmp_path / "stats.db"
    with SQLiteStore(db) as s:
        s.add_articles([article(i) for i in range(1, 1101)])
    with SQLiteStore(db) as s:
        assert s.get_meta("store.analyzed_rows") == "1100"  # ANALYZE ran when the writer closed
        s.add_articles([article(2000)])
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles'").fetchone()[0] > 0
    finally:
        conn.close()
    with SQLiteStore(db) as s:  # grew by one article only: the statistics are left alone
        assert s.get_meta("store.analyzed_rows") == "1100"
