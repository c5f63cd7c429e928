"""link_store and the trails commands on a real temporary store (SQLite; the incremental runs on PostgreSQL too)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

import claimgraph.link as link_module
import test_store_support as support
from claimgraph.cli import cli
from claimgraph.link import link_store
from claimgraph.models import Article, Claim
from claimgraph.settings import Settings
from test_link import ARTICLES, CORPUS

sqlite = pytest.importorskip("claimgraph.store.sqlite", reason="the SQLite store is not written yet")
# The two-backend store fixture (SQLite; PostgreSQL too when CLAIMGRAPH_TEST_PG is set), bound here.
backend, pg_url, store = support.backend, support.pg_url, support.store


def _fill(store, article_ids) -> None:
    arts = [a for a in ARTICLES if a.id in article_ids]
    store.add_articles(arts)
    for a in arts:
        store.replace_claims(a.id, [c for c in CORPUS if c.article_id == a.id], "attributed")


@pytest.fixture()
def db(tmp_path):
    return str(tmp_path / "t.db")


def test_link_store_is_incremental(db) -> None:
    store = sqlite.SQLiteStore(db)
    try:
        _fill(store, {"a1", "a2", "b1"})
        first = link_store(store, Settings(db=db))
        assert (first.claims, first.new_claims, first.trails, first.written) == (3, 3, 2, 2)
        cranes = store.trail_of_claim("a1:1")
        assert cranes is not None and store.trail_of_claim("a2:1") == cranes
        again = link_store(store, Settings(db=db))
        assert (again.new_claims, again.written, again.deleted) == (0, 0, 0)
        _fill(store, {"a3", "a4", "b2", "b3", "c1"})
        third = link_store(store, Settings(db=db))
        assert third.new_claims == 5 and store.count_trails() == 3
        trail = store.get_trail(cranes)
        assert trail is not None and trail.claim_ids == ("a1:1", "a2:1", "a3:1")
        assert trail.denials == ("a4:1",) and trail.reprints == ("a2",)
    finally:
        store.close()


def test_cli_link_trails_trail(db) -> None:
    store = sqlite.SQLiteStore(db)
    try:
        _fill(store, {a.id for a in ARTICLES})
    finally:
        store.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["link", "--db", db])
    assert result.exit_code == 0, result.output
    assert "8 new claims linked" in result.output
    result = runner.invoke(cli, ["trails", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 3
    for r in rows:  # every field issue #5 names, on the command line's own output
        assert set(r) >= {"id", "summary", "claim_ids", "article_ids", "outlets", "first_seen", "last_seen",
                          "origin", "citations", "reprints", "independent_groups", "denials", "related"}
        assert set(r["origin"]) == {"source", "entity", "group", "said_on", "article_id"}
    found = [json.loads(line) for line in runner.invoke(
        cli, ["trails", "--db", db, "--json", "--search", "cranes"]).output.splitlines()]
    assert [r["claim_ids"] for r in found] == [["a1:1", "a2:1", "a3:1"]]
    result = runner.invoke(cli, ["trails", "--db", db, "--search", "shipyard"])
    assert result.exit_code == 0 and "2 trails" in result.output and "cranes" not in result.output
    # Largest trails first unless told otherwise; --order latest still sorts by last seen.
    sizes = [len(r["article_ids"]) for r in rows]
    assert sizes == sorted(sizes, reverse=True)
    latest = [json.loads(line) for line in runner.invoke(
        cli, ["trails", "--db", db, "--json", "--order", "latest"]).output.splitlines()]
    seen = [r["last_seen"] or "" for r in latest]
    assert seen == sorted(seen, reverse=True)
    big = max(rows, key=lambda r: len(r["article_ids"]))
    result = runner.invoke(cli, ["trail", big["id"], "--db", db])
    assert result.exit_code == 0, result.output
    assert big["verdict"] in result.output and "[assert]" in result.output
    # One timeline row per claim: date, outlet, cue, source chain, stance.
    lines = result.output.splitlines()
    assert any(ln.startswith("2024-03-04") and "porto-diario.example" in ln and "said" in ln
               and "Ministry of Works" in ln and "[assert]" in ln for ln in lines)
    assert any("DENIES" in ln and "Porto Port Authority" in ln for ln in lines)
    result = runner.invoke(cli, ["trails", "--db", db])
    assert result.exit_code == 0 and "3 trails" in result.output
    result = runner.invoke(cli, ["trail", "nope", "--db", db])
    assert result.exit_code != 0 and "no trail 'nope'" in result.output


def _plus(iso: str | None, days: int) -> str | None:
    return iso and (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


def _copy(prefix: str, days: int, only: set[str] | None = None) -> tuple[list[Article], list[Claim]]:
    """The example corpus again under other ids, ``days`` later: another season of the same news."""
    arts = [replace(a, id=prefix + a.id, published=_plus(a.published, days),
                    reprint_of=a.reprint_of and prefix + a.reprint_of)
            for a in ARTICLES if only is None or a.id in only]
    ids = {a.id for a in arts}
    claims = [replace(c, id=prefix + c.id, article_id=prefix + c.article_id, published=_plus(c.published, days),
                      event_date=c.event_date and replace(c.event_date, date=_plus(c.event_date.date, days)))
              for c in CORPUS if prefix + c.article_id in ids]
    return arts, claims


def _add(store, arts: list[Article], claims: list[Claim]) -> None:
    store.add_articles(arts)
    for a in arts:
        store.replace_claims(a.id, [c for c in claims if c.article_id == a.id], "attributed")


class _Counting:
    """A store that counts the claims read through it."""

    def __init__(self, store) -> None:
        self.store = store
        self.read = 0
        self.ids: set[str] = set()

    def __getattr__(self, name: str):
        attr = getattr(self.store, name)
        if name not in ("iter_claims", "iter_unlinked_claims", "claims_by_ids"):
            return attr

        def counted(*args, **kwargs):
            for c in attr(*args, **kwargs):
                self.read += 1
                self.ids.add(c.id)
                yield c
        return counted


def _members(store) -> set[frozenset[str]]:
    return {frozenset((*t.claim_ids, *t.denials)) for t in store.iter_trails()}


@pytest.mark.parametrize("whole", [False, True])
def test_an_incremental_run_reads_only_what_the_new_claims_can_reach(store, monkeypatch, whole) -> None:
    if whole:  # the same run reading the whole store: the trails must come out the same
        monkeypatch.setattr(link_module, "_link_new", lambda *a: None)
    for prefix, days in (("", 0), ("y1-", 400), ("y2-", 800), ("y3-", 1200)):
        _add(store, *_copy(prefix, days, only={"a1", "a2", "b1", "b2", "b3", "c1"}))
    link_store(store)
    before = {t.id: t for t in store.iter_trails()}
    _add(store, *_copy("y1-", 400, only={"a3", "a4"}))  # the relay and the denial, a year on
    counting = _Counting(store)
    report = link_store(counting)
    assert report.new_claims == 2
    # Read: the two new claims and the trails of their weeks (6 claims), not the other years'.
    assert counting.read == report.claims == (26 if whole else 8)
    cranes = store.get_trail(store.trail_of_claim("y1-a1:1") or "")
    assert cranes is not None and cranes.claim_ids == ("y1-a1:1", "y1-a2:1", "y1-a3:1")
    assert cranes.denials == ("y1-a4:1",)
    after = {t.id: t for t in store.iter_trails()}
    assert set(after) == set(before) and [t for t in after if after[t] != before[t]] == [cranes.id]
    assert _members(store) >= {frozenset({"a1:1", "a2:1"}), frozenset({"y2-a1:1", "y2-a2:1"})}
    # Related trails outside the part read keep their links.
    arrests = store.get_trail(store.trail_of_claim("y1-b1:1") or "")
    assert arrests is not None and arrests.related == before[arrests.id].related != ()


def test_a_trail_that_loses_a_claim_is_rebuilt_without_reading_the_store(store) -> None:
    for prefix, days in (("", 0), ("y1-", 400), ("y2-", 800)):
        _add(store, *_copy(prefix, days))
    link_store(store)
    cranes = store.trail_of_claim("y1-a1:1")
    store.replace_claims("y1-a3", [], "attributed")  # re-attributed: its claim is gone
    counting = _Counting(store)
    report = link_store(counting)
    assert report.new_claims == 0 and report.written == 1 and counting.read < 8
    trail = store.get_trail(cranes or "")
    assert trail is not None and trail.claim_ids == ("y1-a1:1", "y1-a2:1")
    assert link_store(store).written == 0  # the stale mark is cleared


def test_a_new_claim_without_any_date_reads_the_whole_store(store) -> None:
    for prefix, days in (("", 0), ("y1-", 400)):
        _add(store, *_copy(prefix, days))
    link_store(store)
    arts, claims = _copy("u-", 0, only={"a3"})
    _add(store, [replace(a, published=None) for a in arts],
         [replace(c, published=None, event_date=None) for c in claims])
    report = link_store(store)
    assert report.new_claims == 1 and report.claims == 17


def test_a_deleted_trail_leaves_no_related_link_behind(store) -> None:
    for prefix, days in (("", 0), ("y1-", 400)):
        _add(store, *_copy(prefix, days))
    link_store(store)
    later = store.trail_of_claim("y1-c1:1")  # the 47 arrests, related to the 20 arrests
    arrests = store.get_trail(store.trail_of_claim("y1-b1:1") or "")
    assert later is not None and arrests is not None and later in arrests.related
    store.replace_claims("y1-c1", [], "attributed")
    report = link_store(store)  # reads the emptied trail only: the 20 arrests are not rebuilt
    assert report.deleted == 1 and store.get_trail(later) is None
    assert later not in (store.get_trail(arrests.id) or arrests).related


def test_trails_holding_an_undated_claim_are_always_in_reach(store) -> None:
    for prefix, days in (("", 0), ("y1-", 400)):
        _add(store, *_copy(prefix, days, only={"a1", "a2", "b1", "c1"}))
    arts, claims = _copy("u-", 0, only={"a2"})
    _add(store, [replace(a, published=None, reprint_of=None) for a in arts],
         [replace(c, published=None, event_date=None) for c in claims])
    link_store(store)
    undated = store.get_trail(store.trail_of_claim("u-a2:1") or "")
    assert undated is not None
    _add(store, *_copy("y1-", 400, only={"a3"}))
    counting = _Counting(store)
    assert link_store(counting).new_claims == 1
    assert set(undated.claim_ids) <= counting.ids and "b1:1" not in counting.ids
