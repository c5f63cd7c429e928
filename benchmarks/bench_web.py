"""Page times of the web UI on a synthetic 100k-article SQLite database (target: p95 under 200 ms).

The database is generated once (fictional outlets, sources and places, two claims per article, trails
of 1-40 articles) and kept in ``.cache/`` for the next run. Pages are requested in-process through
the ASGI app, so the figures are the server's own time (routing, store queries, templates), without
the network. Every page is fetched ``--repeat`` times with varying ids/words; p50 and p95 per page.

    python benchmarks/bench_web.py [--articles 100000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, emit  # noqa: E402

TARGET_MS = 200.0
OUTLETS = [f"outlet{i:02d}.example" for i in range(40)]
GROUPS = [f"Group {i}" for i in range(12)]
SOURCES = [f"src{i:03d}" for i in range(300)]
PLACES = [("Aleppo", 36.2, 37.16, "SY"), ("Homs", 34.73, 36.71, "SY"), ("Idlib", 35.93, 36.63, "SY"),
          ("Raqqa", 35.95, 39.01, "SY"), ("Mosul", 36.34, 43.13, "IQ"), ("Tartus", 34.89, 35.89, "SY")]
WORDS = ("convoy ministry shelling ceasefire talks aid hospital bridge airport election protest border "
         "refugees drone pipeline harbour governor monitor council militia").split()


def build(path: Path, n_articles: int, seed: int = 7) -> None:
    from claimgraph.models import Article, Citation, Claim, DateRef, EntityRef, Place, Trail, TrailOrigin
    from claimgraph.store.sqlite import SQLiteStore

    rng = random.Random(seed)
    store = SQLiteStore(str(path))
    t0 = time.perf_counter()
    trails: list[Trail] = []
    aid = 0
    batch: list[Article] = []
    pending: list[tuple[str, list[Claim]]] = []

    def flush() -> None:
        store.add_articles(batch)
        for article_id, claims in pending:
            store.replace_claims(article_id, claims, "attributed")
        batch.clear()
        pending.clear()

    while aid < n_articles:
        size = min(n_articles - aid, max(1, int(rng.paretovariate(1.3))) if rng.random() < 0.9 else 40)
        size = min(size, 40)
        tid = f"t{len(trails):06d}"
        topic = rng.sample(WORDS, 3)
        origin_src = rng.choice(SOURCES)
        place = rng.choice(PLACES)
        day0 = rng.randrange(0, 2500)
        art_ids, claim_ids, outlets = [], [], []
        for k in range(size):
            outlet = rng.choice(OUTLETS)
            day = day0 + k // 3
            published = f"{2018 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + day % 28:02d}"
            a_id = f"a{aid:07d}"
            aid += 1
            s1 = f"Officials of {origin_src} said that the {topic[0]} near {place[0]} was hit on {published}."
            s2 = f"A {topic[1]} spokesman denied the report about the {topic[2]}, local sources told {outlet}."
            filler = " ".join(rng.choice(WORDS) for _ in range(60))
            text = f"{s1}\n\n{s2}\n\n{filler}."
            batch.append(Article(a_id, f"{topic[0].title()} {topic[1]} in {place[0]} ({k})", text,
                                 f"https://{outlet}/{a_id}", outlet, outlet.split(".")[0].title(), published,
                                 "en", fmt="html", origin=f"synthetic/{a_id}"))
            src = EntityRef(f"Officials of {origin_src}", "government", ((0, 13 + len(origin_src)),),
                            origin_src, origin_src.upper(), rng.choice(GROUPS), place[3])
            channel = EntityRef(outlet, "outlet", (), outlet.split(".")[0], outlet, GROUPS[hash(outlet) % 12])
            pl = Place(place[0], None, place[3], place[1], place[2], place[0])
            c1 = Claim(f"{a_id}:1", a_id, 1, s1, (0, len(s1)), src, "said", s1[len(src.text) + 11:-1],
                       src.spans, ((len(src.text) + 1, len(src.text) + 5),),
                       ((len(src.text) + 11, len(s1) - 1),), None, (src,), "indirect", "assert",
                       outlet=outlet, published=published, origin=src, publisher=outlet,
                       said_on=DateRef(published, "day"), places=(pl,))
            off = len(s1) + 2
            at = off + s2.index("local sources")
            who = EntityRef("local sources", "anonymous", ((at, at + 13),))
            cue_at = off + s2.index("denied")
            c2 = Claim(f"{a_id}:2", a_id, 2, s2, (off, off + len(s2)), who, "denied",
                       f"the report about the {topic[2]}", who.spans, ((cue_at, cue_at + 6),),
                       ((cue_at + 7, cue_at + 28 + len(topic[2])),), channel, (who, channel), "indirect",
                       "deny", outlet=outlet, published=published, origin=who, publisher=outlet)
            pending.append((a_id, [c1, c2]))
            art_ids.append(a_id)
            claim_ids += [c1.id, c2.id]
            outlets.append(outlet)
            if len(batch) >= 500:
                flush()
        first = outlets[0]
        trails.append(Trail(
            tid, f"The {topic[0]} near {place[0]} was hit", tuple(claim_ids), tuple(art_ids),
            tuple(dict.fromkeys(outlets)), None, None,
            TrailOrigin(f"Officials of {origin_src}", origin_src, None, None, art_ids[0]),
            tuple(Citation(o, first, "relays") for o in dict.fromkeys(outlets[1:]) if o != first)
            + (Citation(first, origin_src, "cites"),),
            denials=tuple(c for c in claim_ids if c.endswith(":2"))[:5],
            related=(f"t{max(0, len(trails) - 1):06d}",),
        ))
    flush()
    # first/last seen from the articles' dates (the synthetic loop knows them only as it goes)
    dates = {a.id: a.published for a in store.iter_articles()}
    fixed = []
    for t in trails:
        days = sorted(d for d in (dates.get(a) for a in t.article_ids) if d)
        fixed.append(Trail(t.id, t.summary, t.claim_ids, t.article_ids, t.outlets, days[0] if days else None,
                           days[-1] if days else None, t.origin, t.citations, denials=t.denials,
                           related=t.related))
    for i in range(0, len(fixed), 2000):
        store.replace_trails(fixed[i:i + 2000])
    store.close()
    print(f"built {n_articles} articles, {len(trails)} trails in {time.perf_counter() - t0:.0f}s -> {path}")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args(argv)
    cache = ROOT / ".cache"
    cache.mkdir(exist_ok=True)
    db = cache / f"bench_web_{args.articles}.db"
    if not db.exists():
        tmp = db.with_suffix(".part")
        for p in cache.glob(tmp.name + "*"):
            p.unlink()
        build(tmp, args.articles)
        tmp.rename(db)

    from claimgraph.settings import Settings
    from claimgraph.store.sqlite import SQLiteStore
    from claimgraph.web import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    store = SQLiteStore(str(db))
    big = next(store.iter_trails(limit=1, order="size"))
    n_trails = store.count_trails()
    rng = random.Random(1)

    def trail_id() -> str:
        return big.id if rng.random() < 0.3 else f"t{rng.randrange(n_trails):06d}"

    def article_id() -> str:
        return f"a{rng.randrange(args.articles):07d}"

    pages = {
        "home": lambda: "/",
        "search words": lambda: f"/search?q={rng.choice(WORDS)}+{rng.choice(WORDS)}",
        "search filters": lambda: f"/search?outlet={rng.choice(OUTLETS)}&stance=deny&date_from=2019-01-01",
        "search deep page": lambda: f"/search?q={rng.choice(WORDS)}&page={rng.randrange(50, 400)}",
        "search articles": lambda: f"/search?q={rng.choice(WORDS)}&kind=articles",
        "search place": lambda: f"/search?place={rng.choice(PLACES)[0]}&kind=claims",
        "trail": lambda: f"/trails/{trail_id()}",
        "trail.json": lambda: f"/trails/{trail_id()}.json",
        "article": lambda: f"/articles/{article_id()}",
        "claim": lambda: f"/claims/{article_id()}:1",
        "source": lambda: f"/sources/{rng.choice(SOURCES)}",
        "outlet source": lambda: f"/sources/{rng.choice(OUTLETS).split('.')[0]}",
    }
    app = create_app(Settings(db=str(db)), store_factory=lambda: store)
    results = {}
    worst = 0.0
    with TestClient(app) as client:
        client.get("/")  # warm the page cache and templates once
        for name, make in pages.items():
            times = []
            for _ in range(args.repeat):
                url = make()
                t0 = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:
                    print(f"  {url}: HTTP {r.status_code}")
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            results[name] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1)}
            worst = max(worst, p95)
            flag = "" if p95 < TARGET_MS else "  <-- over target"
            print(f"{name:18s} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms{flag}", flush=True)
    store.close()
    print(f"worst p95 {worst:.1f} ms (target {TARGET_MS:.0f} ms) on {args.articles} articles, "
          f"{n_trails} trails; largest trail {len(big.article_ids)} articles")
    emit({"bench": "web", "articles": args.articles, "worst_p95_ms": round(worst, 1), "pages": results,
          "ok": worst < TARGET_MS})
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
