"""Fuzzing: whatever bytes or text come in, ingestion yields articles or InputErrors, never raises.

Each test keeps its examples moderate so that the suite stays fast; the prefixes steer the random
bytes past format detection into each reader's parser.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.ingest import IngestOptions, read_inputs
from claimgraph.ingest.html import read_html
from claimgraph.ingest.textdump import clean_dump
from claimgraph.models import Article
from claimgraph.settings import Settings

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = Settings(max_document_bytes=200_000)

# Text that looks like page dumps: headline-ish words, money, captions, dashes, blank lines.
DUMP_PIECES = st.sampled_from([
    "0 $", "2,500 $", "Share", "Photo: X", "REUTERS/Name", "Home » World", "By Jane Doe", "March 4, 2024",
    "Headline Of Some Story – Report", "HEADLINE OF SOME STORY - REPORT", "A sentence that ends.", "\n", "\n\n",
    "Do you like this content? Consider helping us!", "(DoD photo by X)", "—", "•", "\t", "\r\n", "\x00", "\u200b",
])
DUMPS = st.lists(st.one_of(DUMP_PIECES, st.text(max_size=40)), max_size=40).map(" ".join)


def _ingest(data: bytes, fmt: str = "auto", name: str = "input") -> list[Article | InputError]:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, name)
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            items = list(read_inputs([path], IngestOptions(fmt=fmt), SMALL))
        except ClaimgraphError:
            raise AssertionError("read_inputs raised instead of yielding an InputError") from None
    for item in items:
        assert isinstance(item, (Article, InputError))
        # read_inputs has a last-resort net for reader bugs; the readers themselves should not need it
        assert not (isinstance(item, InputError) and item.reason.startswith("could not be read (")), item
        if isinstance(item, Article):
            assert item.text.strip() and isinstance(item.title, str)
    return items


@FUZZ
@given(DUMPS)
def test_clean_dump_never_fails(text: str) -> None:
    d = clean_dump(text)
    assert all(isinstance(p, str) and p.strip() for p in d.paragraphs)
    assert "\n\n" not in "".join(d.paragraphs)


@FUZZ
@given(st.text(max_size=3000))
def test_clean_dump_arbitrary_text(text: str) -> None:
    clean_dump(text)


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from(["auto", "html", "text", "warc", "feed", "jsonl"]))
def test_every_reader_with_arbitrary_bytes(data: bytes, fmt: str) -> None:
    _ingest(data, fmt)


PREFIXES = [
    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n",
    b"filedesc://x.arc 0.0.0.0 20240101000000 text/plain 70\n",
    b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>',
    b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">',
    b"<!DOCTYPE html><html><head><title>",
    b'{"text": ',
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
    b"\xff\xfe",
]


@FUZZ
@given(st.sampled_from(PREFIXES), st.binary(max_size=3000))
def test_readers_past_format_detection(prefix: bytes, data: bytes) -> None:
    _ingest(prefix + data)


@FUZZ
@given(st.text(max_size=2000), st.sampled_from(["utf-8", "utf-16", "cp1251", "latin-1"]))
def test_text_in_any_encoding(text: str, encoding: str) -> None:
    _ingest(text.encode(encoding, errors="replace"), name="page.txt")


@FUZZ
@given(st.text(max_size=2000))
def test_read_html_arbitrary_markup(text: str) -> None:
    html = f"<html><body><article><h1>{text[:50]}</h1><p>{text}</p><figure><figcaption>{text[:30]}</figcaption></figure></article></body></html>"
    item = read_html(html.encode("utf-8", errors="replace"), "fuzz", IngestOptions())
    assert isinstance(item, (Article, InputError))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
RECORDS = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries({"text": st.text(max_size=300)},
                          optional={k: JSON_VALUES for k in ("title", "url", "outlet", "published", "id")}),
)


@FUZZ
@given(st.lists(RECORDS, max_size=6))
def test_jsonl_arbitrary_records(records: list[object]) -> None:
    data = "\n".join(json.dumps(r) for r in records).encode("utf-8")
    _ingest(data, "jsonl")
    _ingest(gzip.compress(data), "auto", name="records.jsonl.gz")
