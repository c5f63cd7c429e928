"""link_store and the trails commands on a real temporary SQLite store."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.link import link_store
from claimgraph.settings import Settings
from test_link import ARTICLES, CORPUS

sqlite = pytest.importorskip("claimgraph.store.sqlite", reason="the SQLite store is not written yet")


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
