"""Helpers shared by the benchmarks: where ../shared is, peak memory of a child run."""

from __future__ import annotations

import csv
import json
import resource
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FAKES = SHARED / "data" / "fa-kes" / "FA-KES-Dataset.csv"


def require(path: Path) -> None:
    """Exit cleanly (0, with a reason) when the data a benchmark reads is absent."""
    if not path.exists():
        print(f"skipped: {path} is absent (the benchmark reads ../shared)")
        sys.exit(0)


def fakes_rows(limit: int | None = None) -> Iterator[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with FAKES.open(encoding="utf-8", errors="replace", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if limit is not None and i >= limit:
                return
            yield row


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict) -> None:
    """The last line a child benchmark prints: its figures as JSON, for the parent to read."""
    print("RESULT " + json.dumps(result), flush=True)
