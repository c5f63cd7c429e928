"""Odd inputs through the real ``claimgraph ingest`` command: each gets one error line naming the file
(what is wrong, what to do), the exit code is 1, nothing is a traceback, and the good file of the same
run is still stored."""

from __future__ import annotations

import gzip
import json
import os
import random
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claimgraph.cli import cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs need a POSIX system")

GOOD = """Ferry to Lindqvist island resumes after storm

The Lindqvist ferry company said on Monday that its boats would sail again from Tuesday, after a
storm kept them in port for three days and left the island without fresh deliveries.

"The crews are ready and the pier has been checked," the company's harbour manager told the
Lindqvist Post, adding that extra crossings would run until the backlog was cleared.
"""


def _symlink_loop(folder: Path) -> str:
    loop = folder / "loop"
    loop.mkdir()
    (loop / "back").symlink_to("..", target_is_directory=True)
    return "loop"


def _fifo(folder: Path) -> str:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo(folder / "pipe.txt")
    return "pipe.txt"


def _folder_named_like_a_page(folder: Path) -> str:
    (folder / "x.html").mkdir()
    return "x.html"


def _random_gz(folder: Path) -> str:
    (folder / "noise.gz").write_bytes(random.Random(7).randbytes(4000))
    return "noise.gz"


def _empty_warc(folder: Path) -> str:
    (folder / "crawl.warc.gz").write_bytes(b"")
    return "crawl.warc.gz"


def _div_soup(folder: Path) -> str:
    (folder / "soup.html").write_text("<div>" * 2_000_000, encoding="ascii")  # 10 MB, under the limit
    return "soup.html"


def _array_line(folder: Path) -> str:
    (folder / "rows.jsonl").write_text(json.dumps([1, 2, 3]) + "\n", encoding="utf-8")
    return "rows.jsonl"


def _boilerplate_dump(folder: Path) -> str:
    lines = ["Subscribe to our newsletter", "Share this article", "Follow us on Twitter",
             "Do you like this content? Consider helping us!", "0 $", "2,500 $", "5,000 $"]
    (folder / "chrome.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "chrome.txt"


CASES: dict[str, Callable[[Path], str]] = {
    "symlink loop": _symlink_loop,
    "fifo": _fifo,
    "folder named x.html": _folder_named_like_a_page,
    "gz of random bytes": _random_gz,
    "0-byte warc.gz": _empty_warc,
    "10 MB of <div>": _div_soup,
    "JSONL line that is an array": _array_line,
    "only boilerplate": _boilerplate_dump,
}


def _ingest(args: list[str]) -> Result:
    return CliRunner().invoke(cli, ["ingest", *args, "--no-attribute", "--no-progress"])


def _stored(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("select count(*) from articles").fetchone()[0])


def _errors(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lower().startswith("error")]


def _assert_one_clean_error(result: Result, name: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = _errors(result.output)
    assert len(errors) == 1, errors
    assert name in errors[0], errors
    assert " — " in errors[0] or "; " in errors[0], f"no advice in {errors[0]!r}"


@pytest.mark.parametrize("case", list(CASES))
def test_odd_input_gets_one_error_line_and_the_run_goes_on(tmp_path: Path, case: str) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    name = CASES[case](inputs)
    (inputs / "good.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "t.db"
    # The bad input named on the command line, next to a good file ...
    result = _ingest([str(inputs / name), str(inputs / "good.txt"), "--db", str(db), "--outlet", "post.example"])
    _assert_one_clean_error(result, name)
    assert "1 stored" in result.output and _stored(db) == 1
    # ... and found inside a folder walked recursively.
    again = _ingest([str(inputs), "--recursive", "--db", str(tmp_path / "walk.db"), "--outlet", "post.example"])
    if case == "folder named x.html":  # an empty sub-folder of a walked folder is simply nothing
        assert again.exit_code == 0, again.output
    else:
        _assert_one_clean_error(again, name)
    assert "1 stored" in again.output


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    (inputs / "a").mkdir(parents=True)
    (inputs / "a" / "good.txt").write_text(GOOD, encoding="utf-8")
    (inputs / "a" / "up").symlink_to("..", target_is_directory=True)
    result = _ingest([str(inputs), "-r", "--db", str(tmp_path / "t.db"), "--outlet", "post.example"])
    assert "1 stored, 0 duplicates" in result.output, result.output


def test_feed_entry_without_link_or_date_is_stored(tmp_path: Path) -> None:
    feed = tmp_path / "wire.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Lindqvist Wire</title>'
        "<link>https://lindqvist-wire.example</link><item><title>Ferry back</title>"
        f"<description>{GOOD.split(chr(10) * 2)[1]}</description></item></channel></rss>",
        encoding="utf-8")
    db = tmp_path / "t.db"
    result = _ingest([str(feed), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _stored(db) == 1


def test_published_that_is_no_date_is_refused_once(tmp_path: Path) -> None:
    pages = []
    for i in range(3):
        page = tmp_path / f"p{i}.txt"
        page.write_text(GOOD.replace("Monday", f"Monday {i}"), encoding="utf-8")
        pages.append(str(page))
    result = _ingest([*pages, "--db", str(tmp_path / "t.db"), "--published", "next tuesday-ish"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = _errors(result.output)
    assert len(errors) == 1 and "--published" in errors[0] and "YYYY-MM-DD" in errors[0], errors


@pytest.mark.parametrize("make_db", ["missing folder", "not a database", "a folder"])
def test_bad_db_path_is_one_error_line(tmp_path: Path, make_db: str) -> None:
    page = tmp_path / "good.txt"
    page.write_text(GOOD, encoding="utf-8")
    if make_db == "missing folder":
        db = tmp_path / "nowhere" / "t.db"
    elif make_db == "not a database":
        db = tmp_path / "t.db"
        db.write_bytes(random.Random(3).randbytes(4096))
    else:
        db = tmp_path / "folder.db"
        db.mkdir()
    for args in (["ingest", str(page), "--no-attribute"], ["articles"], ["claims"],
                 ["export", "--format", "json"]):
        result = CliRunner().invoke(cli, [*args, "--db", str(db)])
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exc_info)
        errors = _errors(result.output)
        assert len(errors) == 1 and str(db) in errors[0] and "--db" in errors[0], (args, errors)


def test_gzip_of_text_still_reads(tmp_path: Path) -> None:
    # The guard against odd files must not refuse ordinary compressed input.
    path = tmp_path / "page.txt.gz"
    path.write_bytes(gzip.compress(GOOD.encode("utf-8")))
    db = tmp_path / "t.db"
    result = _ingest([str(path), "--db", str(db), "--outlet", "post.example"])
    assert result.exit_code == 0, result.output
    assert _stored(db) == 1



def _db_with_one_article(tmp_path: Path) -> Path:
    page = tmp_path / "good.txt"
    page.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "t.db"
    assert _ingest([str(page), "--db", str(db), "--outlet", "post.example"]).exit_code == 0
    return db


def test_export_into_a_missing_folder_is_one_error_line(tmp_path: Path) -> None:
    db = _db_with_one_article(tmp_path)
    out = tmp_path / "nowhere" / "articles.csv"
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "--table", "articles", "--db", str(db),
                                      "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    errors = _errors(result.output)
    assert len(errors) == 1 and str(out) in errors[0] and "exists" in errors[0], errors


def test_export_file_is_an_ordinary_file_and_no_temporary_is_left(tmp_path: Path) -> None:
    db = _db_with_one_article(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "articles.csv"
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "--table", "articles", "--db", str(db),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in folder.iterdir()] == ["articles.csv"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not the 0600 of a temporary file


@pytest.mark.parametrize("kind", ["folder", "not utf-8", "missing"])
def test_sources_check_of_an_unreadable_file_is_one_error_line(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "mine.toml"
    if kind == "folder":
        path.mkdir()
    elif kind == "not utf-8":
        path.write_bytes(b'[[source]]\nid = "caf\xe9"\n')
    for args in (["sources", "--check", str(path)], ["sources", "--registry", str(path), "sana"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        errors = _errors(result.output)
        assert len(errors) == 1 and str(path) in errors[0], (args, errors)
        assert {"folder": "folder", "not utf-8": "UTF-8", "missing": "check the path"}[kind] in errors[0]


@pytest.mark.parametrize(("env", "expect"), [
    ({"CLAIMGRAPH_BATCH_SIZE": "0"}, "batch_size"),
    ({"CLAIMGRAPH_BATCH_SIZE": "lots"}, "batch_size"),
    ({"CLAIMGRAPH_PORT": "99999"}, "port"),
    ({"CLAIMGRAPH_CONFIG": "{folder}/binary.toml"}, "binary.toml"),
    ({"CLAIMGRAPH_CONFIG": "{folder}/broken.toml"}, "broken.toml"),
])
def test_bad_setting_is_one_error_line(tmp_path: Path, env: dict[str, str], expect: str) -> None:
    (tmp_path / "binary.toml").write_bytes(b"db = \"caf\xe9.db\"\n")
    (tmp_path / "broken.toml").write_text("[settings\n", encoding="utf-8")
    env = {k: v.format(folder=tmp_path) for k, v in env.items()}
    result = CliRunner(env=env).invoke(cli, ["articles", "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    errors = _errors(result.output)
    assert len(errors) == 1 and expect in errors[0], errors


def test_unknown_config_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    config = tmp_path / "claimgraph.toml"
    config.write_text("batch_siz = 5\n", encoding="utf-8")
    result = CliRunner(env={"CLAIMGRAPH_CONFIG": str(config)}).invoke(
        cli, ["articles", "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 0, result.output
    assert "'batch_siz' (did you mean 'batch_size'?)" in result.output


@pytest.mark.parametrize("command", ["articles", "claims", "sources"])
def test_negative_limit_is_refused(tmp_path: Path, command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--limit", "-1", "--db", str(tmp_path / "t.db")]
                                if command != "sources" else [command, "--limit", "-1"])
    assert result.exit_code == 2 and "--limit" in result.output and "Traceback" not in result.output


def test_database_damaged_under_a_listing_is_one_error_line(tmp_path: Path) -> None:
    db = _db_with_one_article(tmp_path)
    with sqlite3.connect(db) as con:
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'article_docs'").fetchone()[0]
        page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with open(db, "r+b") as fh:  # the schema still opens; reading the article bodies fails
        fh.seek((root - 1) * page)
        fh.write(b"\xff" * page)
    for args in (["articles"], ["articles", "--json"], ["export", "--format", "json"]):
        result = CliRunner().invoke(cli, [*args, "--db", str(db)])
        assert result.exit_code == 1, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exc_info)
        # stderr alone: the JSON written to stdout before the failure would share the line.
        errors = _errors(result.stderr)
        assert len(errors) == 1 and "integrity_check" in errors[0], (args, errors)


def test_upload_errors_name_the_uploaded_file_not_a_temporary_path(tmp_path: Path) -> None:
    from claimgraph.ingest import IngestOptions
    from claimgraph.pipeline import ingest_documents
    from claimgraph.settings import load_settings
    from claimgraph.store import open_store

    settings = load_settings(db=str(tmp_path / "t.db"), attribute=False)
    store = open_store(settings)
    try:
        summary, errors = ingest_documents(
            [("good.txt", GOOD.encode()), ("noise.bin", bytes(range(256)) * 4)], IngestOptions(), settings, store)
    finally:
        store.close()
    assert summary.ingest.stored == 1 and summary.ingest.failed == 1
    assert len(errors) == 1 and errors[0].startswith("noise.bin: a binary file"), errors


def test_text_forced_as_warc_is_an_error_not_a_quiet_skip(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    result = _ingest([str(page), "--format", "warc", "--db", str(tmp_path / "t.db")])
    _assert_one_clean_error(result, "page.txt")
    assert "WARC" in result.output and "skipped" not in result.output


def test_serve_on_a_taken_port_is_one_error_line(tmp_path: Path) -> None:
    import socket

    db = _db_with_one_article(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", str(port)])
    assert result.exit_code == 1, result.output
    errors = _errors(result.output)
    assert len(errors) == 1 and f"127.0.0.1:{port}" in errors[0] and "--port" in errors[0], errors
    assert "open http" not in result.output  # no invitation to a server that never started


@pytest.mark.parametrize("case", ["missing input", "latin-1 input", "output folder missing"])
def test_attributions_refuses_bad_files_before_loading_the_model(tmp_path: Path, case: str) -> None:
    good = tmp_path / "in.jsonl"
    good.write_text(json.dumps({"id": "a", "text": "The mayor said the ferry would run."}) + "\n", encoding="utf-8")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"id": "a", "text": "caf\xe9 owners said so"}\n')
    in_path, out_path = {
        "missing input": (tmp_path / "none.jsonl", tmp_path / "out.jsonl"),
        "latin-1 input": (latin, tmp_path / "out.jsonl"),
        "output folder missing": (good, tmp_path / "nowhere" / "out.jsonl"),
    }[case]
    result = CliRunner().invoke(cli, ["attributions", "--input", str(in_path), "--output", str(out_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    errors = _errors(result.output)
    assert len(errors) == 1 and ("UTF-8" in errors[0] or "check the path" in errors[0]
                                 or "does not exist" in errors[0]), errors


def test_stdin_beyond_the_memory_threshold_is_spooled_and_read(tmp_path: Path, monkeypatch) -> None:
    import claimgraph.ingest.detect as detect

    monkeypatch.setattr(detect, "STDIN_IN_MEMORY", 64)  # the page is larger: it goes to a temporary file
    db = tmp_path / "t.db"
    result = CliRunner().invoke(cli, ["ingest", "-", "--db", str(db), "--no-attribute", "--outlet", "post.example"],
                                input=GOOD.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert _stored(db) == 1
