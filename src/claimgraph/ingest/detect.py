"""Finding the inputs, opening them (gzip, stdin), telling their format and decoding their text.

Every check here turns a bad file into one :class:`~claimgraph.errors.InputError` that names the
file, says what is wrong and what to do, so that the other files of a run still get read.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..errors import InputError, TooLargeError

__all__ = [
    "FORMATS", "decode_text", "expand_paths", "is_binary", "open_stream", "read_all", "sniff_format",
]

FORMATS = ("html", "text", "warc", "feed", "jsonl")
# Formats that hold many documents and are read as a stream, record by record: their size limit
# applies to each record, not to the file (a crawl's WARC file is rightly many gigabytes).
STREAMED = ("warc", "jsonl")
SNIFF_BYTES = 64 * 1024
STDIN_IN_MEMORY = 32 * 1024 * 1024  # stdin beyond this is spooled to a temporary file
GZIP_MAGIC = b"\x1f\x8b"

_EXT = {
    ".warc": "warc", ".arc": "warc", ".jsonl": "jsonl", ".ndjson": "jsonl", ".rss": "feed",
    ".atom": "feed", ".json": "jsonl", ".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text",
}
_SKIP_NAMES = re.compile(r"^(?:\.|~|#)|(?:~|\.swp|\.tmp|\.part)$")


def expand_paths(paths: list[str] | tuple[str, ...], recursive: bool) -> Iterator[str | InputError]:
    """Files named by ``paths`` in a stable order: files as given, a folder's files sorted (its
    sub-folders only when ``recursive``); "-" passes through for stdin.

    Only regular files come out: opening a FIFO or a device would block or never end. A folder
    reached twice through symbolic links is read once, so a link loop cannot repeat the run."""
    seen: set[tuple[int, int]] = set()
    for path in paths:
        if path == "-":
            yield path
        elif os.path.isdir(path):
            found = False
            for item in _walk(path, recursive, seen):
                found = True
                yield item
            if not found:
                hint = "put article files in it" + ("" if recursive else ", or add --recursive for its sub-folders")
                yield InputError(path, "a folder with no files to read", hint)
        elif os.path.isfile(path):
            yield path
        elif os.path.exists(path):
            yield _not_regular(path)
        else:
            yield InputError(path, "no such file or folder", "check the path")


def _not_regular(path: str) -> InputError:
    return InputError(path, "not a regular file (a pipe, socket or device)",
                      "copy its content to a file, or pipe it in as '-'")


def _walk(folder: str, recursive: bool, seen: set[tuple[int, int]]) -> Iterator[str | InputError]:
    try:
        info = os.stat(folder)
    except OSError as exc:
        yield InputError(folder, f"cannot open the folder ({exc.strerror or exc})", "check the path and its links")
        return
    if (info.st_dev, info.st_ino) in seen:
        yield InputError(folder, "a link to a folder that is already being read (a link loop or a second path)",
                         "nothing to do: its files are read once; remove the link to silence this")
        return
    seen.add((info.st_dev, info.st_ino))
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        yield InputError(folder, f"cannot list the folder ({exc.strerror or exc})", "check its permissions")
        return
    for name in names:
        if _SKIP_NAMES.search(name):
            continue  # hidden files, editor backups and partial downloads are not articles
        full = os.path.join(folder, name)
        if os.path.isdir(full):
            if recursive:
                yield from _walk(full, recursive, seen)
        elif os.path.isfile(full):
            yield full
        elif os.path.lexists(full) and not os.path.exists(full):
            yield InputError(full, "a broken symbolic link", "fix or remove the link")
        elif os.path.exists(full):
            yield _not_regular(full)


def format_from_name(name: str) -> str | None:
    low = name.lower()
    if low.endswith(".gz"):
        low = low[:-3]
    return _EXT.get(os.path.splitext(low)[1])


def open_stream(path: str, stdin: BinaryIO | None = None) -> io.BufferedReader:
    """A buffered binary stream of the file's content, transparently gunzipped; ``peek`` on it
    shows the first :data:`SNIFF_BYTES` for format detection without consuming them."""
    raw: Any
    if path == "-":
        import shutil
        import sys
        import tempfile

        # stdin cannot be rewound: copy it once, in memory while small, to a temporary file beyond
        # that, so a crawl piped in (a WARC of gigabytes) does not have to fit in memory.
        raw = tempfile.SpooledTemporaryFile(max_size=STDIN_IN_MEMORY)  # noqa: SIM115 - closed with the stream
        shutil.copyfileobj(stdin if stdin is not None else sys.stdin.buffer, raw, 1 << 20)
        raw.seek(0)
    else:
        raw = open(path, "rb", buffering=0)  # noqa: SIM115 - closed with the returned stream
    first = raw.read(2)
    raw.seek(0)
    source = SafeGzip(raw) if first == GZIP_MAGIC else raw
    return io.BufferedReader(source, buffer_size=SNIFF_BYTES)


class SafeGzip(io.RawIOBase):
    """A gunzipping stream (all members of a multi-member file, as WARC files are) that turns a
    truncated or corrupt archive into a flag instead of an exception, after handing out every byte
    it could decompress: the records before a cut are still read. :attr:`problem` says what broke.

    ``gzip.GzipFile`` is not used because it raises on truncation and loses the bytes it had
    decompressed in that read call.
    """

    CHUNK = 64 * 1024

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._pending = b""
        self._done = False
        self.problem: str | None = None

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        while not self._pending and not self._done:
            data = self._raw.read(self.CHUNK)
            if not data:
                self._done = True
                if not self._z.eof and (self._z.unconsumed_tail or self._started):
                    self.problem = "the gzip file is truncated (it ends before its end-of-stream marker)"
                return
            self._started = True
            while data:
                try:
                    out = self._z.decompress(data)
                except zlib.error as exc:
                    self.problem = f"the gzip data is corrupt ({exc})"
                    self._done = True
                    return
                self._pending += out
                if self._z.eof:
                    data = self._z.unused_data
                    self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    self._started = bool(data)
                    if data and not data.lstrip(b"\x00"):
                        data = b""  # zero padding after the last member, as tar and some tools write
                else:
                    data = b""

    _started = False

    def readinto(self, buf: Any) -> int:
        self._fill()
        n = min(len(buf), len(self._pending))
        buf[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


def stream_problem(stream: Any) -> str | None:
    """What went wrong while gunzipping ``stream`` (None when nothing did, or it is not gzip)."""
    return getattr(getattr(stream, "raw", stream), "problem", None)


def read_all(stream: Any, origin: str, limit: int) -> bytes | InputError:
    """The whole (gunzipped) content, refused beyond ``limit`` bytes."""
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        return InputError(origin, f"cannot read the file ({exc})", "check the file and its permissions")
    problem = stream_problem(stream)
    if problem:
        return InputError(origin, problem, "download or copy the file again")
    if len(data) > limit:
        return TooLargeError(
            origin, f"the document is over the size limit of {limit:,} bytes",
            "split it, or raise the max_document_bytes setting",
        )
    return data


def is_binary(head: bytes) -> bool:
    """True for data that is no text: NUL bytes (outside UTF-16) or many control characters."""
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    sample = head[:8192]
    # A stray NUL or two occurs in scraped pages; binary formats are full of them.
    if sample.count(0) > max(2, len(sample) // 200):
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) * 0.05


def sniff_format(head: bytes, name: str = "") -> str:
    """The format of a document from its first bytes, with its file name as a tie-breaker."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if start.startswith(b"WARC/") or start.startswith(b"filedesc://"):
        return "warc"
    low = start[:2048].lower()
    if low.startswith(b"{") or re.match(rb"\[\s*\{", low):
        return "jsonl"
    by_name = format_from_name(name)
    html_marks = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>", b"<article")
    if re.search(rb"<(?:rss|feed|rdf:rdf)[\s>]", low) and not low.startswith((b"<!doctype html", b"<html")):
        return "feed"
    if any(m in low for m in html_marks):
        return "html"
    if by_name and by_name != "warc":  # a WARC file that does not start like one is no WARC
        return by_name
    return "text"


def decode_text(data: bytes, origin: str) -> str | InputError:
    """Text of ``data``: UTF-8 when it is valid UTF-8, else the encoding charset_normalizer finds."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # A sample is enough to tell the encoding and keeps a multi-megabyte page cheap.
    best = from_bytes(data[:200_000]).best()
    if best is None or not best.encoding:
        return InputError(origin, "cannot tell the text encoding", "convert the file to UTF-8")
    try:
        return data.decode(best.encoding, errors="replace")
    except LookupError:
        return InputError(origin, f"unknown text encoding {best.encoding!r}", "convert the file to UTF-8")
