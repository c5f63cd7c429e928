"""JSON Lines: one article per line, ``{"text": ...}`` required, ``title``, ``url``, ``outlet``,
``published`` and ``id`` optional. A bad line is one error naming the line; the others are read.

The file is read line by line, so a corpus of any size streams through in constant memory; the
size limit applies to each line (each article).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from ..errors import InputError, TooLargeError
from ..models import Article
from .article import make_article

if TYPE_CHECKING:
    from ..settings import Settings
    from . import IngestOptions

__all__ = ["read_jsonl", "record_article"]

OPTIONAL = ("title", "url", "outlet", "published", "id")


def text_paragraphs(text: str) -> list[str]:
    """Paragraphs of a record's text: blank-line separated, or one per line when it has no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [" ".join(b.split()) for b in blocks if b.strip()]


# Users read JSON, not Python: name a value by its JSON type in the error line.
_JSON_TYPES = {list: "list", str: "string", int: "number", float: "number", bool: "true/false", type(None): "null"}


def record_article(record: Any, where: str, options: IngestOptions) -> Article | InputError:
    if not isinstance(record, dict):
        kind = _JSON_TYPES.get(type(record), type(record).__name__)
        return InputError(where, f"a JSON {kind} instead of an object",
                          'write one object per line: {"text": "...", "title": "..."}')
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(where, 'no "text" (a non-empty string) in the record', 'add the article body as "text"')
    fields: dict[str, str | None] = {}
    for key in OPTIONAL:
        value = record.get(key)
        if value is not None and not isinstance(value, (str, int, float)):
            return InputError(where, f'"{key}" is a {type(value).__name__}, not a string', f'give "{key}" as text')
        fields[key] = str(value).strip() if value is not None and str(value).strip() else None
    return make_article(
        origin=where, fmt="jsonl", options=options, title=fields["title"] or "",
        paragraphs=text_paragraphs(text), url=fields["url"], outlet=fields["outlet"],
        published=fields["published"], id=fields["id"],
    )


def read_jsonl(
    stream: IO[bytes], origin: str, options: IngestOptions, settings: Settings,
) -> Iterator[Article | InputError]:
    limit = settings.max_document_bytes
    lineno = 0
    while True:
        try:
            line = stream.readline(limit + 1)
        except OSError as exc:
            yield InputError(origin, f"cannot read the file ({exc})", "check the file")
            return
        if not line:
            break
        lineno += 1
        where = f"{origin}:{lineno}"
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the oversized line
                line = stream.readline(1 << 20)
            yield TooLargeError(where, f"the record is over the size limit of {limit:,} bytes",
                                "split it, or raise the max_document_bytes setting")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8-sig", errors="strict"))
        except UnicodeDecodeError:
            yield InputError(where, "the line is not UTF-8", "save the file as UTF-8")
            continue
        except json.JSONDecodeError as exc:
            if lineno == 1 and line.lstrip().startswith((b"{", b"[")):
                yield from _whole_json(line + stream.read(limit), origin, options, exc)
                return
            yield InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})",
                             "write one JSON object per line")
            continue
        except RecursionError:
            yield InputError(where, "the JSON is nested too deeply", "write one flat object per line")
            continue
        if isinstance(record, list) and record and all(isinstance(r, dict) for r in record):
            # a JSON array of records on one line (a compact JSON export)
            for n, item in enumerate(record, start=1):
                yield record_article(item, f"{where}#{n}", options)
            continue
        yield record_article(record, where, options)


def _whole_json(data: bytes, origin: str, options: IngestOptions,
                line_error: json.JSONDecodeError) -> Iterator[Article | InputError]:
    """A pretty-printed JSON object or array is accepted too: its objects are the records."""
    try:
        value = json.loads(data.decode("utf-8-sig", errors="replace"))
    except (json.JSONDecodeError, RecursionError):
        yield InputError(f"{origin}:1", f"not valid JSON ({line_error.msg} at column {line_error.colno})",
                         "write one JSON object per line")
        return
    records = value if isinstance(value, list) else [value]
    for n, record in enumerate(records, start=1):
        yield record_article(record, f"{origin}#{n}", options)
