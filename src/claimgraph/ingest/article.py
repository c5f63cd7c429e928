"""Turning what a reader found into an :class:`~claimgraph.models.Article`: ids, outlets, dates.

Every reader ends in :func:`make_article`, so the rules for ids, outlets, dates and language are the
same whatever the input format was.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import InputError
from ..models import Article
from .lang import detect_language

if TYPE_CHECKING:
    from . import IngestOptions

__all__ = [
    "article_id", "make_article", "names_outlet", "normalise_date", "normalise_text", "outlet_display_name",
    "registered_domain",
]


def normalise_text(text: str) -> str:
    """The form ids are computed from: Unicode-normalised, case-folded, whitespace collapsed.

    Re-scraping a page often changes only spacing, line ends or the case of a word; such copies
    must get the same id so that a re-ingest recognises them.
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def article_id(outlet: str | None, text: str) -> str:
    """Stable id of an article: a hash of its outlet and its normalised text (16 hex digits)."""
    key = f"{(outlet or '').strip().casefold()}\n{normalise_text(text)}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def registered_domain(url: str | None) -> str | None:
    """The registered domain of a URL or host ("https://www.bbc.co.uk/x" -> "bbc.co.uk")."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if not url or " " in url:
        return None
    try:
        from tld import get_fld

        found = get_fld(url, fix_protocol=True, fail_silently=True)
    except Exception:  # tld raises its own errors for odd hosts; an odd URL just has no outlet
        found = None
    if found:
        return str(found).lower()
    return _fallback_domain(url)


def _fallback_domain(url: str) -> str | None:
    """For a host under a suffix the public list does not know (".example", ".test", an intranet):
    its last two labels, which is what a registered domain is under an ordinary suffix."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url if "://" in url else f"http://{url}").hostname
    except ValueError:
        return None
    if not host or "." not in host or not re.fullmatch(r"[a-z0-9.-]+", host):
        return None
    if re.fullmatch(r"[\d.]+", host):
        return host  # an IP address has no registered domain; the address is the best name
    labels = [lab for lab in host.split(".") if lab]
    if len(labels) < 2 or not re.search(r"[a-z]", labels[-1]):
        return None
    return ".".join(labels[-2:])


_NAME_SEP = re.compile(r"\s+(?:[|–—:·•»]|-{1,2})\s+")


def _squeeze(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


# Words that acronyms skip ("Observatory for Civilian Protection" is OCP).
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "de", "du", "la", "le", "des", "al", "el"})


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[^\W\d_]+", text.casefold()) if w not in _SMALL_WORDS)


def names_outlet(name: str, domain: str | None) -> bool:
    """Is ``name`` the name of the site at ``domain`` ("Horizon Daily" for horizondaily.example,
    "Varkossa Telegraph Agency" for vta.example)?"""
    if not domain or not name:
        return False
    label = _squeeze(domain.split(".")[0])
    key = _squeeze(name)
    if len(label) < 2 or not key:
        return False
    initials = _initials(name)
    return (label in key or (len(key) >= 4 and key in label) or initials == label
            or (len(initials) >= 3 and label.startswith(initials))  # OCP for ocp-monitor
            or (len(label) >= 6 and key[:6] == label[:6]))  # Crescent Television for crescenttv


def outlet_display_name(name: str | None, domain: str | None) -> str | None:
    """The outlet's own name out of a feed title or site name that adds a section or an acronym
    ("Horizon Daily — World" -> "Horizon Daily", "VTA — Varkossa Telegraph Agency" -> the long form)."""
    if not name:
        return None
    name = _one_line(name)
    parts = [p for p in _NAME_SEP.split(name) if p.strip()]
    if len(parts) < 2 or not domain:
        return name
    matching = [p for p in parts if names_outlet(p, domain)]
    if not matching:
        return name
    # Of an acronym and its expansion, the expansion is the name people read.
    return max(matching, key=len)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def normalise_date(value: object) -> str | None:
    """An ISO ``YYYY-MM-DD`` from a date, a datetime or a string holding one; None if there is none."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    m = _ISO_DATE.match(text)
    if m:
        try:
            return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    from email.utils import parsedate_to_datetime

    try:  # RFC 822 dates of feeds and HTTP headers: "Fri, 29 Dec 2017 10:00:00 GMT"
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    from .lines import parse_date

    return parse_date(text)


# C0 and C1 control characters (tabs and newlines are whitespace, handled by split). Scraped or
# forged text can carry terminal escape sequences; stored, they would later recolour, clear or plant
# hyperlinks in the terminal of whoever lists the articles.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _one_line(value: object) -> str:
    return " ".join(_CONTROL.sub("", str(value)).split())


def _clean(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v for v in (_one_line(x) for x in values) if v)


def make_article(
    *,
    origin: str,
    fmt: str,
    options: IngestOptions,
    title: str,
    paragraphs: Iterable[str],
    url: str | None = None,
    outlet: str | None = None,
    outlet_name: str | None = None,
    published: object = None,
    authors: Iterable[str] = (),
    captions: Iterable[str] = (),
    removed: Iterable[str] = (),
    fetched: str | None = None,
    language: str | None = None,
    id: str | None = None,
) -> Article | InputError:
    """Build the article, filling what the document does not say from ``options``.

    What the page says about itself wins (its canonical URL, its date); ``options`` (the CLI's
    ``--outlet/--url/--published``) fill the gaps. The outlet is a registered domain whenever one is
    known, so that articles of one site group together whatever host they were fetched from.
    """
    paras = _clean(paragraphs)
    text = "\n\n".join(paras)
    if not text:
        return InputError(origin, "no article text found",
                          "check that the input is a news article (not an index page or an empty record)")
    outlet = (
        registered_domain(outlet) or (_one_line(outlet) if outlet else None)
        or registered_domain(url) or registered_domain(options.outlet)
        or (_one_line(options.outlet) if options.outlet else None)
        or registered_domain(options.url)
    ) or None
    url = _CONTROL.sub("", url or options.url or "").strip() or None
    date = normalise_date(published)
    if date is None and options.published:
        date = normalise_date(options.published)
        if date is None:
            return InputError(origin, f"--published {options.published!r} is not a date",
                              "give the date as YYYY-MM-DD")
    title = _one_line(title or "")
    if language is None:
        language = detect_language(f"{title}\n{text}" if title else text)
    return Article(
        id=str(id) if id else article_id(outlet, text),
        title=title,
        text=text,
        url=url,
        outlet=outlet,
        outlet_name=outlet_display_name(outlet_name, outlet),
        published=date,
        language=language,
        authors=tuple(dict.fromkeys(_clean(authors))),
        captions=_clean(captions),
        removed=_clean(removed),
        fmt=fmt,
        origin=origin,
        fetched=fetched or None,
        reprint_of=None,
    )
