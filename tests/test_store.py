"""The Store protocol, run on every backend (SQLite always; PostgreSQL when CLAIMGRAPH_TEST_PG is set)."""

from __future__ import annotations

import dataclasses
import threading

import pytest

import test_store_support as support
from claimgraph.errors import StoreError
from claimgraph.models import EntityRef, Place
from claimgraph.settings import Settings
from claimgraph.store import ArticleFilter, ClaimFilter, open_store
from claimgraph.store.base import STALE_TRAILS
from test_store_support import SANA_LIKE, article, claim, open_backend, trail

# The shared fixtures, bound here so that pytest finds them by name in this module.
backend, pg_url, store = support.backend, support.pg_url, support.store

# --- articles ---------------------------------------------------------------------------------------


def test_article_round_trip_and_duplicates(store) -> None:
    a = article(1)
    assert store.add_articles([a, a], {a.id: b"\x00\x01sig"}) == 1
    assert store.add_articles([a]) == 0
    assert store.has_article(a.id) and not store.has_article("nope")
    assert store.get_article(a.id) == a
    assert store.get_article("nope") is None
    assert list(store.iter_minhashes()) == [(a.id, a.outlet, b"\x00\x01sig")]
    assert store.count_articles() == 1


def test_empty_batch_and_article_without_optional_fields(store) -> None:
    assert store.add_articles([]) == 0
    bare = dataclasses.replace(article(2), url=None, outlet=None, published=None, language=None,
                               authors=(), captions=(), removed=())
    assert store.add_articles([bare]) == 1
    assert store.get_article(bare.id) == bare
    assert list(store.iter_minhashes()) == []  # no signature given: nothing to compare with


def test_unicode_text_and_nul_survive(store) -> None:
    a = article(3, title="Обстрел у реки — «Вальдор» сообщает", text="نص عربي\n\nZürich · naïve")
    store.add_articles([a])
    assert store.get_article(a.id) == a
    assert store.count_articles(ArticleFilter(search="zurich")) == 1  # diacritics folded
    assert store.count_articles(ArticleFilter(search="обстрел")) == 1
    # A NUL byte from broken input is stored (PostgreSQL drops it) and never crashes the batch.
    nul = article(4, text="before\x00after")
    assert store.add_articles([nul]) == 1


def test_article_filters(store) -> None:
    store.add_articles([
        article(1, outlet="a.test", published="2024-01-10", language="en"),
        article(2, outlet="b.test", published="2024-02-10T08:30:00", language="fr",
                title="Communiqué du ministère"),
        article(3, outlet="a.test", published=None, language=None),
        article(4, outlet="b.test", published="2024-03-01", title="Bridge reopened in Lenvik",
                text="The bridge reopened."),
    ])
    count = store.count_articles
    assert count(ArticleFilter(outlet="a.test")) == 2
    assert count(ArticleFilter(language="fr")) == 1
    assert count(ArticleFilter(date_from="2024-02-01")) == 2
    assert count(ArticleFilter(date_to="2024-02-10")) == 2  # a datetime on the bound day counts
    assert count(ArticleFilter(date_from="2024-02", date_to="2024-02")) == 1  # a month bound
    assert count(ArticleFilter(search="bridge lenvik")) == 1
    assert count(ArticleFilter(search="brid")) == 1  # the last word is a prefix
    assert count(ArticleFilter(search="ministère")) == 1
    assert count(ArticleFilter(search="bridge", outlet="a.test")) == 0
    ids = [a.id for a in store.iter_articles(ArticleFilter(outlet="b.test"))]
    assert ids == ["art00002", "art00004"]


@pytest.mark.parametrize("text", ['"', "NEAR(", "a AND OR", "*", "-x", "title:", "'; DROP TABLE x", "()"])
def test_search_syntax_never_crashes(store, text: str) -> None:
    store.add_articles([article(1)])
    assert store.count_articles(ArticleFilter(search=text)) >= 0
    assert list(store.iter_claims(ClaimFilter(search=text))) == []
    assert store.count_trails(text) >= 0


def test_pagination_crosses_internal_pages(store, monkeypatch) -> None:
    import claimgraph.store.postgres as pg
    import claimgraph.store.sqlite as sq

    monkeypatch.setattr(sq, "PAGE", 3)  # small pages, so keyset continuation is exercised
    monkeypatch.setattr(pg, "PAGE", 3)
    store.add_articles([article(i) for i in range(1, 21)])
    all_ids = [a.id for a in store.iter_articles()]
    assert all_ids == [f"art{i:05d}" for i in range(1, 21)]
    assert [a.id for a in store.iter_articles(limit=7, offset=5)] == all_ids[5:12]
    assert [a.id for a in store.iter_articles(offset=18)] == all_ids[18:]
    assert list(store.iter_articles(limit=0)) == []
    assert list(store.iter_articles(offset=100)) == []
    assert len(list(store.iter_minhashes())) == 0


# --- claims ----------------------------------------------------------------------------------------


def _two_articles_with_claims(store) -> None:
    store.add_articles([article(1, outlet="a.test", published="2024-01-10"),
                        article(2, outlet="b.test", published="2024-02-20")])
    gov = EntityRef("a ministry spokesman", kind="government", entity="valdor-mod", group="valdor-state")
    store.replace_claims("art00001", [
        claim("art00001", 1, places=(Place("Ostrava", geoname_id=3068799, country="CZ"),)),
        claim("art00001", 2, stance="deny", source=gov, sentence="A spokesman denied the dam failed."),
    ], "attributed")
    store.replace_claims("art00002", [claim("art00002", 1, places=(Place("Lenvik"),))], "attributed")


def test_claims_round_trip_status_and_pending(store) -> None:
    store.add_articles([article(1), article(2), article(3)])
    assert [a.id for a in store.articles_to_attribute()] == ["art00001", "art00002", "art00003"]
    c = claim("art00001", 1, places=(Place("Ostrava", 3068799, "CZ", 49.8, 18.3, "Ostrava", ((5, 12),)),))
    store.replace_claims("art00001", [c], "attributed")
    store.replace_claims("art00002", [], "skipped:fr")
    assert store.get_claim(c.id) == c
    assert store.get_claim("art00001:9") is None
    assert store.article_status("art00001") == "attributed"
    assert store.article_status("art00002") == "skipped:fr"
    assert store.article_status("art00003") is None
    assert store.article_status("missing") is None
    assert [a.id for a in store.articles_to_attribute()] == ["art00003"]


def test_pending_articles_can_be_attributed_while_iterating(store, monkeypatch) -> None:
    import claimgraph.store.postgres as pg
    import claimgraph.store.sqlite as sq

    monkeypatch.setattr(sq, "PAGE", 4)
    monkeypatch.setattr(pg, "PAGE", 4)
    store.add_articles([article(i) for i in range(1, 12)])
    seen = []
    for a in store.articles_to_attribute():  # as the pipeline does: write while iterating
        seen.append(a.id)
        store.replace_claims(a.id, [claim(a.id, 1)], "attributed")
    assert seen == [f"art{i:05d}" for i in range(1, 12)]
    assert list(store.articles_to_attribute()) == []
    assert store.count_claims() == 11


def test_replace_claims_replaces(store) -> None:
    store.add_articles([article(1)])
    store.replace_claims("art00001", [claim("art00001", 1), claim("art00001", 2)], "attributed")
    store.replace_claims("art00001", [claim("art00001", 1, stance="deny")], "attributed")
    assert store.count_claims() == 1
    assert store.get_claim("art00001:1").stance == "deny"  # type: ignore[union-attr]
    assert store.count_claims(ClaimFilter(search="water")) == 1  # the index follows replacements
    store.replace_claims("art00001", [], "failed:timeout")
    assert store.count_claims() == 0 and store.count_claims(ClaimFilter(search="water")) == 0
    assert store.article_status("art00001") == "failed:timeout"


def test_replace_claims_rejects_unknown_article_and_keeps_state(store) -> None:
    store.add_articles([article(1)])
    store.replace_claims("art00001", [claim("art00001", 1)], "attributed")
    with pytest.raises(StoreError, match="not stored"):
        store.replace_claims("ghost", [claim("ghost", 1)], "attributed")
    with pytest.raises(StoreError):
        store.replace_claims("art00001", [claim("art00001", 1), claim("art00001", 1)], "attributed")
    # The failed call was one transaction: the earlier claims are still there.
    assert store.count_claims() == 1 and store.article_status("art00001") == "attributed"
    with pytest.raises(StoreError, match="belongs to article"):
        store.replace_claims("art00001", [claim("art00002", 1)], "attributed")


def test_claim_filters(store) -> None:
    _two_articles_with_claims(store)
    count = store.count_claims
    assert count() == 3
    assert count(ClaimFilter(article_id="art00001")) == 2
    assert count(ClaimFilter(outlet="b.test")) == 1  # outlet comes from the article
    assert count(ClaimFilter(stance="deny")) == 1
    assert count(ClaimFilter(group="valdor-state")) == 1  # the spokesman's group, not the channel's
    assert count(ClaimFilter(entity="valdor-agency")) == 3  # the channel of every claim
    assert count(ClaimFilter(entity="valdor-mod")) == 1
    assert count(ClaimFilter(place="ostrava")) == 1  # case-insensitive
    assert count(ClaimFilter(place="Nowhere")) == 0
    assert count(ClaimFilter(date_from="2024-02-01")) == 1
    assert count(ClaimFilter(date_to="2024-01-31")) == 2
    assert count(ClaimFilter(search="spokesman")) == 1
    assert count(ClaimFilter(search="residents")) == 2  # source text is searched
    assert count(ClaimFilter(search="mill", outlet="a.test", stance="assert")) == 1
    got = list(store.iter_claims(ClaimFilter(outlet="a.test")))
    assert [c.id for c in got] == ["art00001:1", "art00001:2"]
    assert [c.id for c in store.iter_claims(limit=1, offset=1)] == ["art00001:2"]


# --- trails ----------------------------------------------------------------------------------------


def test_trails_replace_incrementally_and_point_claims(store) -> None:
    _two_articles_with_claims(store)
    t1 = trail("t1", ("art00001:1", "art00002:1"), ("art00001", "art00002"), last_seen="2024-02-20")
    t2 = trail("t2", ("art00001:2",), ("art00001",), last_seen="2024-01-10",
               summary="the dam did not fail")
    store.replace_trails([t1, t2])
    assert store.get_trail("t1") == t1 and store.get_trail("zz") is None
    assert store.trail_of_claim("art00002:1") == "t1"
    assert store.trail_of_claim("art00001:2") == "t2"
    assert store.trail_of_claim("nope") is None
    assert store.count_claims(ClaimFilter(trail_id="t1")) == 2
    # An incremental run replaces t1 only: a claim leaves it, t2 is untouched.
    t1b = dataclasses.replace(t1, claim_ids=("art00001:1",), article_ids=("art00001",))
    store.replace_trails([t1b])
    assert store.trail_of_claim("art00002:1") is None
    assert store.get_trail("t1") == t1b and store.get_trail("t2") == t2
    assert store.count_trails() == 2
    store.delete_trails(["t2", "never-existed"])
    assert store.trail_of_claim("art00001:2") is None and store.count_trails() == 1
    store.delete_trails([])


def test_reattribution_keeps_trail_links(store) -> None:
    _two_articles_with_claims(store)
    store.replace_trails([trail("t1", ("art00001:1",), ("art00001",))])
    store.replace_claims("art00001", [claim("art00001", 1), claim("art00001", 3)], "attributed")
    assert store.trail_of_claim("art00001:1") == "t1"
    assert store.trail_of_claim("art00001:3") is None


def test_what_an_incremental_link_run_reads(store, monkeypatch) -> None:
    import claimgraph.store.postgres as pg
    import claimgraph.store.sqlite as sq

    monkeypatch.setattr(sq, "PAGE", 2)  # claims_by_ids asks in chunks
    monkeypatch.setattr(pg, "PAGE", 2)
    _two_articles_with_claims(store)
    assert store.count_unlinked_claims() == 3
    store.replace_trails([trail("t1", ("art00001:1",), ("art00001",))])
    assert [c.id for c in store.iter_unlinked_claims()] == ["art00001:2", "art00002:1"]
    assert store.count_unlinked_claims() == 2
    wanted = ["art00002:1", "nope", "art00001:2", "art00001:1", "art00002:1"]
    found = [c.id for c in store.claims_by_ids(wanted)]
    assert sorted(found) == ["art00001:1", "art00001:2", "art00002:1"]
    assert list(store.claims_by_ids([])) == []
    store.replace_trails([
        dataclasses.replace(trail("march", (), ()), first_seen="2024-03-01", last_seen="2024-03-09"),
        dataclasses.replace(trail("may", (), ()), first_seen="2024-05-01", last_seen="2024-05-02"),
        dataclasses.replace(trail("undated", (), ()), first_seen=None, last_seen=None),
    ])
    def ids(first: str, last: str) -> list[str]:
        return sorted(t.id for t in store.trails_overlapping(first, last))

    assert ids("2024-03-09", "2024-04-30") == ["march", "undated"]
    assert ids("2024-03-10", "2024-04-30") == ["undated"]
    assert ids("2024-01-01", "2024-03-01") == ["march", "undated"]
    assert ids("2024-03-05", "2024-05-01") == ["march", "may", "t1", "undated"]
    assert store.trails_of_undated_claims() == []
    store.add_articles([dataclasses.replace(article(3), published=None)])
    store.replace_claims("art00003", [claim("art00003", 1), claim("art00003", 2)], "attributed")
    store.replace_trails([trail("t3", ("art00003:1",), ("art00003",))])
    assert store.trails_of_undated_claims() == ["t3"]
    # Replacing an article's claims marks the trails that lose one, for the next link run.
    store.replace_claims("art00001", [claim("art00001", 2)], "attributed")
    assert store.get_meta(STALE_TRAILS) == "t1"
    store.replace_trails([trail("t2", ("art00002:1",), ("art00002",))])
    store.replace_claims("art00002", [], "attributed")
    assert store.get_meta(STALE_TRAILS) == "t1\nt2"
    store.replace_claims("art00001", [claim("art00001", 2)], "attributed")  # loses nothing linked
    assert store.get_meta(STALE_TRAILS) == "t1\nt2"


def test_trail_order_search_and_pages(store) -> None:
    store.replace_trails([
        trail("big-old", ("x:1",), ("a", "b", "c"), last_seen="2023-05-01", summary="convoy attacked"),
        trail("small-new", ("x:2",), ("d",), last_seen="2024-06-01", summary="hospital shelled"),
        trail("undated", (), ("e", "f"), last_seen=None, summary="hospital closed"),
    ])
    assert [t.id for t in store.iter_trails()] == ["small-new", "big-old", "undated"]
    assert [t.id for t in store.iter_trails(order="size")] == ["big-old", "undated", "small-new"]
    assert [t.id for t in store.iter_trails(limit=1, offset=1)] == ["big-old"]
    assert [t.id for t in store.iter_trails(search="hospital")] == ["small-new", "undated"]
    assert store.count_trails("hospital") == 2 and store.count_trails() == 3
    assert store.count_trails("brenn") == 3  # outlets are searchable
    with pytest.raises(StoreError):
        list(store.iter_trails(order="sideways"))


# --- meta, threads, errors ---------------------------------------------------------------------------


def test_meta(store) -> None:
    assert store.get_meta("link.last") is None
    store.set_meta("link.last", "1")
    store.set_meta("link.last", "2")
    assert store.get_meta("link.last") == "2"


def test_reads_from_threads_while_writing(store) -> None:
    store.add_articles([article(i) for i in range(1, 6)])
    errors: list[BaseException] = []
    counts: list[int] = []

    def reader() -> None:
        try:
            for _ in range(20):
                counts.append(store.count_articles())
                list(store.iter_articles(limit=3))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(6, 30):
        store.add_articles([article(i)])
    for t in threads:
        t.join()
    assert not errors
    assert all(5 <= c <= 29 for c in counts)
    assert store.count_articles() == 29


def test_data_persists_across_reopen(backend: str) -> None:
    s = open_backend(backend)
    s.add_articles([article(1)])
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.count_articles()
    s2 = open_backend(backend)
    try:
        assert s2.get_article("art00001") == article(1)
    finally:
        s2.close()


def test_open_store_picks_backend(tmp_path) -> None:
    s = open_store(Settings(db=str(tmp_path / "x.db")))
    try:
        assert type(s).__name__ == "SQLiteStore"
    finally:
        s.close()


def test_bad_database_files_give_store_errors(tmp_path) -> None:
    from claimgraph.store.sqlite import SQLiteStore

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(StoreError, match="junk.db"):
        SQLiteStore(junk)
    with pytest.raises(StoreError, match="does not exist"):
        SQLiteStore(tmp_path / "no" / "such" / "dir.db")
    with pytest.raises(StoreError):
        SQLiteStore(tmp_path)  # a folder


def test_unreachable_postgres_is_a_store_error() -> None:
    from claimgraph.store.postgres import PostgresStore

    with pytest.raises(StoreError, match="cannot connect"):
        PostgresStore("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")


def test_memory_database_works_from_threads() -> None:
    from claimgraph.store.sqlite import SQLiteStore

    with SQLiteStore(":memory:") as s:
        s.add_articles([article(1)])
        out: list[int] = []
        t = threading.Thread(target=lambda: out.append(s.count_articles()))
        t.start()
        t.join()
        assert out == [1]
        assert SANA_LIKE.entity == "valdor-agency"


def test_denials_point_at_the_trail_they_deny_unless_in_a_trail(store) -> None:
    _two_articles_with_claims(store)
    t1 = dataclasses.replace(trail("t1", ("art00001:1",), ("art00001",)), denials=("art00001:2",))
    t2 = dataclasses.replace(trail("t2", ("art00002:1",), ("art00002",)), denials=("art00001:1",))
    store.replace_trails([t1, t2])
    assert store.trail_of_claim("art00001:2") == "t1"  # the denial, in no trail of its own
    assert store.trail_of_claim("art00001:1") == "t1"  # a member of t1 stays there
    assert store.count_claims(ClaimFilter(trail_id="t1")) == 2


@pytest.mark.parametrize("cls_path", ["claimgraph.store.sqlite:SQLiteStore",
                                      "claimgraph.store.postgres:PostgresStore"])
def test_backends_implement_the_whole_protocol(cls_path: str) -> None:
    import importlib
    import inspect

    from claimgraph.store.base import Store

    module, name = cls_path.split(":")
    cls = getattr(importlib.import_module(module), name)
    wanted = {n for n, v in vars(Store).items() if callable(v) and not n.startswith("_")}
    for method in wanted:
        ours = inspect.signature(getattr(cls, method))
        theirs = inspect.signature(getattr(Store, method))
        assert list(ours.parameters) == list(theirs.parameters), method
        for p in theirs.parameters.values():  # same defaults, so callers can rely on them
            assert ours.parameters[p.name].default == p.default, (method, p.name)


def test_prerelease_layout_is_refused_with_a_clear_message(tmp_path) -> None:
    import sqlite3

    from claimgraph.store.sqlite import SQLiteStore

    db = tmp_path / "dev.db"
    SQLiteStore(db).close()
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE articles ADD COLUMN data TEXT")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="delete the file"):
        SQLiteStore(db)


def test_single_filter_shortcuts_agree_with_the_general_query(store, monkeypatch) -> None:
    """Search-only and party/place-only filters take shortcuts; they must select the same claims,
    in the same order, as the same filter combined with a filter that selects everything."""
    import claimgraph.store.postgres as pg
    import claimgraph.store.sqlite as sq

    monkeypatch.setattr(sq, "PAGE", 2)
    monkeypatch.setattr(pg, "PAGE", 2)
    store.add_articles([article(i, published="2024-01-10") for i in range(1, 6)])
    gov = EntityRef("a spokesman", kind="government", entity="valdor-mod", group="valdor-state")
    for i in range(1, 6):
        aid = f"art{i:05d}"
        store.replace_claims(aid, [
            claim(aid, 1, places=(Place("Ostrava"),)),
            claim(aid, 2, source=gov, sentence="A spokesman denied it."),
        ], "attributed")
    everything = {"date_from": "2000-01-01"}
    for single in ({"search": "spokesman"}, {"entity": "valdor-agency"}, {"entity": "valdor-mod"},
                   {"group": "valdor-state"}, {"place": "OSTRAVA"}, {"search": "mill"}):
        fast, slow = ClaimFilter(**single), ClaimFilter(**single, **everything)
        assert store.count_claims(fast) == store.count_claims(slow) > 0, single
        ids = [c.id for c in store.iter_claims(slow)]
        assert [c.id for c in store.iter_claims(fast)] == ids, single
        assert [c.id for c in store.iter_claims(fast, limit=3, offset=1)] == ids[1:4], single
    a_fast = [a.id for a in store.iter_articles(ArticleFilter(search="flooding"), limit=2, offset=1)]
    a_slow = [a.id for a in store.iter_articles(ArticleFilter(search="flooding", **everything),
                                                limit=2, offset=1)]
    assert a_fast == a_slow == ["art00002", "art00003"]
    assert store.count_articles(ArticleFilter(search="flooding")) == 5


def test_an_empty_search_box_means_no_search(store) -> None:
    store.add_articles([article(1)])
    store.replace_claims("art00001", [claim("art00001", 1)], "attributed")
    store.replace_trails([trail("t1", ("art00001:1",), ("art00001",))])
    for blank in ("", "   "):
        assert store.count_articles(ArticleFilter(search=blank)) == 1
        assert len(list(store.iter_articles(ArticleFilter(search=blank)))) == 1
        assert store.count_claims(ClaimFilter(search=blank)) == 1
        assert store.count_trails(blank) == 1 and len(list(store.iter_trails(blank))) == 1
    assert store.count_articles(ArticleFilter(search="!!")) == 0  # only punctuation: nothing
