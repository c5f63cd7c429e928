"""The bundled examples read as examples/expected.json says: metadata, captions, removed lines, reprints."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimgraph.ingest import IngestOptions, read_inputs
from claimgraph.ingest.dedup import Deduper
from claimgraph.models import Article
from claimgraph.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED = EXAMPLES / "expected.json"

pytestmark = pytest.mark.skipif(not EXPECTED.exists(), reason="examples/expected.json is absent")

FIELDS = ("url", "outlet", "outlet_name", "published", "language", "title", "captions")


def expected_articles() -> list[dict[str, Any]]:
    if not EXPECTED.exists():
        return []
    return list(json.loads(EXPECTED.read_text(encoding="utf-8"))["articles"])


def read_expected(entry: dict[str, Any]) -> Article:
    options = IngestOptions(**(entry.get("ingest_options") or {}))
    items = [a for a in read_inputs([str(EXAMPLES / entry["file"])], options, Settings()) if isinstance(a, Article)]
    record = entry.get("record")
    if record:
        items = [a for a in items if record in (a.url, a.id) or record in a.origin]
    assert len(items) == 1, f"{entry['key']}: {len(items)} articles match"
    return items[0]


@pytest.mark.parametrize("entry", expected_articles(), ids=lambda e: e["key"])
def test_example_article_metadata(entry: dict[str, Any]) -> None:
    article = read_expected(entry)
    for name in FIELDS:
        want = entry.get(name)
        if want is None or (name == "outlet_name" and entry["format"] == "jsonl"):
            continue  # JSON Lines records carry no outlet name
        got = list(getattr(article, name)) if name == "captions" else getattr(article, name)
        assert got == want, f"{entry['key']}.{name}"
    for line in entry.get("removed_includes") or []:
        assert any(line in removed for removed in article.removed), f"{entry['key']}: {line!r} not removed"


class _Store:
    """In memory, with the optional ``mark_reprint`` that lets the Deduper fix a pair's direction."""

    def __init__(self) -> None:
        self.rows: dict[str, Article] = {}

    def has_article(self, article_id: str) -> bool:
        return article_id in self.rows

    def get_article(self, article_id: str) -> Article | None:
        return self.rows.get(article_id)

    def iter_minhashes(self) -> Iterator[tuple[str, str | None, bytes]]:
        return iter(())

    def mark_reprint(self, article_id: str, original_id: str) -> None:
        self.rows[article_id] = dataclasses.replace(self.rows[article_id], reprint_of=original_id)


def test_example_reprints_point_at_the_earlier_original() -> None:
    store = _Store()
    deduper = Deduper(store, Settings())  # type: ignore[arg-type]
    for item in read_inputs([str(EXAMPLES / "corpus")], IngestOptions(), Settings()):
        if isinstance(item, Article):
            _, article, _ = deduper.check(item)
            store.rows[article.id] = article
    deduper.flush_corrections()
    by_url = {a.url: a for a in store.rows.values()}
    keys = {e["key"]: e for e in expected_articles()}
    found = {}
    for entry in expected_articles():
        article = by_url.get(entry.get("url"))
        assert article is not None, entry["key"]
        original = store.rows[article.reprint_of].url if article.reprint_of else None
        found[entry["key"]] = original
        want = entry.get("reprint_of")
        assert original == (keys[want]["url"] if want else None), entry["key"]
    assert sum(1 for v in found.values() if v) == sum(1 for e in expected_articles() if e.get("reprint_of"))
