"""HTML pages: one trafilatura pass for the body; headline, date, authors and captions beside it.

The page is parsed once. trafilatura's ``bare_extraction`` finds the body (one pass per page, in its
fast mode); the same tree is read for what claimgraph needs in its own form: the headline
(``<h1>``/``og:title`` rather than the ``<title>`` with its site-name suffix), the canonical URL and
site name, the authors, the publication date (htmldate) and the image captions, which are kept apart
from the body. benchmarks/bench_extraction.py measures quality and speed against plain
``trafilatura.extract``.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..models import Article
from .article import make_article, registered_domain
from .lines import is_caption, is_furniture, normalise_heading

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
MAX_AUTHORS = 6
MIN_BODY_WORDS = 5


def _text(el: Any) -> str:
    try:
        return " ".join("".join(el.itertext()).split())
    except (ValueError, TypeError):
        return ""


def _metas(tree: Any) -> dict[str, str]:
    """``<meta>`` contents by lower-cased name or property (the first non-empty one wins)."""
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = str(el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and key not in out:
            value = " ".join(str(el.get("content") or "").split())
            if value:
                out[key] = value
    return out


def _page_facts(tree: Any) -> dict[str, Any]:
    """Headline candidates, site name, canonical URL and captions, read before trafilatura runs.

    ``tree.iter(tag)`` walks the tree in C; one walk per tag costs less than general XPath.
    """
    metas = _metas(tree)
    h1: list[str] = []
    article_h1: list[str] = []
    for el in tree.iter("h1"):
        text = _text(el)
        if text:
            h1.append(text)
            if any(a.tag == "article" for a in el.iterancestors()):
                article_h1.append(text)
    title_tag = next((t for t in (_text(el) for el in tree.iter("title")) if t), "")
    captions: list[str] = []
    for el in tree.xpath(_CAPTION_XPATH):
        text = _text(el)
        if text and len(text) <= MAX_CAPTION_CHARS and text not in captions:
            captions.append(text)
    canonical = None
    for el in tree.iter("link"):
        href = str(el.get("href") or "").strip()
        if "canonical" in str(el.get("rel") or "").lower() and href.startswith(("http://", "https://")):
            canonical = href
            break
    og_url = metas.get("og:url", "")
    return {
        "metas": metas,
        "h1": h1,
        "article_h1": article_h1,
        "og_title": metas.get("og:title") or metas.get("twitter:title"),
        "title_tag": title_tag,
        "site_name": metas.get("og:site_name") or metas.get("application-name"),
        "captions": captions,
        "canonical": canonical or (og_url if og_url.startswith(("http://", "https://")) else None),
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
        seps = list(_TITLE_SEP.finditer(title))
        if not seps:
            break
        first, last = seps[0], seps[-1]
        tail = title[last.end():]
        if _is_site(tail, keys) or (last.group(1) == "|" and len(tail.split()) <= 5):
            title = title[:last.start()].strip()
        elif _is_site(title[:first.start()], keys) and first.group(1) in ("|", "–", "—", "-", ":", "»"):
            title = title[first.end():].strip()
        else:
            break
    return title


def _pick_title(facts: dict[str, Any]) -> str:
    """The headline: an <h1> that is the story's, else og:title, else <title>."""
    pages = [t for t in (facts["og_title"], facts["title_tag"]) if t]
    page_keys = [normalise_heading(t) for t in pages]
    for h in facts["article_h1"] + facts["h1"]:
        key = normalise_heading(h)
        if key and any(key in p for p in page_keys):
            return str(h)
    if len(facts["h1"]) == 1 and len(facts["h1"][0].split()) >= 3:
        return str(facts["h1"][0])
    return str(facts["og_title"] or facts["title_tag"] or "")


_AUTHOR_METAS = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author")


def _is_label(line: str) -> bool:
    return len(line.split()) <= 2 and line[-1:] not in ".!?\"”"


def _authors(tree: Any, metas: dict[str, str]) -> list[str]:
    """Bylines the page declares: author meta tags, JSON-LD, rel/itemprop/class "author" elements."""
    found: list[str] = []
    for key in _AUTHOR_METAS:
        if key in metas:
            found.extend(re.split(r"\s*[;|]\s*|\s+and\s+", metas[key]))
    for script in tree.iter("script"):
        if "ld+json" in str(script.get("type") or ""):
            found.extend(_ld_authors(script.text or ""))
    if not found:
        for el in tree.xpath("//*[@rel='author' or @itemprop='author' or contains(@class, 'byline') "
                             "or contains(@class, 'author-name')]")[:3]:
            found.append(_text(el))
    names = []
    for name in found:
        name = re.sub(r"^(?:by|von|par|por|di)\s+", "", " ".join(name.split()), flags=re.I).strip(" ,")
        # URLs (article:author often holds a profile link) and sentences are no names
        if name and not name.startswith(("http", "www.")) and len(name) <= 60 and len(name.split()) <= 5:
            names.append(name)
    return list(dict.fromkeys(names))[:MAX_AUTHORS]


def _ld_authors(text: str) -> list[str]:
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    out: list[str] = []
    stack = [data]
    while stack and len(out) < MAX_AUTHORS:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item[:20])
        elif isinstance(item, dict):
            author = item.get("author") or item.get("creator")
            for a in author if isinstance(author, list) else [author]:
                if isinstance(a, dict) and isinstance(a.get("name"), str):
                    out.append(a["name"])
                elif isinstance(a, str):
                    out.append(a)
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(graph[:20])
    return out


def _date(tree: Any, url: str | None) -> str | None:
    from htmldate import find_date

    try:
        # No extensive search: the fast path reads meta tags, JSON-LD, <time> and the URL and finds
        # a date on 179 of the 181 benchmark pages; the extensive one costs 20x more for two more.
        return find_date(tree, url=url, extensive_search=False, original_date=True)  # type: ignore[no-any-return]
    except Exception:  # htmldate parses free text; an odd page must cost its date, not the article
        return None


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
    declared = facts["canonical"]
    try:
        # fast=True skips trafilatura's second opinions (readability, jusText): on the benchmark it
        # gives the same body F1 in two thirds of the time. Metadata is read above and below from
        # the tree instead of trafilatura's metadata pass, which costs a third of an extraction.
        doc = bare_extraction(tree, url=declared or url or options.url, include_comments=False, fast=True)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError) as exc:
        # trafilatura signals "nothing usable" with ValueError; the others come from odd markup
        return InputError(origin, f"trafilatura could not read the page ({type(exc).__name__})",
                          "check that the page is a news article")
    body = str(getattr(doc, "text", "") or "")
    # A page whose "body" is a few words is a menu or an error page that trafilatura fell back on.
    if len(body.split()) < MIN_BODY_WORDS:
        return InputError(origin, "no article text found in the page",
                          "check that the page is an article, not an index or a login page")
    page_url = declared or url
    site_name = facts["site_name"]
    outlet = registered_domain(page_url)
    title = strip_site_name(_pick_title(facts), [site_name, outlet, options.outlet])
    captions = list(facts["captions"])
    caption_keys = {normalise_heading(c) for c in captions}
    title_key = normalise_heading(title)
    paragraphs: list[str] = []
    removed: list[str] = []
    for line in body.split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        if caption_keys or not paragraphs:
            key = normalise_heading(line)
            if key in caption_keys:
                continue  # a figcaption that trafilatura kept inside the body
            if not paragraphs and key and key == title_key:
                continue  # the headline repeated as the body's first line
        if is_caption(line) and len(line.split()) <= 40:
            captions.append(line)
            continue
        if is_furniture(line):
            removed.append(line)  # a share prompt or an "updated" stamp that trafilatura kept
            continue
        paragraphs.append(line)
    # A one- or two-word line opening or closing the body is a section label or a link ("Sécurité").
    while paragraphs and _is_label(paragraphs[0]):
        removed.append(paragraphs.pop(0))
    while paragraphs and _is_label(paragraphs[-1]):
        removed.append(paragraphs.pop())
    if paragraphs and normalise_heading(paragraphs[0]) == title_key:
        paragraphs.pop(0)  # the headline again, below a section label
    return make_article(
        origin=origin, fmt=fmt, options=options, title=title, paragraphs=paragraphs,
        url=page_url, outlet=outlet, outlet_name=site_name, published=_date(tree, page_url),
        authors=_authors(tree, facts["metas"]), captions=captions, removed=removed, fetched=fetched,
    )
