"""Candidate generation: which earlier claims a claim is compared with.

Comparing every claim with every other is quadratic; instead each claim is filed under a few keys
and compared only with the claims sharing one of them:

* MinHash LSH bands over its content words (banded here so that buckets can be capped),
* each resolved place, each named actor and each count from six up, with the days around its
  publication,
* each place alone, for claims that carry no date,
* the newest claims of the same days.

Buckets keep only their newest ``BUCKET_CAP`` claims and live in time windows of ``WINDOW_DAYS``;
windows behind the claim being linked are dropped. Both bounds keep the cost per claim constant, so
the whole stage grows linearly with the number of claims, and the memory with the claims of three
windows, not of the whole history.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

from .features import ClaimTable
from .incidents import around, cells

# 20 permutations in 10 bands of 2 rows: a pair with word Jaccard 0.3 shares a band with
# probability 0.6, at 0.5 with 0.94 (1 - (1 - s^2)^10). Paraphrases across outlets measured on
# FA-KES titles sit around 0.3-0.5; the place/actor keys catch most of the rest.
NUM_PERM = 20
BANDS = 10
ROWS = NUM_PERM // BANDS
# Newest claims kept per bucket. Relays of one claim come within days, so the newest entries are the
# ones that matter. On the synthetic benchmark 12 beat 24 on recall too (0.991 vs 0.984 at 100k
# claims: fewer stale neighbours crowd out the right ones) and costs 15% less time.
BUCKET_CAP = 12
# Place and actor keys hold the claims of a few days: a claim meets those of the neighbouring
# periods too, so reports up to three to five days apart share a key.
PERIOD_DAYS = 2
# Claims more than ~two windows apart are never compared (a "window" of 30 days plus its neighbours).
WINDOW_DAYS = 30
# Candidates actually scored per claim: those sharing the most keys first.
MAX_CANDIDATES = 8
_UNDATED = -1


class Signer:
    """MinHash signatures of token-id sets.

    Each vocabulary word is hashed once (64-bit BLAKE2b) and put through NUM_PERM random affine
    maps modulo 2**64 (odd multipliers: each map is a bijection), keeping the high 32 bits, where
    such maps mix best; that row is the signature of the one-word set, and a claim's signature is
    the element-wise minimum of its words' rows, computed with one numpy reduction for many claims
    at a time. Signatures live only within a run, so no library's exact values are needed, and
    not importing one (datasketch pulls in scipy: 0.6 s) keeps a small incremental run small.
    """

    def __init__(self, seed: int = 7) -> None:
        gen = np.random.RandomState(seed)
        self._a = gen.randint(0, 1 << 62, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self._b = gen.randint(0, 1 << 62, NUM_PERM, dtype=np.uint64) * np.uint64(4)
        self._rows = np.empty((0, NUM_PERM), dtype=np.uint64)

    def _extend(self, words: Sequence[str]) -> None:
        start = len(self._rows)
        if start >= len(words):
            return
        h = np.fromiter(
            (int.from_bytes(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest(), "little")
             for w in words[start:]),
            dtype=np.uint64, count=len(words) - start,
        )
        # uint64 arithmetic wraps modulo 2**64 on purpose.
        new = np.right_shift(h[:, None] * self._a[None, :] + self._b[None, :], np.uint64(32))
        self._rows = np.vstack([self._rows, new])

    def band_keys(self, table: ClaimTable, rows: Sequence[int]) -> list[list[int]]:
        """For each row, BANDS integer keys (empty for a claim without content words)."""
        self._extend(table.words)
        out: list[list[int]] = [[] for _ in rows]
        flat: list[int] = []
        offsets: list[int] = []
        which: list[int] = []
        for k, i in enumerate(rows):
            toks = table.tokens[i]
            if toks:
                offsets.append(len(flat))
                flat.extend(toks)
                which.append(k)
        if not flat:
            return out
        sigs = np.minimum.reduceat(self._rows[np.asarray(flat)], np.asarray(offsets), axis=0)
        sigs = sigs.astype(np.uint64).reshape(len(which), BANDS, ROWS)
        # Fold each band's rows into one 64-bit key (overflow wraps on purpose), tagged by band.
        keys = sigs[:, :, 0]
        for r in range(1, ROWS):
            keys = keys * np.uint64(0x9E3779B97F4A7C15) ^ sigs[:, :, r]
        keys = np.bitwise_or(np.left_shift(np.right_shift(keys, np.uint64(4)), np.uint64(4)),
                             np.arange(BANDS, dtype=np.uint64))
        for k, row in zip(which, keys.tolist(), strict=True):
            out[k] = row
        return out


def window_of(day: int | None) -> int:
    return _UNDATED if day is None else day // WINDOW_DAYS


class BlockIndex:
    """Capped buckets of claim rows, grouped in time windows."""

    def __init__(self) -> None:
        self.windows: dict[int, dict[object, list[int]]] = {}
        # Claims without a date meet dated ones through the keys they ask for: dated claims file
        # themselves here too under those keys only, so the side index stays as small as they are.
        self.wanted: set[object] = set()
        self.side: dict[object, list[int]] = {}

    @staticmethod
    def timeless_keys(table: ClaimTable, i: int, bands: list[int]) -> list[object]:
        keys: list[object] = list(bands)
        keys.extend(("p", p) for p in table.places[i])
        keys.extend(("a", a) for a in table.actors(i))
        keys.extend(("n", v) for v in _counts(table, i))
        return keys

    def want(self, table: ClaimTable, i: int, bands: list[int]) -> None:
        """Row ``i`` has no date: keep, from now on, the dated claims sharing its keys."""
        self.wanted.update(self.timeless_keys(table, i, bands))

    @staticmethod
    def keys_of(table: ClaimTable, i: int, bands: list[int]) -> list[object]:
        day = table.day(i)
        if day is None:
            return BlockIndex.timeless_keys(table, i, bands)
        keys: list[object] = list(bands)
        for p in table.places[i]:
            keys.append(("p", p) if day is None else ("pd", p, day // PERIOD_DAYS))
        if day is not None:
            for a in table.actors(i):
                keys.append(("ad", a, day // PERIOD_DAYS))
            for v in _counts(table, i):
                keys.append(("nd", v, day // PERIOD_DAYS))
            area = table.area(i)
            if area:
                keys.extend(("gd", cell, day // PERIOD_DAYS) for cell in cells(area))
            keys.append(("recent", day // PERIOD_DAYS))
        return keys

    @staticmethod
    def query_keys(table: ClaimTable, i: int, bands: list[int]) -> list[object]:
        """Like :meth:`keys_of`, with the neighbouring periods too: relays and denials come days
        after the first report."""
        day = table.day(i)
        if day is None:
            return BlockIndex.timeless_keys(table, i, bands)
        keys: list[object] = list(bands)
        period = None if day is None else day // PERIOD_DAYS
        near = () if period is None else (period - 1, period, period + 1)
        for p in table.places[i]:
            if period is None:
                keys.append(("p", p))
            else:
                keys.extend(("pd", p, d) for d in near)
        for a in table.actors(i) if period is not None else ():
            keys.extend(("ad", a, d) for d in near)
        for v in _counts(table, i):
            keys.extend(("nd", v, d) for d in near)
        # The area of its incident (its places, else its article's), by the cells around it.
        area = table.area(i)
        for cell in around(area) if area else ():
            keys.extend(("gd", cell, d) for d in near)
        # The newest claims of the same days, whatever they say: in a small or sparse collection
        # this is everything nearby (a denial sharing neither place nor source with what it
        # denies is still found); in a large one they rank last, sharing one key only.
        keys.extend(("recent", d) for d in near[:2])
        return keys

    def add(self, table: ClaimTable, i: int, bands: list[int]) -> None:
        day = table.day(i)
        _file(self.windows.setdefault(window_of(day), {}), self.keys_of(table, i, bands), i)
        if self.wanted and day is not None:
            keys = [k for k in self.timeless_keys(table, i, bands) if k in self.wanted]
            if keys:
                _file(self.side, keys, i)

    def candidates(self, table: ClaimTable, i: int, bands: list[int]) -> list[int]:
        """Rows sharing a key with row ``i``, most shared keys first, at most MAX_CANDIDATES."""
        w = window_of(table.day(i))
        spaces = [self.windows.get(_UNDATED)]
        if w != _UNDATED:
            spaces += [self.windows.get(w - 1), self.windows.get(w), self.windows.get(w + 1)]
        else:
            spaces.append(self.side)
        hits: Counter[int] = Counter()
        keys = self.query_keys(table, i, bands)
        for buckets in spaces:
            if not buckets:
                continue
            for key in keys:
                bucket = buckets.get(key)
                if bucket:
                    hits.update(bucket)
        hits.pop(i, None)
        return [j for j, _ in hits.most_common(MAX_CANDIDATES)]

    def forget_before(self, day: int | None) -> None:
        """Drop windows that no claim from ``day`` on can reach (claims are linked in date order)."""
        if day is None:
            return
        w = window_of(day)
        for old in [k for k in self.windows if k != _UNDATED and k < w - 1]:
            del self.windows[old]


# Counts from which a number is a blocking key: "14 killed" in two reports on nearby days is a
# strong hint of one event, while "two", "three" or "five" turn up in every story.
_MIN_KEY_COUNT = 6


def _counts(table: ClaimTable, i: int) -> list[int]:
    return [v for v in table.nums[i] if v >= _MIN_KEY_COUNT]


def _file(buckets: dict[object, list[int]], keys: list[object], i: int) -> None:
    for key in keys:
        bucket = buckets.get(key)
        if bucket is None:
            buckets[key] = [i]
        else:
            bucket.append(i)
            if len(bucket) > BUCKET_CAP:
                del bucket[0]
