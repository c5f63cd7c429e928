"""Quotes signed off with a dash and a name: the attribution of a list of quotations.

    "We will not be silenced." ― Ana Ruiz
    "Nobody asked the farmers."
    - Tom Baker.

Nothing in such a line is a verb, so neither the tagger (which saw five of them in PolNeAR train)
nor the rules find it. PolNeAR labels them all the same way: the dash is the cue, the name without
its full stop the source, and the quotation the content — the quote that ends right before the dash
in the same paragraph, or the previous paragraph when the dash opens its own and that paragraph is
one quotation. This module gives exactly those spans for all five in train.
"""

from __future__ import annotations

import re

Spans = tuple[tuple[int, int], ...]

_OPEN = "\"\u201c\u201d"  # writers (and OCR) open with a closing mark too: '”Mr. Smith said ...'
_CLOSE = "\"\u201d"
_DASH = "-\u2013\u2014\u2015"
# A name: one to four capitalised words (initials and "Jr." included, particles such as "de" between
# them), then an optional full stop.
_WORD = r"[A-Z][\w'\u2019.-]*"
_NAME = rf"{_WORD}(?:[ \u00a0](?:(?:de|da|del|der|van|von|al|bin|la|le|du)[ \u00a0])?{_WORD}){{0,3}}"
_TAIL = 100  # a sign-off is searched for in the last characters of a paragraph only
_SIGN = re.compile(rf"(?P<dash>[{_DASH}]{{1,2}})[ \u00a0]*(?P<name>{_NAME})\.?[ \u00a0]*$")


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _quote_before(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The quotation that makes up ``text[s:e]`` (one opening mark at its start, a closing one at
    its end), or None."""
    s, e = _strip(text, s, e)
    if e - s < 3 or text[s] not in _OPEN or text[e - 1] not in _CLOSE:
        return None
    return s, e


def signoff_relations(text: str) -> list[tuple[Spans, Spans, Spans]]:
    """(source, cue, content) character spans of the quotes in ``text`` signed off by a dash and a
    name (see the module docstring)."""
    out: list[tuple[Spans, Spans, Spans]] = []
    prev: tuple[int, int] | None = None
    for para in re.finditer(r"[^\n]+", text):
        ps, pe = _strip(text, *para.span())
        if ps == pe:
            continue  # blank lines do not break "quote / - Name" apart
        m = _SIGN.search(text, max(ps, pe - _TAIL), pe)
        if m is not None:
            d0, d1 = m.span("dash")
            n0, n1 = m.span("name")
            n1 -= text[n1 - 1] == "."
            before = text[ps:d0]
            if before.strip():
                quote = _quote_before(text, ps, d0)
            else:  # the dash opens its paragraph: the quote is the paragraph before
                quote = _quote_before(text, *prev) if prev else None
            if quote is not None:
                out.append((((n0, n1),), ((d0, d1),), (quote,)))
        prev = (ps, pe)
    return out

