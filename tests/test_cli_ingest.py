"""The ingest command end to end on real files: bad inputs get one error line each, the rest is
stored, the exit code says something failed, and a second run stores nothing new."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from claimgraph.cli import cli

GOOD = """Harbour authority says dredging of Port Velmar will finish in March

The Port Velmar harbour authority said on Tuesday that the dredging of the main channel would be
finished in March, two months later than planned, because a second dredger arrived late.

"We would rather be late than cut corners on the depth survey," said Ilse Maren, the authority's
chief engineer, adding that ships of up to 12 metres draught would then be able to dock.
"""


def _write_inputs(folder: Path) -> None:
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "broken.gz").write_bytes(gzip.compress(GOOD.encode())[:40])
    rows = [{"text": "The mayor of Lindqvist said the ferry would run all winter.", "title": "Ferry",
             "outlet": "lindqvist-post.example", "published": "2024-01-03"},
            "not json at all {", {"title": "no text"}]
    (folder / "feed.jsonl").write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def test_bad_inputs_are_reported_and_the_rest_is_stored(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    _write_inputs(inputs)
    db = tmp_path / "t.db"
    runner = CliRunner()
    args = ["ingest", str(inputs), "--db", str(db), "--no-attribute", "--outlet", "velmar.example"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    named = {name for name in ("empty.txt", "binary.txt", "broken.gz", "feed.jsonl")
             if any(name in line for line in errors)}
    assert named == {"empty.txt", "binary.txt", "broken.gz", "feed.jsonl"}, errors
    assert "2 stored" in result.output
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == 2

    again = runner.invoke(cli, args)
    assert "0 stored, 2 duplicates" in again.output
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == 2


def test_articles_json_lists_the_promised_fields(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    ok = runner.invoke(cli, ["ingest", str(page), "--db", db, "--no-attribute", "--outlet", "velmar.example",
                             "--published", "2024-02-06"])
    assert ok.exit_code == 0, ok.output
    out = runner.invoke(cli, ["articles", "--db", db, "--json"])
    row = json.loads(out.output.splitlines()[0])
    for key in ("id", "url", "outlet", "title", "published", "language", "text", "captions", "removed",
                "reprint_of"):
        assert key in row
    assert row["outlet"] == "velmar.example" and row["published"] == "2024-02-06"
    assert row["title"].startswith("Harbour authority")
    assert row["language"] == "en"
    search = runner.invoke(cli, ["articles", "--db", db, "--json", "--search", "dredging"])
    assert len(search.output.splitlines()) == 1
    none = runner.invoke(cli, ["articles", "--db", db, "--json", "--search", "zeppelin"])
    assert none.output.strip() == ""


def test_stdin_is_an_input(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    result = CliRunner().invoke(cli, ["ingest", "-", "--db", db, "--no-attribute", "--outlet", "x.example"],
                                input=GOOD)
    assert result.exit_code == 0, result.output
    assert "1 stored" in result.output
