"""Scale benchmark of the link stage: 10k, 100k and 1M synthetic claims.

Claims are made from templates: invented events (an actor, a place, a count, a day) each reported by
one to a dozen outlets in paraphrase, some relayed through an agency, some reprinted word for word,
a few denied. Each size runs in a fresh process so that its peak memory (max RSS) is its own.

    python benchmarks/bench_link.py                 # 10k, 100k, 1M
    python benchmarks/bench_link.py --sizes 10000 100000

Prints, per size, the CPU time of claim generation alone and of generation + linking, the link time,
trails, pairwise precision/recall against the generating events, and peak memory; then the growth
exponent of link time between consecutive sizes (target <= 1.15).

    python benchmarks/bench_link.py --incremental --sizes 10000 100000

stores the claims in a temporary SQLite store instead, links all but the ``--new`` newest articles
(10), then times ``link_store`` when those arrive, against a full relink of the same store: an
incremental run should cost about the same at every size, so the ratio falls as the store grows.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping

from claimgraph.models import Article, Claim, DateRef, EntityRef, Place

_SYL = ["ka", "lo", "mer", "din", "sa", "ru", "vel", "to", "na", "bri", "gor", "al", "zen", "fa", "qu",
        "ost", "lin", "pa", "dor", "mi", "hes", "ta", "bel", "un"]
VICTIMS = ["civilians", "soldiers", "fighters", "workers", "students", "protesters", "farmers",
           "officers", "journalists", "miners", "passengers", "volunteers"]
VERBS = [("killed", "died"), ("injured", "were hurt"), ("arrested", "were detained"),
         ("evacuated", "were moved out"), ("displaced", "fled"), ("rescued", "were saved")]
MEANS = ["an airstrike", "heavy shelling", "a car bomb", "a night raid", "a flash flood", "a fire",
         "a landslide", "a bridge collapse", "a drone attack", "clashes"]
FILLERS = ["on Tuesday", "late on Sunday", "near the central market", "according to officials",
           "in the early hours", "close to the northern checkpoint", "", "", ""]
TEMPLATES = [
    "{actor} said {n} {victims} were {verb} in {means} on {place}",
    "{n} {victims} {alt} after {means} hit {place}, {actor} reported {filler}",
    "{means} in {place} left {n} {victims} {verb} {filler}",
    "{actor} announced that {means} {filler} had {verb} {n} {victims} in {place}",
]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYL) for _ in range(parts)).capitalize()


class World:
    def __init__(self, seed: int = 11) -> None:
        rng = random.Random(seed)
        self.places = [Place(_name(rng, 3), 10_000 + k, "XX") for k in range(3000)]
        self.actors = [
            EntityRef(f"the {_name(rng, 2)} {rng.choice(['ministry', 'police', 'council', 'army', 'monitor'])}",
                      "government", entity=f"actor-{k}", name=None, group=f"group-{k % 120}")
            for k in range(600)
        ]
        self.agencies = [EntityRef(f"{_name(rng, 2)} Agency", "outlet", entity=f"agency-{k}",
                                   group=f"media-{k % 10}") for k in range(30)]
        self.outlets = [f"{_name(rng, 2).lower()}-news.example" for k in range(400)]
        self.witnesses = EntityRef("local sources", "anonymous")


def generate(n: int, seed: int = 5) -> tuple[Iterator[Claim], dict[str, str], dict[str, int]]:
    """A stream of about ``n`` claims, the reprint map (article -> original) and the generating
    event of every claim (the ground truth for pairwise precision/recall)."""
    world = World()
    rng = random.Random(seed)
    reprints: dict[str, str] = {}
    truth: dict[str, int] = {}
    day0 = 738000  # an ordinal in 2021; events spread over three years

    def stream() -> Iterator[Claim]:
        made = 0
        event = 0
        while made < n:
            event += 1
            day = day0 + rng.randrange(3 * 365)
            actor = rng.choice(world.actors)
            place = rng.choice(world.places)
            slots = {"actor": actor.text, "n": str(rng.randint(3, 400)), "victims": rng.choice(VICTIMS),
                     "means": rng.choice(MEANS), "place": place.name}
            verb, alt = rng.choice(VERBS)
            event_date = DateRef(_iso(day), "day")
            via = rng.choice(world.agencies) if rng.random() < 0.3 else None
            origin = world.witnesses if via and rng.random() < 0.5 else actor
            reports = min(12, 1 + int(rng.expovariate(1 / 3)))
            first_article = None
            for r in range(reports):
                if made >= n:
                    break
                aid = f"a{made}"
                outlet = rng.choice(world.outlets)
                if first_article and rng.random() < 0.15:
                    reprints[aid] = first_article[0]
                    content = first_article[1]
                else:
                    content = rng.choice(TEMPLATES).format(verb=verb, alt=alt, filler=rng.choice(FILLERS),
                                                           **slots)
                chain = (origin, via) if via else (origin,)
                published = _iso(day + min(r, rng.randint(0, 3)))
                claim = Claim(
                    id=f"{aid}:1", article_id=aid, n=1, sentence=content, sentence_span=(0, len(content)),
                    source=origin, cue="said", content=content, channel=via, chain=chain,
                    outlet=outlet, published=published, publisher=outlet, event_date=event_date,
                    places=(place,),
                )
                first_article = first_article or (aid, content)
                truth[claim.id] = event
                made += 1
                yield claim
            if rng.random() < 0.05 and made < n:
                aid = f"a{made}"
                text = f"{rng.choice(world.actors).text} denied that any {slots['victims']} were {verb} in {place.name}"
                claim = Claim(
                    id=f"{aid}:1", article_id=aid, n=1, sentence=text, sentence_span=(0, len(text)),
                    source=actor, cue="denied", content=text, stance="deny", outlet=rng.choice(world.outlets),
                    published=_iso(day + 2), places=(place,),
                )
                made += 1
                yield claim

    return stream(), reprints, truth


def _iso(day: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(day).isoformat()


class _Reprints(Mapping[str, Article]):
    """Articles as build_trails needs them (only ``reprint_of``), without a million objects."""

    def __init__(self, reprints: dict[str, str]) -> None:
        self._r = reprints

    def __getitem__(self, key: str) -> Article:
        if key not in self._r:
            raise KeyError(key)
        return Article(id=key, title="", text="", reprint_of=self._r[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._r)

    def __len__(self) -> int:
        return len(self._r)


def pairwise(pred: dict[str, str], truth: dict[str, int]) -> tuple[float, float]:
    """Pairwise precision and recall of "same trail" (counted from cluster sizes, linear time)."""
    def pairs(counter: Counter) -> int:
        return sum(v * (v - 1) // 2 for v in counter.values())

    ids = [c for c in truth if c in pred]
    both = pairs(Counter((pred[c], truth[c]) for c in ids))
    p_pairs = pairs(Counter(pred[c] for c in ids))
    t_pairs = pairs(Counter(truth[c] for c in ids))
    return (both / p_pairs if p_pairs else 1.0), (both / t_pairs if t_pairs else 1.0)


def run_one(n: int) -> dict[str, float]:
    from claimgraph.link import build_trails

    warm, warm_r, _ = generate(200, seed=1)  # imports (datasketch, rapidfuzz) are not linking
    build_trails(warm, _Reprints(warm_r))
    # CPU time, not wall time: the machine is shared, and waiting for a core is not linking.
    start = time.process_time()
    stream, _, _ = generate(n)
    for _ in stream:
        pass
    gen = time.process_time() - start
    stream, reprints, truth = generate(n)
    start, wall = time.process_time(), time.perf_counter()
    trails, _ = build_trails(stream, _Reprints(reprints))
    total = time.process_time() - start
    wall = time.perf_counter() - wall
    pred = {c: t.id for t in trails for c in t.claim_ids}
    precision, recall = pairwise(pred, truth)
    return {
        "claims": n, "generate_s": round(gen, 2), "total_s": round(total, 2),
        "link_s": round(max(total - gen, 1e-3), 2), "wall_s": round(wall, 2), "trails": len(trails),
        "precision": round(precision, 3), "recall": round(recall, 3),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_incremental(n: int, new: int) -> dict[str, float]:
    """Link ``n`` claims in a SQLite store but for the ``new`` newest articles, then time adding those
    (CPU seconds of ``link_store``) and a full relink of the same store."""
    import tempfile

    from claimgraph.link import link_store
    from claimgraph.store.sqlite import SQLiteStore

    stream, reprints, _ = generate(n)
    by_article: dict[str, list[Claim]] = {}
    for c in stream:
        by_article.setdefault(c.article_id, []).append(c)
    order = sorted(by_article, key=lambda a: (by_article[a][0].published or "", a))
    late = set(order[-new:])
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(f"{tmp}/bench.db")
        try:
            def add(ids: list[str]) -> None:
                store.add_articles([Article(id=a, title="", text="", outlet=by_article[a][0].outlet,
                                            published=by_article[a][0].published, reprint_of=reprints.get(a))
                                    for a in ids])
                for a in ids:
                    store.replace_claims(a, by_article[a], "attributed")

            add([a for a in order if a not in late])
            link_store(store)
            add([a for a in order if a in late])
            start = time.process_time()
            report = link_store(store)
            inc = time.process_time() - start
            start = time.process_time()
            link_store(store, rebuild=True)
            full = time.process_time() - start
        finally:
            store.close()
    return {"claims": n, "new_claims": report.new_claims, "read": report.claims,
            "incremental_s": round(inc, 3), "full_s": round(full, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size, JSON out
    ap.add_argument("--incremental", action="store_true", help="time adding --new articles to a linked store")
    ap.add_argument("--new", type=int, default=10)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_incremental(args.one, args.new) if args.incremental else run_one(args.one)))
        return
    if args.incremental:
        for n in args.sizes:
            out = subprocess.run([sys.executable, __file__, "--one", str(n), "--incremental", "--new",
                                  str(args.new)], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{n:>9,} claims: {r['new_claims']} new claims linked in {r['incremental_s']:.2f}s CPU "
                  f"({r['read']:,} claims read); full relink {r['full_s']:.2f}s; "
                  f"incremental/full {r['incremental_s'] / max(r['full_s'], 1e-9):.3f}", flush=True)
        return
    results = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True,
                             check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"{n:>9,} claims: link {r['link_s']:>7.2f}s CPU (generation {r['generate_s']:.2f}s apart; "
              f"wall {r['wall_s']:.1f}s), "
              f"{r['trails']:,} trails, P {r['precision']:.3f} R {r['recall']:.3f}, "
              f"peak {r['peak_mb']:,.0f} MB", flush=True)
    for a, b in zip(results, results[1:], strict=False):
        k = math.log(b["link_s"] / a["link_s"]) / math.log(b["claims"] / a["claims"])
        print(f"growth exponent {a['claims']:,} -> {b['claims']:,}: {k:.2f} (target <= 1.15)")


if __name__ == "__main__":
    main()
