"""Line rules for page dumps: what shape of line is a price, a prompt, a crumb, a caption, a byline,
a date, a headline or prose. Each rule is a small predicate on one line, so a table-driven test can pin
it down; :mod:`.textdump` combines them, and the HTML reader reuses a few on extracted bodies.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CURRENCY = r"[$€£¥₽₹]|\b(?:USD|EUR|GBP|RUB|CHF)\b"
# A money or number ladder rung: "0 $", "2,500 $", "$5,000", "USD 10", "1 698 €", "75%".
_MONEY = re.compile(
    rf"^(?:(?:raised|goal|target|collected|donated)\s*:?\s*)?(?:{_CURRENCY})?\s*\d[\d.,\s]*\s*(?:{_CURRENCY}|%|k)?"
    rf"(?:\s*(?:of|/)\s*(?:{_CURRENCY})?\s*\d[\d.,\s]*\s*(?:{_CURRENCY})?)?$",
    re.IGNORECASE,
)

# Phrases that only page furniture uses; they may sit anywhere in a short line.
_STRONG_CTA = re.compile(
    r"do you (?:like|enjoy|appreciate) (?:this|our) (?:content|article|post|work|reporting)"
    r"|consider (?:helping|supporting|donating|a donation)|help us (?:keep|continue|stay)"
    r"|support (?:us|our (?:work|journalism|reporting|site|newsroom))\b|donate (?:now|today|here)"
    r"|make a (?:donation|contribution)|become a (?:patron|member|supporter|subscriber)"
    r"|subscribe (?:to|for|now|today)|sign up (?:for|to)|our newsletter"
    r"|follow us (?:on|at)|like us on|join us on|join our (?:telegram|channel|mailing)"
    r"|share (?:this|on (?:facebook|twitter|x|telegram|whatsapp|vk|linkedin))|tweet this|email this|print this"
    r"|click here|read more\b|continue reading|read (?:also|next|the full)|see also:"
    r"|leave a (?:comment|reply)|\d+ comments?\b|comments? \(\d+\)|add (?:a )?comment"
    r"|all rights reserved|terms of (?:use|service)|privacy policy|cookie|skip to (?:main )?content"
    r"|you (?:may|might) (?:also )?like|recommended for you|more (?:from|stories|news) (?:on|from|in)?"
    r"|related (?:posts|articles|stories|news|content|coverage)|most (?:read|popular|viewed|shared)"
    r"|trending (?:now|stories)|latest (?:news|stories|posts|articles)|top stories"
    r"|like this (?:story|article|post)\?|share it with|listen to (?:this|the) (?:article|story)"
    r"|^\d+\s*(?:min|minute)s?\s+read$|reading time|^(?:copyright|\(c\))\s+\d{4}"
    r"|not responsible for the content of external|we use cookies|accept (?:all )?cookies|^follow\b.{0,40}\b(?:on|at) (?:telegram|twitter|x|facebook|instagram|youtube|tiktok|whatsapp|vk"
    r"|mastodon|bluesky)|enjoy(?:ed)? this (?:post|article|story|content)|buy (?:us|me) a coffee"
    r"|download (?:the|our) .{0,30}\bapp\b|don'?t miss (?:a|any|our)|your (?:gift|donation|support)"
    r" (?:keeps|helps|makes|allows)|\((?:pdf|docx?|xlsx?|epub)\b|^(?:cite this|media contact|press contact"
    r"|short link|permalink|copy link)\b"
    r"|^(?:tags?|topics?|filed under|categories|category|posted in|share|source|sources|trending|watch"
    r"|listen|also read|see also|more|related|popular)\s*:",
    re.IGNORECASE,
)
# Single words or tiny phrases that are a widget when they make up the whole line.
_WIDGET_WORDS = {
    "share", "tweet", "email", "print", "facebook", "twitter", "x", "telegram", "whatsapp", "vk",
    "linkedin", "reddit", "pinterest", "menu", "home", "search", "subscribe", "donate", "login",
    "log in", "sign in", "register", "advertisement", "advert", "sponsored", "ad", "comments",
    "related", "more", "next", "previous", "prev", "back to top", "top", "close", "loading",
    "share this", "share this:", "like this:", "like", "follow", "follow us", "contact", "about",
    "about us", "newsletter", "donation", "support us", "read more", "more news", "video", "photos",
}

# Separators that navigation crumbs and menus put between short items.
_CRUMB_SEP = re.compile(r"\s*(?:»|›|>|/|\||·|•|→|::)\s*")

# Photo captions and credits. Each pattern is a marker that body prose does not use.
_CAPTION = re.compile(
    r"\((?:[^()]{0,120}?)\b(?:photo|image|picture|foto|video|footage)s?\b[^()]{0,40}?"
    r"\b(?:by|credit|courtesy|via|source|from)\b"
    r"|^(?:file (?:photo|image|picture|footage)|photo(?:graph)?|image|picture|pic|credit|caption"
    r"|illustration|screenshot|featured image|top image|main image)\s*(?:[:/|]|-\s)"
    r"|\b(?:REUTERS|AFP|AP|EPA|Getty Images|Anadolu(?: Agency)?|Xinhua|Shutterstock|Sputnik|TASS|SANA)"
    r"\s*/\s*[A-Z]"
    r"|\b(?:AFP|AP|EPA|REUTERS|Getty|Reuters) (?:PHOTO|Photo|Images)\b"
    r"|\bphoto(?:graph)?s? (?:by|courtesy of|credit)\b|\b(?:photo|image|picture) (?:source|credit)s?\s*:"
    r"|\((?:photo|image|picture|credit|file)\s*:|^(?:image|photo|picture|video) (?:caption|source|credit)s?\s*[,:]"
    r"|\([^()]{0,60}\b(?:photo|image|picture|foto|file)\b[^()]{0,40}\)\s*$",
    re.IGNORECASE,
)
# "REUTERS/Name" style credits are upper-case agency names; the case-insensitive flag above would
# otherwise take "AP/" inside ordinary words, so that branch is re-checked case-sensitively.
_AGENCY_SLASH = re.compile(r"\b(?:REUTERS|AFP|AP|EPA|Getty Images|Anadolu|Xinhua|Shutterstock)\s*/\s*\S")

_BYLINE = re.compile(
    r"^(?i:by|written by|posted by|author|authors|reported by|story by)\s*:?\s+"
    r"(?P<names>[A-Z][\w.'’-]+(?:[ \t]+(?:[A-Z][\w.'’-]+|van|de|der|al|bin|el))*"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+)*)*)"
    r"(?P<rest>\s*(?:[|,–—-].*)?)$",
)

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_NUM = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})"),
    re.compile(rf"(?P<mn>{_MONTHS})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I),
    re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mn>{_MONTHS})\.?,?\s+(?P<y>\d{{4}})", re.I),
)
# A line that is only a date (with the usual "Posted on", weekday and time decorations).
_DATELINE = re.compile(
    rf"^(?:(?:posted|published|updated|last updated|date|on)\s*(?:on|:)?\s*)*"
    rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?"
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}})"
    rf"(?:[\sT,@|–—-]*(?:at\s*)?\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?\s*(?:am|pm|a\.m\.|p\.m\.)?"
    rf"(?:\s*\(?(?:gmt|utc|[A-Z]{{2,4}})?(?:\s*[+-]\d{{1,2}}(?::?\d{{2}})?)?\)?)?)?\s*$",
    re.IGNORECASE,
)

TERMINAL = ".!?\"”’»…)]"
_DASHES = "‐‑‒–—―−-"
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)


def normalise_heading(line: str) -> str:
    """Comparable form of a headline: case, dashes, quotes and spacing do not matter."""
    text = unicodedata.normalize("NFKC", line).casefold()
    text = re.sub(f"[{_DASHES}]", "-", text)
    text = re.sub(r"[\"'“”‘’«»]", "", text)
    return re.sub(r"[\s\W_]+", " ", text).strip()


@lru_cache(maxsize=4096)
def words_of(line: str) -> tuple[str, ...]:
    # Cached: the line rules ask for the words of the same line several times.
    return tuple(_WORD.findall(line))


def is_money(line: str) -> bool:
    if len(line) > 60 or not re.search(r"\d", line):
        return False
    return bool(_MONEY.match(line.strip()))


def is_call_to_action(line: str) -> bool:
    low = line.strip().casefold().rstrip(":!.…>» ")
    if low in _WIDGET_WORDS:
        return True
    n = len(words_of(line))
    # Prose can mention newsletters or sharing; a sentence longer than a prompt is only taken when
    # it opens with the phrase, and nothing longer than a short paragraph is taken at all.
    if n > 25:
        return False
    # Anchored matching for longer lines is also much cheaper than a search of every position.
    m = _STRONG_CTA.search(line) if n <= 12 else _STRONG_CTA.match(line)
    return m is not None


def is_crumb(line: str) -> bool:
    stripped = line.strip()
    if "://" in stripped or (stripped.startswith("|") and stripped.endswith("|")):
        return False  # a URL, or a table row as text extractors print them
    parts = [p for p in _CRUMB_SEP.split(stripped) if p]
    if len(parts) < 3 or _CAPTION.search(line):
        return False
    # Every item of a crumb or menu is a short label, and the line has no sentence punctuation.
    return all(len(words_of(p)) <= 4 for p in parts) and not re.search(r"[.!?]\s", line)


# Words one of the caption patterns needs; a line with none of them is no caption (cheap pre-check,
# since the caption expression is the costliest test run on every paragraph).
_CAPTION_HINTS = ("photo", "image", "picture", "foto", "video", "footage", "credit", "caption", "pic",
                  "illustration", "screenshot", "getty", "/")


def is_caption(line: str) -> bool:
    low = line.lower()
    if not any(h in low for h in _CAPTION_HINTS) or len(words_of(line)) > 90:
        return False
    m = _CAPTION.search(line)
    if not m:
        return False
    matched = m.group(0)
    if "/" in matched and not re.search(r"(?i)photo|image|picture|credit", matched):
        return bool(_AGENCY_SLASH.search(line))
    return True


def parse_byline(line: str) -> tuple[str, ...] | None:
    """Authors of a "By A and B" line, or None when the line is not a byline."""
    if len(line) > 120:
        return None
    m = _BYLINE.match(line.strip())
    if not m:
        return None
    names = re.split(r"\s*(?:,|\band\b|&)\s*", m.group("names"))
    return tuple(n.strip() for n in names if n.strip())


def parse_date(text: str) -> str | None:
    """The first calendar date written in ``text``, as ISO ``YYYY-MM-DD`` (None if none is valid)."""
    import datetime as _dt

    for pat in _DATE_PATTERNS:
        for m in pat.finditer(text):
            try:
                year, day = int(m.group("y")), int(m.group("d"))
                month = (_MONTH_NUM.get(_month_name(m.group("mn"))) if "mn" in pat.groupindex
                         else int(m.group("m")))
                if month is None:
                    continue
                return _dt.date(year, month, day).isoformat()
            except (ValueError, TypeError):
                continue
    return None


def _month_name(abbrev: str) -> str:
    low = abbrev.casefold()
    for name in _MONTH_NUM:
        if name.startswith(low):
            return name
    return low


_POSTED = re.compile(r"^(?:posted|published|updated|last updated|date|written)\b", re.IGNORECASE)
# "(updated 11:02)", "Updated: 14:35 GMT", "5 minutes ago": a time stamp without a date
_TIME_STAMP = re.compile(
    r"^\(?(?:posted|published|updated|last updated|modified)\s*:?\s*(?:at\s*)?\d{1,2}[:.]\d{2}"
    r"(?:\s*(?:am|pm|gmt|utc|[A-Z]{2,4}))?\)?$"
    r"|^(?:(?:posted|published|updated)\s+)?(?:\d+|an?)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago$",
    re.IGNORECASE)


def is_dateline(line: str) -> bool:
    """Only a date, or a "Posted on <date> by <someone>" line."""
    if len(line) <= 80 and (_DATELINE.match(line.strip()) or _TIME_STAMP.match(line.strip())):
        return True
    return len(words_of(line)) <= 14 and bool(_POSTED.match(line)) and parse_date(line) is not None


def is_furniture(line: str) -> bool:
    """A line no article body contains: a call to action, a money ladder rung or a time stamp.
    (Crumbs are left out: extracted HTML bodies print tables and link lists in the same shape.)"""
    if not any(ch.isalnum() for ch in line):
        return True
    return is_money(line) or is_call_to_action(line) or is_dateline(line)


def is_headline(line: str) -> bool:
    """Shaped like a headline: a few words, no sentence-final full stop, starts with a capital."""
    words = words_of(line)
    if not 3 <= len(words) <= 30 or len(line) > 250:
        return False
    stripped = line.rstrip()
    if stripped[-1] in ".,;:" and not stripped.endswith("..."):
        return False
    first = stripped.lstrip("\"'“‘«([")[:1]
    return first.isupper() or first.isdigit()


def is_prose(line: str) -> bool:
    """A sentence or more of running text."""
    words = words_of(line)
    if not words:
        return False
    end = line.rstrip()[-1]
    if len(words) >= 30:
        return True
    # Three words make a sentence ('"No," he said.') when one of them is lower case; "Read More." does not.
    return end in TERMINAL and (len(words) >= 4 or (len(words) == 3 and any(w[:1].islower() for w in words)))


def is_meta_line(line: str) -> bool:
    """"05.11.2025 | 19:12 | News Desk", "Statement | 9 November 2025 | Observatory": a short line of
    labelled fields, one of them a date."""
    return (bool(re.search(r"\s[|·•]\s", line)) and len(words_of(line)) <= 15
            and parse_date(line) is not None)


def is_question_headline(line: str) -> bool:
    """"Who Is the Coalition Really Fighting?": a title-case question or exclamation is a headline,
    though it ends like a sentence (body sentences are not written in title case)."""
    words = words_of(line)
    if line.rstrip()[-1:] not in "?!" or not 3 <= len(words) <= 25 or re.search(r"[.!?]\s", line):
        return False
    capitals = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return capitals >= 0.6 * len(words)
