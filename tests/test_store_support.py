"""Fixtures and fictional sample data shared by the store tests (this module holds no tests).

``store`` runs each test on SQLite (a real file under tmp_path) and, when ``CLAIMGRAPH_TEST_PG``
holds a server URL (see scripts/start_test_postgres.sh), on PostgreSQL in a fresh database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from claimgraph.models import (
    Article,
    Citation,
    Claim,
    DateRef,
    EntityRef,
    Place,
    Trail,
    TrailOrigin,
)

PG_URL = os.environ.get("CLAIMGRAPH_TEST_PG")
needs_pg = pytest.mark.skipif(
    not PG_URL, reason="no PostgreSQL: set CLAIMGRAPH_TEST_PG to a server URL "
    "(scripts/start_test_postgres.sh prints one)"
)


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    import psycopg

    assert PG_URL
    name = f"cg_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield _with_db(PG_URL, name)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=[pytest.mark.postgres, needs_pg]),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path) -> str:
    """A database location for the backend under test: a file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    return str(request.getfixturevalue("pg_url"))


def open_backend(location: str):
    if location.startswith("postgresql://"):
        from claimgraph.store.postgres import PostgresStore

        return PostgresStore(location)
    from claimgraph.store.sqlite import SQLiteStore

    return SQLiteStore(location)


@pytest.fixture
def store(backend: str):
    s = open_backend(backend)
    yield s
    s.close()


# --- fictional sample data ------------------------------------------------------------------------

def article(n: int, outlet: str = "valdor-news.test", published: str | None = "2024-03-05",
            language: str | None = "en", title: str | None = None, text: str | None = None) -> Article:
    return Article(
        id=f"art{n:05d}",
        title=title or f"Flooding reported near Ostrava river crossing, report {n}",
        text=text or (
            f"Local residents told the Valdor Agency that water reached the old mill ({n}).\n\n"
            "A ministry spokesman denied that the dam had failed."
        ),
        url=f"https://{outlet}/story/{n}", outlet=outlet, outlet_name="Valdor News",
        published=published, language=language, authors=("Mira Talen",),
        captions=("FILE IMAGE: the old mill in spring",), removed=("Subscribe to our newsletter",),
        fmt="html", origin=f"/tmp/in/{n}.html",
    )


SANA_LIKE = EntityRef("the Valdor Agency", kind="outlet", spans=((40, 57),), entity="valdor-agency",
                      name="Valdor Agency", group="valdor-state", country="CZ",
                      ownership="state-controlled")


def claim(article_id: str, n: int, stance: str = "assert", source: EntityRef | None = None,
          places: tuple[Place, ...] = (), outlet: str | None = None,
          published: str | None = None, sentence: str | None = None) -> Claim:
    src = source or EntityRef("Local residents", kind="group", spans=((0, 15),))
    return Claim(
        id=f"{article_id}:{n}", article_id=article_id, n=n,
        sentence=sentence or "Local residents told the Valdor Agency that water reached the old mill.",
        sentence_span=(0, 70), source=src, cue="told", content="water reached the old mill",
        source_spans=((0, 15),), cue_spans=((16, 20),), content_spans=((43, 69),),
        channel=SANA_LIKE, chain=(src, SANA_LIKE), kind="indirect", stance=stance,
        hedges=("reportedly",), outlet=outlet, published=published,
        origin=src, publisher="valdor-news.test",
        said_on=DateRef("2024-03-04", "day", "on Monday"), event_date=DateRef("2024-03", "month"),
        places=places,
    )


def trail(tid: str, claim_ids: tuple[str, ...], article_ids: tuple[str, ...],
          last_seen: str | None = "2024-03-06", summary: str = "water reached the old mill") -> Trail:
    return Trail(
        id=tid, summary=summary, claim_ids=claim_ids, article_ids=article_ids,
        outlets=("valdor-news.test", "brenn-wire.test"), first_seen="2024-03-05", last_seen=last_seen,
        origin=TrailOrigin("Local residents", entity=None, group=None, said_on="2024-03-04",
                           article_id=article_ids[0] if article_ids else None),
        citations=(Citation("valdor-news.test", "valdor-agency", "relays"),),
        reprints=(), independent_groups=("valdor-state",), denials=(), related=(),
        verdict=f"{len(article_ids)} articles · 2 outlets · 1 origin",
    )
