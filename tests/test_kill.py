"""A run killed with SIGKILL loses at most the batch in flight; a re-run completes it, no duplicates.

The writer is a real subprocess writing to a real file; it is killed with SIGKILL (no clean-up can
run) while it is still looping over ``add_articles`` batches.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

BATCH = 25
BATCHES = 400

# The child writes BATCHES batches of fictional articles with deterministic ids (a re-run produces the
# same articles, as re-ingesting the same files does) and reports each committed batch on stdout.
WRITER = textwrap.dedent(
    f"""
    import sys
    from claimgraph.models import Article
    from claimgraph.store.sqlite import SQLiteStore

    store = SQLiteStore(sys.argv[1])
    body = "Residents of Karvel said the ferry stopped running. " * 80
    for b in range({BATCHES}):
        batch = [
            Article(id=f"k{{b:04d}}-{{i:02d}}", title=f"Ferry halted, day {{b}} item {{i}}",
                    text=body + str(b * 100 + i), outlet="karvel-post.test", published="2025-04-01")
            for i in range({BATCH})
        ]
        new = store.add_articles(batch, {{a.id: bytes([b % 256, i]) * 8 for i, a in enumerate(batch)}})
        print(b, new, flush=True)
    store.close()
    print("done", flush=True)
    """
)


def _run_writer(db: Path, kill_after: int | None) -> tuple[int, list[str]]:
    """Run the writer; with ``kill_after``, SIGKILL it once that many batches are reported."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env,
    )
    lines: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 300
    for line in proc.stdout:
        lines.append(line.strip())
        if kill_after is not None and len(lines) >= kill_after:
            # The child is already inside its next add_articles (nothing else is in the loop).
            proc.send_signal(signal.SIGKILL)
            # The child may have run ahead of the reader: batches it reported before dying are
            # still in the pipe, and they count as committed too.
            lines.extend(rest.strip() for rest in proc.stdout if rest.strip())
            break
        assert time.monotonic() < deadline, "writer too slow"
    proc.wait(timeout=60)
    if kill_after is None:
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    return proc.returncode, lines


def _check_db(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # The full-text index must agree with the table it indexes (FTS5's own consistency check).
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        total, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
        docs = conn.execute("SELECT count(*) FROM article_docs").fetchone()[0]
        signed = conn.execute("SELECT count(*) FROM article_minhashes").fetchone()[0]
        assert docs == signed == total  # an article is never stored without its text or signature
        return total, distinct
    finally:
        conn.close()


@pytest.mark.timeout(600)
@pytest.mark.parametrize("kill_after", [1, 7])
def test_sigkill_mid_run_then_rerun(tmp_path: Path, kill_after: int) -> None:
    db = tmp_path / "killed.db"
    code, lines = _run_writer(db, kill_after=kill_after)
    assert code == -signal.SIGKILL
    assert "done" not in lines
    reported = len(lines)

    total, distinct = _check_db(db)
    assert total == distinct
    # Atomic batches: whole batches only, every reported one kept, at most the one in flight extra.
    assert total % BATCH == 0
    assert reported * BATCH <= total <= (reported + 1) * BATCH
    assert total < BATCHES * BATCH  # the kill really happened mid-run

    code, lines = _run_writer(db, kill_after=None)
    assert lines[-1] == "done"
    new = sum(int(line.split()[1]) for line in lines[:-1])
    total2, distinct2 = _check_db(db)
    assert total2 == distinct2 == BATCHES * BATCH
    assert new == BATCHES * BATCH - total  # the re-run stored exactly what was missing

    from claimgraph.store import ArticleFilter
    from claimgraph.store.sqlite import SQLiteStore

    with SQLiteStore(db) as store:
        assert store.count_articles() == BATCHES * BATCH
        assert store.count_articles(ArticleFilter(search="ferry karvel")) == BATCHES * BATCH
        assert sum(1 for _ in store.iter_minhashes()) == BATCHES * BATCH


def _jsonl(path: Path, n: int) -> None:
    import json
    import random

    rnd = random.Random(7)
    vocab = ("ferry harbour council mayor storm bridge convoy market clinic school river minister "
             "police strike grain price border drill flood vote court").split()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = " ".join(rnd.choice(vocab) for _ in range(120)) + f" item {i}."
            fh.write(json.dumps({"id": f"j{i}", "title": f"Karvel bulletin {i}", "text": text,
                                 "outlet": "karvel-post.test", "published": "2025-04-02"}) + "\n")


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # the schema is still being created


@pytest.mark.slow  # ~20 s: ingests 1,500 articles twice
@pytest.mark.timeout(600)
def test_sigkill_of_the_ingest_command_then_rerun(tmp_path: Path) -> None:
    """The same guarantee end to end: ``claimgraph ingest`` killed mid-run, then run again."""
    n = 1500
    src = tmp_path / "wire.jsonl"
    _jsonl(src, n)
    db = tmp_path / "ingest.db"
    cmd = [sys.executable, "-m", "claimgraph", "ingest", str(src), "--db", str(db), "--format", "jsonl",
           "--no-attribute", "--no-progress"]
    env = {**os.environ, "CLAIMGRAPH_BATCH_SIZE": "20"}
    env.pop("CLAIMGRAPH_DB", None)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    deadline = time.monotonic() + 300
    while _stored(db) < 100 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the ingest finished before it could be killed (machine too fast for this size)")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    before, distinct = _check_db(db)
    assert before == distinct and 100 <= before < n

    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    after, distinct = _check_db(db)
    assert after == distinct == n
    assert f"{n - before} stored" in done.stdout + done.stderr
