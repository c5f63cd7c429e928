"""RSS and Atom feeds (feedparser): one article per entry.

An entry's body is its full content when the feed carries it, else its summary; both are HTML
fragments, turned into paragraphs here without trafilatura (which expects whole pages). The feed's
title is the outlet's name; the outlet is the registered domain of the entry's link.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..models import Article
from .article import make_article, registered_domain
from .lines import is_caption

if TYPE_CHECKING:
    from ..settings import Settings
    from . import IngestOptions

__all__ = ["html_fragment_paragraphs", "read_feed"]

_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "section",
           "article", "header", "footer", "ul", "ol", "table", "figure", "br", "hr", "dd", "dt"}
_DROP = {"script", "style", "noscript", "iframe", "form", "button", "svg"}


def html_fragment_paragraphs(fragment: str) -> tuple[list[str], list[str]]:
    """Paragraphs and captions of an HTML fragment (a feed entry's content)."""
    if "<" not in fragment:
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", fragment)]
        return [p for p in paras if p], []
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError, TypeError):
        return [" ".join(fragment.split())] if fragment.strip() else [], []
    captions = []
    for el in root.xpath(".//figcaption"):
        text = " ".join("".join(el.itertext()).split())
        if text:
            captions.append(text)
        el.drop_tree()
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _DROP:
            if el.tail:
                parts.append(el.tail)
            return
        if tag in _BLOCKS:
            parts.append("\n\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if tag in _BLOCKS:
            parts.append("\n\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    paras = []
    for block in re.split(r"\n\s*\n", "".join(parts)):
        line = " ".join(block.split())
        if not line:
            continue
        if is_caption(line) and len(line.split()) <= 40:
            captions.append(line)
        else:
            paras.append(line)
    return paras, captions


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return time.strftime("%Y-%m-%d", value)
            except (TypeError, ValueError):
                continue
    return None


def _authors(entry: Any) -> list[str]:
    names = [a.get("name", "") for a in entry.get("authors", []) if isinstance(a, dict)]
    if not any(names) and entry.get("author"):
        names = [entry["author"]]
    return [n for n in names if n]


def read_feed(
    data: bytes, origin: str, options: IngestOptions, settings: Settings | None = None,
) -> Iterator[Article | InputError]:
    import feedparser

    try:
        # A stream, never the bytes themselves: feedparser treats a bytes or str argument that names
        # an existing file (or a URL) as something to open or fetch, not as the feed.
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # feedparser wraps many parsers; any failure is a bad feed, not a crash
        yield InputError(origin, f"the feed cannot be parsed ({type(exc).__name__})",
                         "check that the file is RSS or Atom XML")
        return
    entries = parsed.get("entries") or []
    if not entries:
        reason = "not a readable RSS/Atom feed" if parsed.get("bozo") else "the feed has no entries"
        yield InputError(origin, reason, "check that the file is an RSS or Atom feed with items")
        return
    feed = parsed.get("feed", {})
    feed_title = feed.get("title") or None
    feed_link = feed.get("link") or None
    for n, entry in enumerate(entries, start=1):
        where = f"{origin}#entry-{n}"
        body = ""
        contents = entry.get("content") or []
        if contents and isinstance(contents[0], dict):
            body = contents[0].get("value") or ""
        if not body.strip():
            body = entry.get("summary") or entry.get("description") or ""
        paras, captions = html_fragment_paragraphs(body)
        link = entry.get("link") or None
        yield make_article(
            origin=where, fmt="feed", options=options,
            title=" ".join(str(entry.get("title") or "").split()), paragraphs=paras,
            url=link, outlet=registered_domain(link) or registered_domain(feed_link),
            outlet_name=feed_title, published=_date(entry), authors=_authors(entry),
            captions=captions,
        )
