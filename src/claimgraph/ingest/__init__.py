"""Ingestion: files, folders, .gz, stdin, WARC/ARC, RSS/Atom, JSON Lines, HTML and text dumps in;
clean :class:`~claimgraph.models.Article` records out.

    read_inputs(paths, options, settings)  -> Article | InputError, one per document or bad input
    count_inputs(paths, options)            -> a cheap estimate of that count (progress bars)
    Deduper(store, settings).check(article) -> ("new" | "duplicate" | "reprint", article, minhash)

Readers are plain functions (:mod:`.html`, :mod:`.textdump`, :mod:`.warc`, :mod:`.feed`,
:mod:`.jsonl`); this module only finds the inputs, tells their format and hands each to its reader.
Bad input is never raised: it is yielded as one :class:`~claimgraph.errors.InputError` naming the
file or record, and the run goes on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, TooLargeError
from ..models import Article
from ..settings import Settings
from .article import article_id
from .detect import (
    SNIFF_BYTES,
    STREAMED,
    decode_text,
    expand_paths,
    format_from_name,
    is_binary,
    open_stream,
    read_all,
    sniff_format,
    stream_problem,
)

__all__ = ["IngestOptions", "IngestStats", "article_id", "count_inputs", "read_inputs", "read_text"]

FORMAT_CHOICES = ("auto", "html", "text", "warc", "feed", "jsonl")


@dataclass(frozen=True)
class IngestOptions:
    """What the user says about the inputs; the page's own metadata wins where it has some."""

    fmt: str = "auto"  # auto|html|text|warc|feed|jsonl
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    recursive: bool = False


@dataclass
class IngestStats:
    """Counts of one :func:`read_inputs` run, filled while its iterator is consumed."""

    files: int = 0
    articles: int = 0
    failed: int = 0
    skipped: int = 0  # on purpose: non-HTML WARC responses, revisits, truncated records, error pages
    ignored: int = 0  # WARC records that are no document at all (requests, metadata, warcinfo)
    reasons: dict[str, int] = field(default_factory=dict)  # why records were skipped
    ignored_kinds: dict[str, int] = field(default_factory=dict)  # WARC record type -> count

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def ignore(self, kind: str) -> None:
        self.ignored += 1
        self.ignored_kinds[kind] = self.ignored_kinds.get(kind, 0) + 1


def read_text(text: str, origin: str, options: IngestOptions) -> Article | InputError:
    """One article from a plain-text page dump (see :mod:`.textdump`)."""
    from .article import make_article
    from .textdump import clean_dump

    dump = clean_dump(text)
    return make_article(
        outlet_name=_dump_outlet_name(dump, options),
        origin=origin, fmt="text", options=options, title=dump.title, paragraphs=dump.paragraphs,
        captions=dump.captions, removed=dump.removed, authors=dump.authors, published=dump.published,
        url=dump.url,
    )


_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*([^.|]+)", re.IGNORECASE)


def _dump_outlet_name(dump: Any, options: IngestOptions) -> str | None:
    """A dump names its site in a banner or copyright line; take one that matches the outlet's domain."""
    from .article import names_outlet, registered_domain

    domain = registered_domain(dump.url) or registered_domain(options.outlet) or registered_domain(options.url)
    if not domain:
        return None
    # The copyright line names the owner; a banner line (a few words, no label or link) the site.
    for line in dump.removed:
        m = _COPYRIGHT.search(line)
        if m and len(m.group(1).split()) <= 6 and names_outlet(m.group(1).strip(), domain):
            return m.group(1).strip()
    for line in dump.removed:
        if len(line.split()) <= 5 and not re.search(r"[:|/@]", line) and names_outlet(line, domain):
            return str(line)
    return None


def read_inputs(
    paths: Sequence[str],
    options: IngestOptions,
    settings: Settings,
    stats: IngestStats | None = None,
) -> Iterator[Article | InputError]:
    """One Article per document or record, one InputError per bad file or record; never raises for
    bad input. Pass ``stats`` to read the counts (skipped WARC records, ...) after the run."""
    stats = stats if stats is not None else IngestStats()
    return _counted(_read_all(list(paths), options, settings, stats), stats)


def _counted(items: Iterator[Article | InputError], stats: IngestStats) -> Iterator[Article | InputError]:
    for item in items:
        if isinstance(item, InputError):
            stats.failed += 1
        else:
            stats.articles += 1
        yield item


def _read_all(paths: list[str], options: IngestOptions, settings: Settings,
              stats: IngestStats) -> Iterator[Article | InputError]:
    if options.fmt not in FORMAT_CHOICES:
        yield InputError("--format", f"unknown format {options.fmt!r}", f"use one of {', '.join(FORMAT_CHOICES)}")
        return
    for path in expand_paths(paths, options.recursive):
        if isinstance(path, InputError):
            yield path
            continue
        stats.files += 1
        try:
            yield from _read_file(path, options, settings, stats)
        except Exception as exc:  # a reader bug on one odd file must not lose the rest of the run
            yield InputError(path, f"could not be read ({type(exc).__name__}: {exc})",
                             "check the file; if it looks fine, please report this as a bug")


def _read_file(path: str, options: IngestOptions, settings: Settings,
               stats: IngestStats) -> Iterator[Article | InputError]:
    origin = path
    limit = settings.max_document_bytes
    try:
        stream = open_stream(path)
    except OSError as exc:
        yield InputError(origin, f"cannot open the file ({exc.strerror or exc})",
                         "check that it exists and is readable")
        return
    with stream:
        try:
            head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        except OSError as exc:
            yield InputError(origin, f"cannot read the file ({exc.strerror or exc})", "check the file")
            return
        if not head.strip():
            problem = stream_problem(stream)
            if problem:
                yield InputError(origin, problem, "download or copy the file again")
            else:
                reason = "the file is empty" if not head else "the file holds only blank space"
                yield InputError(origin, reason, "give a news article: HTML, text, WARC, RSS/Atom or JSON Lines")
            return
        fmt = options.fmt if options.fmt != "auto" else sniff_format(head, path)
        if fmt != "warc" and is_binary(head):
            yield InputError(origin, "a binary file, not text",
                             "give a news article: HTML, text, WARC, RSS/Atom or JSON Lines")
            return
        if fmt == "warc" and sniff_format(head) != "warc":
            # warcio would read any text as one malformed ARC record and skip it quietly.
            yield InputError(origin, "not a WARC or ARC file (it does not start with 'WARC/' or 'filedesc://')",
                             "check the file, or leave out --format warc to have the format detected")
            return
        if fmt == "warc":
            from .warc import read_warc

            yield from read_warc(stream, origin, options, settings, stats)
            return
        if fmt == "jsonl":
            from .jsonl import read_jsonl

            yield from read_jsonl(stream, origin, options, settings)
            return
        if path != "-" and fmt not in STREAMED and stream_problem(stream) is None:
            size = _size(path)
            if size is not None and size > limit:
                yield TooLargeError(origin, f"the document is over the size limit of {limit:,} bytes",
                                    "split it, or raise the max_document_bytes setting")
                return
        data = read_all(stream, origin, limit)
    if isinstance(data, InputError):
        yield data
        return
    if fmt == "html":
        from .html import read_html

        yield read_html(data, origin, options, settings)
    elif fmt == "feed":
        from .feed import read_feed

        yield from read_feed(data, origin, options, settings)
    else:
        text = decode_text(data, origin)
        if isinstance(text, InputError):
            yield text
        else:
            yield read_text(text, origin, options)


def _size(path: str) -> int | None:
    try:
        return os.path.getsize(path)
    except OSError:
        return None


def count_inputs(paths: Sequence[str], options: IngestOptions) -> int | None:
    """How many documents the inputs hold, cheaply: files, or lines of a JSON Lines file; None when
    it cannot be known without reading everything (stdin, WARC files, feeds, gzipped JSON Lines)."""
    total = 0
    for path in expand_paths(list(paths), options.recursive):
        if isinstance(path, InputError):
            total += 1  # it will be one error line
            continue
        if path == "-":
            return None
        fmt = options.fmt if options.fmt != "auto" else (format_from_name(path) or "auto")
        if fmt in ("warc", "feed"):
            return None
        if fmt == "jsonl":
            if path.lower().endswith(".gz"):
                return None
            lines = _count_lines(path)
            if lines is None:
                return None
            total += lines
        else:
            total += 1
    return total


def _count_lines(path: str) -> int | None:
    try:
        n = 0
        last = b"\n"
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                n += chunk.count(b"\n")
                last = chunk[-1:]
        return n + (last != b"\n")
    except OSError:
        return None

