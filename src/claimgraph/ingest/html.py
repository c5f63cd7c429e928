"""HTML pages: one trafilatura pass for body and metadata, plus what trafilatura leaves out.

trafilatura (with htmldate inside it) finds the body, the date, the authors and the canonical URL in
a single ``bare_extraction`` call; running it once per page is what keeps ingestion as fast as plain
``trafilatura.extract`` (benchmarks/bench_extraction.py measures both). Before that call the parsed
tree is read for the three things trafilatura does not give the way claimgraph needs them: the
headline (``<h1>``/``og:title`` rather than the ``<title>`` with its site-name suffix), the site
name, and the image captions, which are kept apart from the body.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..models import Article
from .article import make_article, registered_domain
from .textdump import is_caption, normalise_heading

if TYPE_CHECKING:
    from ..settings import Settings
    from . import IngestOptions

__all__ = ["read_html", "strip_site_name"]

# trafilatura and htmldate log every page they cannot use at ERROR level; without a handler Python
# would print those to stderr, doubling claimgraph's own one-line error. A NullHandler keeps them
# out of the terminal and still lets an application that configures logging see them.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

_CAPTION_XPATH = (
    "//figcaption | //*[contains(concat(' ', normalize-space(@class), ' '), ' wp-caption-text ')]"
    " | //*[contains(@class, 'caption') and not(self::body) and not(self::article)]"
)
# A caption is a line or two; an element with a "caption" class holding more is a layout wrapper.
MAX_CAPTION_CHARS = 500
# Separators between a headline and the site name in <title> and og:title.
_TITLE_SEP = re.compile(r"\s+(\||–|—|-|:|·|•|»|/|::)\s+")
_DATE_PARAMS = {"extensive_search": True, "original_date": True}


def _text(el: Any) -> str:
    try:
        return " ".join("".join(el.itertext()).split())
    except (ValueError, TypeError):
        return ""


def _meta(tree: Any, *keys: str) -> str | None:
    for key in keys:
        for el in tree.xpath(f"//meta[@property='{key}' or @name='{key}']"):
            value = " ".join(str(el.get("content") or "").split())
            if value:
                return value
    return None


def _page_facts(tree: Any) -> dict[str, Any]:
    """Headline candidates, site name and captions from the tree, before trafilatura prunes it."""
    h1 = [t for t in (_text(el) for el in tree.xpath("//h1")) if t]
    article_h1 = [t for t in (_text(el) for el in tree.xpath("//article//h1")) if t]
    title_tag = next((t for t in (_text(el) for el in tree.xpath("//head/title | //title")) if t), "")
    captions: list[str] = []
    for el in tree.xpath(_CAPTION_XPATH):
        text = _text(el)
        if text and len(text) <= MAX_CAPTION_CHARS and text not in captions:
            captions.append(text)
    return {
        "h1": h1,
        "article_h1": article_h1,
        "og_title": _meta(tree, "og:title", "twitter:title"),
        "title_tag": title_tag,
        "site_name": _meta(tree, "og:site_name", "application-name"),
        "captions": captions,
    }


def _site_keys(names: list[str | None]) -> set[str]:
    keys = set()
    for name in names:
        if not name:
            continue
        key = re.sub(r"[\W_]+", "", name.casefold())
        if len(key) >= 3:
            keys.add(key)
        label = name.casefold().split(".")[0] if "." in name and " " not in name else ""
        if len(label) >= 3:
            keys.add(re.sub(r"[\W_]+", "", label))
    return keys


def _is_site(part: str, keys: set[str]) -> bool:
    key = re.sub(r"[\W_]+", "", part.casefold())
    if not key:
        return False
    return any(key == k or (len(key) >= 4 and (key in k or k in key)) for k in keys)


def strip_site_name(title: str, site_names: list[str | None]) -> str:
    """``title`` without a site name before or after it ("Story | Outlet", "Outlet – Story").

    A dash-separated tail is taken off only when it matches the site name (a headline may end in
    "– Report"); a tail after " | " is page furniture whenever it is short.
    """
    keys = _site_keys(site_names)
    for _ in range(2):  # "Story | Section | Outlet"
        parts = _TITLE_SEP.split(title)
        if len(parts) < 3:
            break
        head, sep, tail = "".join(parts[:-2]), parts[-2], parts[-1]
        first, first_sep = parts[0], parts[1]
        if _is_site(tail, keys) or (sep == "|" and len(tail.split()) <= 5):
            title = head.strip()
        elif _is_site(first, keys) and first_sep in "|–—-:»":
            title = "".join(parts[2:]).strip()
        else:
            break
    return title


def _pick_title(facts: dict[str, Any], extracted: str | None) -> str:
    """The headline: an <h1> that is the story's, else og:title, else trafilatura's, else <title>."""
    pages = [t for t in (facts["og_title"], facts["title_tag"], extracted) if t]
    page_keys = [normalise_heading(t) for t in pages]
    for h in facts["article_h1"] + facts["h1"]:
        key = normalise_heading(h)
        if key and any(key in p for p in page_keys):
            return str(h)
    if len(facts["h1"]) == 1 and len(facts["h1"][0].split()) >= 3:
        return str(facts["h1"][0])
    return str(facts["og_title"] or extracted or facts["title_tag"] or "")


def read_html(
    data: bytes | str,
    origin: str,
    options: IngestOptions,
    settings: Settings | None = None,
    *,
    url: str | None = None,
    fetched: str | None = None,
    fmt: str = "html",
) -> Article | InputError:
    """One article from one HTML page (``url``/``fetched`` come from a WARC record when known)."""
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    try:
        tree = load_html(data)
    except (ValueError, TypeError) as exc:
        return InputError(origin, f"the HTML cannot be parsed ({exc})", "check that the file is an HTML page")
    if tree is None or len(tree) == 0:
        return InputError(origin, "no HTML document found", "check that the file is an HTML page")
    facts = _page_facts(tree)
    try:
        doc = bare_extraction(
            tree, url=url or options.url, with_metadata=True, include_comments=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError) as exc:
        # trafilatura signals "nothing usable" with ValueError; the others come from odd markup
        return InputError(origin, f"trafilatura could not read the page ({type(exc).__name__})",
                          "check that the page is a news article")
    if doc is None or not (doc.text or "").strip():
        return InputError(origin, "no article text found in the page",
                          "check that the page is an article, not an index or a login page")
    # trafilatura echoes the URL it was given when the page names none; only a canonical or og:url
    # that the page itself declares counts as the page's word (options.url is the user's fallback).
    declared = doc.url if isinstance(doc.url, str) and doc.url.startswith("http") else None
    page_url = declared if declared and declared != options.url else url
    site_name = facts["site_name"] or doc.sitename
    outlet = registered_domain(page_url)
    title = strip_site_name(
        _pick_title(facts, doc.title), [site_name, doc.sitename, outlet, options.outlet, doc.hostname],
    )
    captions = list(facts["captions"])
    caption_keys = {normalise_heading(c) for c in captions}
    title_key = normalise_heading(title)
    paragraphs: list[str] = []
    for line in (doc.text or "").split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        key = normalise_heading(line)
        if key in caption_keys:
            continue  # a figcaption that trafilatura kept inside the body
        if not paragraphs and key and key == title_key:
            continue  # the headline repeated as the body's first line
        if is_caption(line) and len(line.split()) <= 40:
            captions.append(line)
            continue
        paragraphs.append(line)
    authors = [a.strip() for a in re.split(r"\s*;\s*", doc.author or "") if a.strip()]
    return make_article(
        origin=origin, fmt=fmt, options=options, title=title, paragraphs=paragraphs,
        url=page_url, outlet=outlet, outlet_name=site_name, published=doc.date, authors=authors,
        captions=captions, fetched=fetched,
    )
