"""Body extraction quality and speed of claimgraph's HTML ingestion against plain trafilatura.

On ../shared/data/extraction/scrapinghub (181 real pages, gold article bodies in ground-truth.json)
both extractors run in the same process over the same pages, already read into memory:

* ``trafilatura.extract(html)`` with its defaults: the baseline;
* claimgraph's :func:`claimgraph.ingest.html.read_html` (title, captions, metadata, language, id).

Quality is bag-of-words precision / recall / F1 of the extracted body against the gold
``articleBody``, micro-averaged over pages (a page with no output counts as zero recall). Speed is
pages per CPU-second over the whole set (process time, so that other jobs on a shared machine do
not count), after one warm-up page each; the extractors alternate over ``--passes`` passes and each
keeps its best, so lingua's first-use loading of a language's models counts as start-up, not as
per-page cost.

    python benchmarks/bench_extraction.py [--limit N] [--passes N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, emit, require  # noqa: E402

DATA = SHARED / "data" / "extraction" / "scrapinghub"
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in _WORD.findall(text or ""))


def load(limit: int | None) -> list[tuple[str, bytes, str]]:
    gold = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted((DATA / "html").glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        if key in gold:
            pages.append((key, gzip.decompress(path.read_bytes()), gold[key].get("articleBody") or ""))
        if limit and len(pages) >= limit:
            break
    return pages


def score(outputs: list[str], golds: list[str]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for out, gold in zip(outputs, golds, strict=True):
        o, g = words(out), words(gold)
        common = sum((o & g).values())
        tp += common
        fp += sum(o.values()) - common
        fn += sum(g.values()) - common
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--passes", type=int, default=2, help="timed passes per extractor (best is kept)")
    args = ap.parse_args()
    require(DATA / "ground-truth.json")

    import trafilatura

    from claimgraph.ingest import IngestOptions
    from claimgraph.ingest.html import read_html
    from claimgraph.models import Article
    from claimgraph.settings import Settings

    pages = load(args.limit)
    options, settings = IngestOptions(), Settings()

    def run_trafilatura() -> list[str]:
        return [trafilatura.extract(html) or "" for _, html, _ in pages]

    def run_claimgraph() -> list[str]:
        out = []
        for key, html, _ in pages:
            art = read_html(html, key, options, settings)
            out.append(art.text if isinstance(art, Article) else "")
        return out

    # Warm-up: first-use model loading is start-up cost, not per-page cost.
    trafilatura.extract(pages[0][1])
    read_html(pages[0][1], "warm-up", options, settings)

    results: dict[str, tuple[list[str], float]] = {}
    for _ in range(args.passes):
        for name, fn in (("trafilatura.extract", run_trafilatura), ("claimgraph read_html", run_claimgraph)):
            # CPU time of this process: on a shared machine, wall time would measure the neighbours.
            t0 = time.process_time()
            texts = fn()
            elapsed = time.process_time() - t0
            if name not in results or elapsed < results[name][1]:
                results[name] = (texts, elapsed)

    golds = [g for _, _, g in pages]
    print(f"{len(pages)} pages from {DATA}")
    print(f"{'extractor':24}{'P':>8}{'R':>8}{'F1':>8}{'pages/s':>10}")
    figures = {}
    for name, (texts, elapsed) in results.items():
        p, r, f = score(texts, golds)
        rate = len(pages) / elapsed if elapsed else 0.0
        figures[name] = {"p": p, "r": r, "f1": f, "pages_per_s": rate}
        print(f"{name:24}{p:8.3f}{r:8.3f}{f:8.3f}{rate:10.1f}")
    ours, base = figures["claimgraph read_html"], figures["trafilatura.extract"]
    speed = ours["pages_per_s"] / base["pages_per_s"] if base["pages_per_s"] else 0.0
    print(f"F1 difference {ours['f1'] - base['f1']:+.3f}; speed ratio {speed:.2f}x (target >= 0.8x)")
    emit({"pages": len(pages), **{k.split()[0]: v for k, v in figures.items()}, "speed_ratio": speed})
    return 0 if ours["f1"] >= base["f1"] and speed >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
