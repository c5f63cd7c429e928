"""Span boundaries: where a decoded source or content span starts and ends.

The taggers decide which tokens belong to a role; PolNeAR's annotators follow conventions about the
edges (punctuation, quotation marks, complementisers, trailing time phrases) that a first-order
tagger gets wrong often enough to cost exact-match points.  Both models pass their token groups
through :func:`tidy` just before they become character spans.
"""

from __future__ import annotations

from typing import Any


def tidy(doc: Any, cue: list[int], src: list[list[int]], con: list[list[int]]) -> tuple[list[list[int]], list[list[int]]]:
    """The source and content token groups of one relation with their edges adjusted (unchanged for now)."""
    return src, con
