"""Plain-text dumps of scraped pages: keep the article, set the page furniture aside.

A dump is what "select all, copy" or a text-mode scraper leaves of a news page: the headline (often
twice, once from the page title and once from the ``<h1>``), donation widgets and their money ladders,
navigation crumbs, photo captions and credits, share/subscribe prompts, sidebar headlines and the
article's paragraphs. :func:`clean_dump` sorts the lines into title, body paragraphs, captions and
removed lines; nothing is dropped silently (every line lands in exactly one of them).

The rules are deliberately about the *shape* of a line (length, final punctuation, currency signs,
separators, credit markers) rather than about one site's wording, so that they carry over to pages
the project has never seen. Lines are classified first, then the title and the body are chosen from
the classes, so each rule stays a small predicate that a table-driven test can pin down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import (
    TERMINAL,
    is_call_to_action,
    is_caption,
    is_crumb,
    is_dateline,
    is_headline,
    is_meta_line,
    is_money,
    is_prose,
    is_question_headline,
    normalise_heading,
    parse_byline,
    parse_date,
    words_of,
)

__all__ = ["CleanDump", "clean_dump", "normalise_heading"]


@dataclass(frozen=True)
class CleanDump:
    title: str
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO date from a dateline, when the dump shows one
    url: str | None = None  # the page's own address, from a "Permalink:" or "Short link:" line


# --- the cleaner -------------------------------------------------------------------------------

_SECTION_LABEL = re.compile(
    r"^(?:related|read (?:also|more|next)|see also|more (?:news|stories|from|on|in)|latest|most "
    r"(?:read|popular|viewed)|popular|trending|recommended|you (?:may|might) (?:also )?like|editor'?s picks?"
    r"|top stories|also on|in (?:other|case you missed)|more)\b",
    re.IGNORECASE,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")


def _lines(text: str) -> list[tuple[str, int]]:
    """Non-empty lines with the number of the blank-line separated block each belongs to."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).replace("\t", " ")
    out: list[tuple[str, int]] = []
    block = 0
    for raw in text.split("\n"):
        line = re.sub(r"[ \u00a0\u2000-\u200a\u3000]+", " ", raw).strip()
        if not line:
            block += 1
            continue
        out.append((line, block))
    return out


def _unwrap(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Join hard-wrapped prose (a paragraph broken into lines of ~70 characters) back into one line.

    A dump is taken as hard-wrapped when many lines end near one width; then a line that reaches that
    width without final punctuation continues on the next line of the same block. Otherwise only a
    next line starting in lower case is a continuation, so headlines and captions stay separate.
    """
    long = sorted(len(s) for s, _ in lines if len(s) >= 40)
    width = 0
    if len(long) >= 5:
        w = long[int(len(long) * 0.9) - 1]
        near = sum(1 for n in long if w - 15 <= n <= w)
        if w <= 100 and near >= 0.6 * len(long):
            width = w
    out: list[tuple[str, int]] = []
    for line, block in lines:
        if out and out[-1][1] == block:
            prev = out[-1][0]
            ends_open = prev[-1] not in TERMINAL
            wrapped = width and len(prev) >= width - 20 and ends_open
            continues = ends_open and line[:1].islower() and len(prev) >= 40
            # Never join a headline to its own repetition, nor an all-capitals headline to anything.
            separate = prev.isupper() or normalise_heading(prev) == normalise_heading(line)
            if (wrapped or continues) and not separate and not (is_caption(prev) or is_caption(line)):
                out[-1] = (prev + " " + line, block)
                continue
        out.append((line, block))
    return out


def _classify(line: str) -> str:
    if not any(ch.isalnum() for ch in line):
        return "symbols"
    if is_money(line):
        return "money"
    if is_caption(line):
        return "caption"
    if parse_byline(line) is not None:
        return "byline"
    if is_dateline(line) or is_meta_line(line):
        return "date"
    if is_call_to_action(line):
        return "cta"
    if is_crumb(line):
        return "crumb"
    if is_question_headline(line):
        return "headline"
    if is_prose(line):
        return "prose"
    if is_headline(line):
        return "headline"
    return "fragment"


def _same_key(na: str, nb: str) -> bool:
    """Two normalised headings are one headline (or one is the other cut short)."""
    return bool(na) and (na == nb or (len(nb) >= 20 and (na.startswith(nb) or nb.startswith(na))))


def clean_dump(text: str) -> CleanDump:
    """Split a page dump into title, body paragraphs, captions and removed lines."""
    lines = _unwrap(_lines(text))
    kinds = [_classify(s) for s, _ in lines]
    # Normalised once: every line is compared with its neighbours and with the title.
    keys = [normalise_heading(s) for s, _ in lines]
    # A sentence-like line printed twice in a row is a headline shown twice (page title and <h1>).
    for i, kind in enumerate(kinds):
        if kind == "prose" and len(words_of(lines[i][0])) <= 25 and any(
            _same_key(keys[i], keys[j]) for j in range(i + 1, min(i + 4, len(lines)))
        ):
            kinds[i] = "headline"
    first_prose = next((i for i, k in enumerate(kinds) if k == "prose"), len(lines))
    title_at = _pick_title(keys, kinds, first_prose)
    title = lines[title_at][0] if title_at is not None else ""
    last_prose = max((i for i, k in enumerate(kinds) if k == "prose"), default=-1)

    body: list[tuple[str, int]] = []
    captions: list[str] = []
    removed: list[str] = []
    authors: list[str] = []
    published: str | None = None
    in_sidebar = False
    footer = _footer_start(lines, kinds)
    for i, ((line, block), kind) in enumerate(zip(lines, kinds, strict=True)):
        if i == title_at:
            continue
        if i >= footer and kind in ("prose", "headline") and len(words_of(line)) < LONG_PARAGRAPH:
            removed.append(line)  # an appeal or an "about us" note below the page's widgets
            continue
        if kind == "caption":
            captions.append(line)
            continue
        if kind in ("byline", "date") and i < first_prose:
            # Only the header's date is the page's; dates further down belong to other items.
            published = published or parse_date(line)
        if kind == "byline":
            authors.extend(parse_byline(line) or ())
            removed.append(line)
            continue
        if kind == "date":
            by = re.search(r"\bby\s+(.+)$", line)
            authors.extend((parse_byline(by.group(0)[:1].upper() + by.group(0)[1:]) or ()) if by else ())
            removed.append(line)
            continue
        if title_at is not None and _same_key(keys[i], keys[title_at]):
            removed.append(line)  # the headline again, with other dashes or case
            continue
        if kind in ("cta", "fragment", "crumb") and _SECTION_LABEL.match(line):
            in_sidebar = True  # "Related", "Most read": what follows are other stories' headlines
        if kind == "prose":
            in_sidebar = False
            body.append((line, block))
        elif kind == "headline" and _keep_subheading(i, kinds, first_prose, last_prose, in_sidebar):
            body.append((line, block))
        else:
            removed.append(line)
    return CleanDump(
        url=_page_url(removed),
        title=title,
        paragraphs=tuple(_paragraphs(body)),
        captions=tuple(captions),
        removed=tuple(removed),
        authors=tuple(dict.fromkeys(authors)),
        published=published,
    )


_URL_LINE = re.compile(
    r"^(?:permalink|short link|link to (?:this|the) (?:article|page|story)|canonical(?: url)?|url"
    r"|cite this \w+|source url)\s*:\s*(https?://\S+)$",
    re.IGNORECASE,
)


def _page_url(removed: list[str]) -> str | None:
    for line in removed:
        m = _URL_LINE.match(line)
        if m:
            return m.group(1).rstrip(".,;)")
    return None


# Words from which a paragraph is taken for article text wherever it stands; shorter prose below
# the page's share/donate widgets is the site's own (appeals, "about us" notes).
LONG_PARAGRAPH = 25
_FURNITURE = ("cta", "money", "crumb", "symbols", "fragment")


def _footer_start(lines: list[tuple[str, int]], kinds: list[str]) -> int:
    """Index where the page footer starts: two furniture lines in a row after the last long
    paragraph (len(lines) when there is none). Ordinary widgets between paragraphs are followed by
    more long paragraphs, so they never start the footer."""
    long = [i for i, k in enumerate(kinds) if k == "prose" and len(words_of(lines[i][0])) >= LONG_PARAGRAPH]
    if not long:
        return len(lines)
    for k in range(long[-1] + 1, len(lines) - 1):
        if kinds[k] in _FURNITURE and kinds[k + 1] in _FURNITURE:
            return k
    return len(lines)


# A page header holds a handful of headlines; a dump of an index page can hold thousands, and the
# repetition check compares them pairwise.
MAX_HEADER_HEADLINES = 40


def _pick_title(keys: list[str], kinds: list[str], first_prose: int) -> int | None:
    """Index of the title line: the first headline of the header just above the body.

    A headline printed twice (page title and ``<h1>``) is the title for sure. Otherwise the header is
    the run of headline, byline, date and caption lines right above the first paragraph; headlines
    further up, behind a menu, crumb or widget line, belong to the page's other stories.
    """
    heads = [i for i in range(first_prose) if kinds[i] == "headline"]
    if not heads:
        return None
    for i in heads[:MAX_HEADER_HEADLINES]:
        if any(_same_key(keys[i], keys[j]) for j in heads if j > i):
            return i
    header: list[int] = []
    j = first_prose - 1
    # Share buttons, "listen" and reading-time widgets often sit between the headline and the body.
    while j >= 0 and kinds[j] in ("headline", "byline", "date", "caption", "symbols", "cta"):
        if kinds[j] == "headline":
            header.append(j)
        j -= 1
    return min(header) if header else heads[0]


def _keep_subheading(i: int, kinds: list[str], first_prose: int, last_prose: int, in_sidebar: bool) -> bool:
    """A headline-shaped line inside the article is a subheading; elsewhere it is another story."""
    if in_sidebar or i < first_prose or i > last_prose:
        return False
    # Two headline lines in a row inside the body are a list of links, not a subheading.
    neighbours = [kinds[j] for j in (i - 1, i + 1) if 0 <= j < len(kinds)]
    return "headline" not in neighbours


def _paragraphs(body: list[tuple[str, int]]) -> list[str]:
    paras: list[str] = []
    prev_block = None
    for line, block in body:
        # Lines of one block belong together unless the earlier one closed its sentence.
        if paras and block == prev_block and paras[-1][-1] not in TERMINAL:
            paras[-1] += " " + line
        else:
            paras.append(line)
        prev_block = block
    return paras
