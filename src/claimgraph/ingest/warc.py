"""WARC and ARC crawl files: each HTML response becomes an article with its URI and fetch date.

Both formats are read with warcio, which decodes chunked and gzip-encoded payloads and converts ARC
records on the fly. (fastwarc is faster but needs a seekable stream and reports a cut file with a
Rust panic, which is no ordinary exception.) warcio sees an already gunzipped stream
(:class:`~.detect.SafeGzip`): crawl libraries stop silently at a truncated gzip member, whereas the
wrapper remembers it, so a cut-off download is reported once while every complete record before the
cut is still ingested. The extraction of each page costs far more than the record parsing.

Records that are no article (requests, metadata, warcinfo) are ignored; responses that are not HTML,
revisits, error statuses and truncated records are skipped and counted in :class:`~.IngestStats`.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from ..errors import InputError, TooLargeError
from ..models import Article
from .detect import stream_problem
from .html import read_html

if TYPE_CHECKING:
    from ..settings import Settings
    from . import IngestOptions, IngestStats

__all__ = ["read_warc"]

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(
    stream: IO[bytes], origin: str, options: IngestOptions, settings: Settings, stats: IngestStats,
) -> Iterator[Article | InputError]:
    records = _records(stream)
    n = 0
    try:
        for n, rec in enumerate(records, start=1):
            where = f"{origin}#record-{n}"
            kind, uri, date, ctype, status, body, truncated = rec
            if kind not in ("response", "resource", "revisit"):
                stats.ignore(kind or "unknown")
                continue
            if kind == "revisit":
                stats.skip("revisit")
                continue
            if truncated:
                stats.skip("truncated")
                continue
            if status is not None and not 200 <= status < 300:
                stats.skip(f"http_{status}")
                continue
            if not any(t in ctype.lower() for t in HTML_TYPES):
                stats.skip("non_html_response")
                continue
            if len(body) > settings.max_document_bytes:
                yield TooLargeError(where, f"the record is over the size limit of {settings.max_document_bytes:,} bytes",
                                    "raise the max_document_bytes setting to read it")
                continue
            yield read_html(_decoded(body, ctype), f"{where} ({uri})" if uri else where, options, settings,
                            url=uri or None, fetched=date or None, fmt="warc")
    except Exception as exc:  # the crawl readers raise many kinds; a broken file must not stop the run
        yield InputError(f"{origin}#record-{n + 1}", f"the WARC file cannot be read further ({type(exc).__name__}: {exc})",
                         "the file is corrupt; records before this one were read")
        return
    problem = stream_problem(stream)
    if problem:
        yield InputError(origin, f"{problem}; {n} records were read before the cut",
                         "download or copy the file again to read the rest")
    elif n == 0:
        yield InputError(origin, "no WARC records found", "check that the file is a WARC or ARC file")


def _decoded(body: bytes, ctype: str) -> bytes | str:
    """The page as text when the HTTP header names a charset that decodes it (pages often omit the
    <meta charset> and rely on the header); the bytes otherwise, for trafilatura to sniff."""
    m = re.search(r"charset=[\"']?([\w.:-]+)", ctype, re.IGNORECASE)
    if not m:
        return body
    try:
        return body.decode(m.group(1))
    except (LookupError, UnicodeDecodeError):
        return body


Record = tuple[str, str, str, str, "int | None", bytes, bool]


def _records(stream: IO[bytes]) -> Iterator[Record]:
    from warcio.archiveiterator import ArchiveIterator

    for rec in ArchiveIterator(stream, arc2warc=True):
        kind = rec.rec_type or ""
        headers = rec.rec_headers
        uri = headers.get_header("WARC-Target-URI") or ""
        date = headers.get_header("WARC-Date") or ""
        if kind not in ("response", "resource"):
            yield kind, uri, date, "", None, b"", False
            continue
        http: Any = rec.http_headers
        try:
            body = rec.content_stream().read()
            broken = False
        except (OSError, EOFError, ValueError, zlib.error):
            body, broken = b"", True  # a payload whose Content-Encoding does not decode
        # warcio ends a record early, without an error, when the file is cut inside it: the bytes it
        # still expected are left on the record's limit reader.
        missing = getattr(rec.raw_stream, "limit", 0) or 0
        truncated = broken or missing > 0 or bool(headers.get_header("WARC-Truncated"))
        ctype = (http.get_header("Content-Type") if http else headers.get_header("Content-Type")) or ""
        status = None
        if http and kind == "response":
            try:
                status = int(http.get_statuscode())
            except (TypeError, ValueError):
                status = None
        yield kind, uri, date, ctype, status, body, truncated
