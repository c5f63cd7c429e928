"""The `claimgraph trail ID` timeline names a reprint's original by outlet and date, not by a bare id."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.link import link_store
from test_link import ARTICLES, CORPUS

sqlite = pytest.importorskip("claimgraph.store.sqlite", reason="the SQLite store is not written yet")


def test_reprint_row_names_the_original_outlet(tmp_path) -> None:
    db = str(tmp_path / "t.db")
    store = sqlite.SQLiteStore(db)
    try:
        store.add_articles(ARTICLES)
        for a in ARTICLES:
            store.replace_claims(a.id, [c for c in CORPUS if c.article_id == a.id], "attributed")
        link_store(store)
        cranes = store.trail_of_claim("a1:1")
        original = store.get_article("a1")
    finally:
        store.close()
    assert cranes is not None and original is not None
    result = CliRunner().invoke(cli, ["trail", cranes, "--db", db])
    assert result.exit_code == 0, result.output
    row = next(ln for ln in result.output.splitlines() if "reprint of" in ln)
    assert f"(reprint of {original.outlet} {original.published[:10]}, a1)" in row
