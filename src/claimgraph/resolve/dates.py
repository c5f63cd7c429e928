"""Dates in news prose, resolved against the article's publication date.

Regular expressions for the forms English news uses ("On December 28", "28 Dec 2017", "on
Wednesday", "earlier in December", "in 2017", "yesterday") instead of dateparser, which is an order
of magnitude slower and guesses at strings that are not dates. A yearless date is the latest such
day not after the publication date (an article of 2017-12-29 saying "On December 28" means
2017-12-28, one of 2018-01-02 saying it means 2017-12-28 too); a weekday is the latest such day on
or before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..models import DateRef

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|" \
       r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Most specific first; a later pattern never matches inside an earlier one's span.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}\b")),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b")),
    ("md", re.compile(rf"\b{_MON}\s+{_DAY}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)(?![:\d])")),
    ("dm", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\b(?!\s*,?\s*(?:19|20)\d\d)")),
    ("my", re.compile(rf"\b{_MON},?\s+{_YEAR}\b")),
    # A bare month needs a lead-in: "may" and "march" are also words.
    ("m", re.compile(
        r"\b(?i:in|since|during|until|till|by|from|of|through|throughout|early|mid|late|earlier in|"
        r"later in|early in|late in|last|this|next|in early|in late|in mid|mid-)[\s-]+"
        r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)\b")),
    ("weekday", re.compile(r"\b(?:(?P<rel>(?i:last|this|next|on|late on|early on))\s+)?"
                           r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("rel_day", re.compile(r"\b(?P<rel>yesterday|today|tonight|last night|this morning|this evening|"
                           r"earlier today|the day before yesterday)\b", re.I)),
    ("rel_unit", re.compile(r"\b(?P<rel>last|this|next|earlier this|later this)\s+(?P<unit>week|month|year)\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                       r"(?P<unit>days?|weeks?)\s+ago\b", re.I)),
    ("y", re.compile(rf"\b(?i:in|since|during|until|by|from|of|through|throughout|early|late|mid|"
                     rf"mid-|earlier in|later in|before|after)[\s-]+{_YEAR}\b(?![\d,.]\d)")),
]


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets into the text given to find_dates, shifted by its offset
    end: int
    ref: DateRef


def _month_year(month: int, anchor: date) -> int:
    # The latest such month not after the anchor month.
    return anchor.year if month <= anchor.month else anchor.year - 1


def _day_year(month: int, day: int, anchor: date) -> int:
    # Allow one day of slack: a piece written late on the 28th may be stamped the 29th or dated
    # ahead by a time zone.
    try:
        this_year = date(anchor.year, month, day)
    except ValueError:
        return anchor.year - 1
    return anchor.year if this_year <= anchor + timedelta(days=1) else anchor.year - 1


_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10}


def _week_month(day: date, until: date | None = None) -> str | None:
    """The month of the week holding ``day`` ("last week"; "this week" runs only ``until`` the
    publication day), or None when that week spans two months: a DateRef has no week precision,
    and a month that leaves out some of the week's days would be a wrong date, not a vague one."""
    monday = day - timedelta(days=day.weekday())
    last = min(monday + timedelta(days=6), until) if until is not None else monday + timedelta(days=6)
    if (monday.year, monday.month) != (last.year, last.month):
        return None
    return f"{monday.year:04d}-{monday.month:02d}"


def parse_anchor(published: str | None) -> date | None:
    """The publication date of ``Article.published`` ("2017-12-29", "2017-12-29T10:00:00Z")."""
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _resolve(kind: str, m: re.Match[str], anchor: date | None) -> tuple[str, str, bool] | None:
    """(iso, precision, needed_anchor) for one match, or None when it cannot be placed."""
    g = m.groupdict()
    month = _MONTHS[g["mon"].lower().rstrip(".")] if g.get("mon") else None
    try:
        if kind == "iso":
            return date(int(g["year"]), int(g["m"]), int(g["d"])).isoformat(), "day", False
        if kind in ("mdy", "dmy"):
            return date(int(g["year"]), month, int(g["day"])).isoformat(), "day", False  # type: ignore[arg-type]
        if kind == "my":
            return f"{int(g['year']):04d}-{month:02d}", "month", False
        if kind == "y":
            return g["year"], "year", False
    except ValueError:
        return None
    if anchor is None:
        return None
    if kind in ("md", "dm"):
        day = int(g["day"])
        if not 1 <= day <= 31:
            return None
        try:
            return date(_day_year(month, day, anchor), month, day).isoformat(), "day", True  # type: ignore[arg-type]
        except ValueError:
            return None
    if kind == "m":
        lead = m.group(0).lower()
        year = _month_year(month, anchor)  # type: ignore[arg-type]
        if lead.startswith("next") and month <= anchor.month:  # type: ignore[operator]
            year = anchor.year + 1
        return f"{year:04d}-{month:02d}", "month", True
    if kind == "weekday":
        target = _WEEKDAYS[g["wd"].lower()]
        rel = (g.get("rel") or "").lower()
        if rel == "next":
            delta = (target - anchor.weekday()) % 7 or 7
            return (anchor + timedelta(days=delta)).isoformat(), "day", True
        back = (anchor.weekday() - target) % 7
        if rel == "last" and back == 0:
            back = 7
        return (anchor - timedelta(days=back)).isoformat(), "day", True
    if kind == "rel_day":
        rel = g["rel"].lower()
        back = 2 if "before yesterday" in rel else 1 if rel in ("yesterday", "last night") else 0
        return (anchor - timedelta(days=back)).isoformat(), "day", True
    if kind == "ago":
        n = int(g["n"]) if g["n"].isdigit() else _NUMBERS[g["n"].lower()]
        if g["unit"].lower().startswith("week"):
            week = _week_month(anchor - timedelta(weeks=n))
            return (week, "month", True) if week else None
        return (anchor - timedelta(days=n)).isoformat(), "day", True
    if kind == "rel_unit":
        rel, unit = g["rel"].lower(), g["unit"].lower()
        step = -1 if rel == "last" else 1 if rel == "next" else 0
        if unit == "week":
            week = _week_month(anchor + timedelta(weeks=step), until=anchor if step == 0 else None)
            return (week, "month", True) if week else None
        if unit == "year":
            return str(anchor.year + step), "year", True
        y, mo = divmod(anchor.year * 12 + anchor.month - 1 + step, 12)
        return f"{y:04d}-{mo + 1:02d}", "month", True
    return None


def find_dates(text: str, anchor: date | None, offset: int = 0, inferred: bool = False) -> list[DateMention]:
    """Every date expression in ``text`` that can be placed on the calendar, in text order.
    ``inferred`` marks that ``anchor`` is not a publication date but the latest date in the text:
    precisions of expressions that needed it then end in "+inferred"."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            resolved = _resolve(kind, m, anchor)
            if resolved is None:
                continue
            iso, precision, needed = resolved
            if needed and inferred:
                precision += "+inferred"
            taken.append((s, e))
            found.append(DateMention(s + offset, e + offset, DateRef(iso, precision, m.group(0))))
    return sorted(found, key=lambda d: d.start)


def infer_anchor(text: str) -> date | None:
    """The latest fully written date in ``text`` (the body, never a caption): the stand-in for a
    missing publication date."""
    best: date | None = None
    for d in find_dates(text, None):
        if d.ref.precision == "day":
            value = date.fromisoformat(d.ref.date)
            best = value if best is None or value > best else best
    return best


# Where a text dates itself rather than an event: a header at its start ("Published July 5 2015",
# "Date of publication 4 April 2017", "Wed 05 Apr 2017", "28.05.2017", "Thursday 31 July 2014
# 10:59") and a wire dateline opening a paragraph ("DAMASCUS, Dec 12 (Reuters) -", "BEIRUT, Dec.
# 12 -", "Dec 12 (NCNA) --"). A date found there is the report's, never the event's.
_HEADER = re.compile(
    r"\A\s*(?:(?:Published|Posted(?:\s+on)?|Date\s+of\s+publication|(?:Last\s+)?updated(?:\s+at|\s+on)?)"
    r"[\s:]+)?(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
    r"(?:[0-3]?\d[./-][01]?\d[./-](?:19|20)\d\d|[0-3]?\d\s+[A-Z][a-z]{2,8}\.?,?\s+(?:19|20)\d\d"
    r"|[A-Z][a-z]{2,8}\.?\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)(?:,?\s+\d\d?:\d\d)?",
    re.IGNORECASE)
_DATELINE = re.compile(
    r"(?:\A|\n)[ \t]*(?:[A-Z][A-Z'.-]+(?:[ \t]+[A-Z][A-Z'.-]+){0,3}(?:,[ \t]*[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*)?)?"
    r"(?:,[ \t]*[^\n()]{3,20}?)?[ \t]*(?:\([^\n()]{2,40}\))?|[A-Z][a-z]{2,8}\.?[ \t]+[0-3]?\d[ \t]*\([^\n()]{2,40}\))"
    r"[ \t]*(?:-{1,2}|\u2013|\u2014)[ \t]")


def report_date_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that date the report: its header and its datelines."""
    spans: list[tuple[int, int]] = []
    head = _HEADER.match(text)
    if head is not None:
        spans.append(head.span())
    spans.extend(m.span() for m in _DATELINE.finditer(text))
    return spans
