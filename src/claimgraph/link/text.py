"""The words of a claim as the linker compares them: content words, stems, counts, negation.

Pure functions over strings, shared by the claim table, the matcher, incidents and cohesion; kept
apart from :mod:`.features` so that :mod:`.incidents` can use them without an import cycle.
"""

from __future__ import annotations

import re

from ..models import Claim

# Function words and reporting verbs carry no content: two claims sharing "said that the" are not
# the same claim. Kept short on purpose; the content words do the work.
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for from with without into onto over under about
    as is are was were be been being has have had do does did that this these those it its it's
    their them they he she his her we our you your i me my not no nor so than then there here
    which who whom whose what when where why how all any some such also very just only more most
    other another own same can could would should will shall may might must said says say told
    according reported report reports added stated claimed noted while after before during since
    until up down out off again further once both each few s t""".split()
)

WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A clock time ("at around 11:40") is no count: read as 11 and 40 it made "a drone strike hit the
# market at 11:40" disagree with "... killing at least 14" on numbers.
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")
_COUNT_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+|[^\W\d_]+", re.UNICODE)
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_NUMBER_WORDS = {
    **{k: v for k, v in _UNITS.items() if k != "one"},  # "one of the ..." is rarely a count
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, **_TENS, "hundred": 100,
}
# A number next to a month is a date ("Nov. 5", "5 November"), which datelines put in front of the
# claim: read as a count, "Nov. 5 (NCNA) - Helicopters ..." vetoed "three helicopters landed".
_MONTHS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july
    august september october november december""".split()
)


def stem(word: str) -> str:
    """A crude suffix stripper: enough for "evacuated"/"evacuating" and "commanders"/"commander"
    to meet, without a language model (linking must stay fast and offline)."""
    if len(word) > 5:
        for suffix in ("ing", "ed", "es"):
            if word.endswith(suffix):
                return word[: -len(suffix)]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """Lower-cased, stemmed content words of a text, in order."""
    return [stem(w) for w in WORD.findall(text.lower()) if w not in STOPWORDS and not w.isdigit()]


Count = tuple[int, frozenset[str]]


def counts_in(text: str) -> frozenset[Count]:
    """Counts in a text with what they count: "47 commanders" -> (47, {"commander"}). The
    counted thing is the next few content words ("20 ISIS field commanders" -> isis, field,
    commander), so "three helicopters" and "30 commanders" are not read as a contradiction.
    Years are dates, not counts."""
    tokens = _COUNT_TOKEN.findall(_CLOCK.sub(" ", text.lower()))
    found: set[Count] = set()
    for k, tok in enumerate(tokens):
        if tok[0].isdigit():
            value = int(tok.replace(",", ""))
            if 1900 <= value <= 2100:
                continue
            if (k and tokens[k - 1] in _MONTHS) or (k + 1 < len(tokens) and tokens[k + 1] in _MONTHS):
                continue
        elif tok in _NUMBER_WORDS:
            value = _NUMBER_WORDS[tok]
            if k and tokens[k - 1] in _TENS:
                continue  # the "one" of "thirty-one", counted with its tens below
            if tok in _TENS and k + 1 < len(tokens) and tokens[k + 1] in _UNITS:
                value += _UNITS[tokens[k + 1]]  # "thirty-one" -> 31
                k += 1
        else:
            continue
        nouns: list[str] = []
        for w in tokens[k + 1:k + 4]:
            if w in _SUBSET:
                break  # "126, including 60 children": what follows is a part, not the thing counted
            if w in STOPWORDS or not w[0].isalpha() or w in _NUMBER_WORDS or w in _UNITS:
                if nouns:
                    break  # "14 civilians and wounding ...": the counted thing ends at "and"
                continue
            nouns.append(w)
        found.add((value, frozenset(stem(w) for w in nouns)))
    return frozenset(found)


_SUBSET = frozenset({"including", "among"})


def numbers_in(text: str) -> frozenset[int]:
    """The values of :func:`counts_in`."""
    return frozenset(v for v, _ in counts_in(text))


# Words that say which of the people are counted (stems, as content_words gives them).
_STATES = frozenset(stem(w) for w in """wounded injured killed dead died missing arrested captured
    displaced detained evacuated rescued""".split())


def counts_differ(a: frozenset[Count], b: frozenset[Count], ratio: float = 0.0) -> bool:
    """Both count the same thing, with different numbers, and agree on no count of it
    ("20 commanders" / "47 commanders"): two claims, not one. Counts agree when one off ("more
    than 30" / "31"), or, given ``ratio``, within that share of the larger: for claims already
    known to be of one incident, where tolls differ by source and grow as bodies are found."""
    clash = False
    for v1, w1 in a:
        for v2, w2 in b:
            if (w1 ^ w2) & _STATES:
                continue  # "31 wounded people" and "14 people": not the same people counted
            if w1 & w2:
                # One count, rounded: "more than 30 wounded" and "31 wounded". A wider margin
                # only for claims known to be of one incident: everywhere, 10% cost precision on
                # FA-KES (0.720, against 0.733 with 1).
                if abs(v1 - v2) <= max(1.0, ratio * max(v1, v2)):
                    return False
                clash = True
    return clash


# A wire dateline ("ARLIT, Nov. 5 (NCNA) -") dates the dispatch; "reported on Thursday" dates the
# report. Either, read as the event's date, vetoes the very event it reports a day or two later.
DATELINE = re.compile(r"^[^\W\d_][^,()]{0,40},\s+[^()]{3,25}?\s*\([^()]{2,40}\)\s*[-\u2013\u2014]")
_REPORTED = re.compile(
    r"\b(?:reported|said|told|announced|stated|claimed|wrote|published|cited|quoted)\s+(?:\w+\s+)?$", re.IGNORECASE)


def said_not_happened(claim: Claim) -> bool:
    """Whether the claim's event date is the date of a dispatch or of a report inside the content,
    not of the event: found in the dateline, or right after a reporting verb."""
    ref = claim.event_date
    text = ref.text if ref is not None else ""
    if not text or not claim.content:
        return False
    content = claim.content
    at = content.find(text)
    if at < 0:
        return False
    head = DATELINE.match(content)
    if head is not None and at < head.end():
        return True
    return bool(_REPORTED.search(content[:at]))


# A claim that says its event did not happen ("that none of its aircraft had struck the market",
# "There was no such flight") denies it, whatever the cue: "said" carries most denials in news.
_NEGATED = re.compile(
    r"^\W*(?:that\s+)?(?:(?:none|no|nobody|neither|never)\b|there\s+(?:was|were|is|are|has\s+been|had\s+been)\s+no\b"
    # "is not the first such flight", "was not clear": a copula's negation denies no event.
    r"|(?:\S+\s+){0,5}?(?:did|does|do|had|has|have)(?:\s+not|n't)\s+(?!only\b))",
    re.IGNORECASE)


def negated(content: str) -> bool:
    """Whether a claim's content denies its own event (the negation opens the clause)."""
    return bool(_NEGATED.match(content))
