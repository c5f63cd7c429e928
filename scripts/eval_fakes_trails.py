"""Trails on FA-KES: pairwise precision / recall / F1 of "same trail" against incidents.

FA-KES (../shared/data/fa-kes/FA-KES-Dataset.csv, CC BY 4.0) gives 804 articles on the Syrian war from
15 outlets, each with the date and location of the incident it reports; articles sharing both report
one incident. That grouping is the reference.

Until the attribution and resolve stages run here, each article stands for one claim: its title and
first sentence, asserted by its outlet, published on the incident date, at the incident's location.
Because date and location are also inputs, a second run (``content-only``) hides the location and
gives every claim the same day, so that only the wording links claims: the honest measure of the
matcher itself.

A third mode (``--pipeline``) runs the real pipeline: the rows are written as JSON Lines (title,
body, outlet, published = the incident date), ingested, attributed, resolved and linked on a
temporary SQLite store, exactly as ``claimgraph ingest`` would. An article then holds several
claims, in one or more trails; its **main trail** is the trail holding most of its claims (ties:
the one of those trails that holds most articles, then the trail of its earliest claim; an article
with no claim is a trail of its own). Two articles
are "same trail" when their main trails are one. Pairwise P/R/F1 are scored on that.

Each mode also scores the two halves of the incidents apart (numbered in date, location order, even
and odd): parameters are chosen on the even half, and the odd half tells whether they carry over.

    python scripts/eval_fakes_trails.py [--csv PATH] [--sweep]
    python scripts/eval_fakes_trails.py --pipeline [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import resource
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from claimgraph.link import LinkParams, build_trails
from claimgraph.models import Claim, DateRef, EntityRef, Place, Trail

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "fa-kes" / "FA-KES-Dataset.csv"
# Leads start with a dateline the scraper kept ("Wed 05 Apr 2017", "Date of publication 7 April 2016",
# "07.04.2017(updated 1404 07.04.2017) Get short URL", "Posted on April 19 2017 by ..."): not content.
_DATELINE = re.compile(
    r"^\s*(?:(?:date of publication|published|posted on|last updated)\s*:?\s*)?"
    r"(?:\w{3,9},?\s+)?(?:\d{1,2}\s+\w{3,9}|\w{3,9}\s+\d{1,2})\s+\d{4}\s*(?:by\s+[^.]*?\s{2,})?"
    r"|^\s*\d{2}[.-]\d{2}[.-]\d{4}\s*(?:\(updated[^)]*\))?\s*(?:get short url)?\s*",
    re.IGNORECASE,
)


def first_sentence(text: str) -> str:
    text = _DATELINE.sub("", text, count=1)
    m = re.search(r"(?<=[.!?])\s+(?=[A-Z\"“])", text)
    return (text[: m.start()] if m else text)[:400]


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        return list(csv.DictReader(fh))


def to_claims(rows: list[dict[str, str]], content_only: bool = False) -> tuple[list[Claim], dict[str, tuple[str, str]]]:
    claims, truth = [], {}
    for k, row in enumerate(rows):
        try:
            day = dt.datetime.strptime(row["date"].strip(), "%m/%d/%Y").date().isoformat()
        except ValueError:
            print(f"row {k + 2}: unreadable date {row['date']!r}; skipped", file=sys.stderr)
            continue
        outlet = row["source"].strip().lower()
        title = row["article_title"].strip()
        lead = first_sentence(row["article_content"])
        content = title if lead.lower().startswith(title.lower()[:40]) else f"{title}. {lead}"
        source = EntityRef(outlet, "outlet", entity=outlet, name=outlet, group=outlet)
        aid = f"fakes{row['unit_id']}"
        location = row["location"].strip().lower()
        claims.append(Claim(
            id=f"{aid}:1", article_id=aid, n=1, sentence=content, sentence_span=(0, len(content)),
            source=source, cue="reported", content=content, outlet=outlet,
            published="2017-01-01" if content_only else day, publisher=outlet,
            places=() if content_only else (Place(location),),
            # FA-KES's date is the incident's: what resolve would give as the event date.
            event_date=None if content_only else DateRef(day, "day"),
        ))
        truth[f"{aid}:1"] = (day, location)
    return claims, truth


def pairwise(pred: dict[str, str], truth: dict[str, tuple[str, str]]) -> tuple[float, float, float]:
    def pairs(counter: Counter) -> int:
        return sum(v * (v - 1) // 2 for v in counter.values())

    ids = list(truth)
    both = pairs(Counter((pred[c], truth[c]) for c in ids))
    p_pairs, t_pairs = pairs(Counter(pred[c] for c in ids)), pairs(Counter(truth[c] for c in ids))
    p = both / p_pairs if p_pairs else 1.0
    r = both / t_pairs if t_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def halves(pred: dict[str, str], truth: dict[str, tuple[str, str]]) -> dict[str, float]:
    """Pairwise F1 on each half of the incidents (numbered in date, location order; even and odd):
    thresholds are chosen on the even half, the odd half is the check."""
    number = {g: k for k, g in enumerate(sorted(set(truth.values())))}
    out = {}
    for name, parity in (("even", 0), ("odd", 1)):
        part = {c: g for c, g in truth.items() if number[g] % 2 == parity}
        out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f1"] = pairwise({c: pred[c] for c in part}, part)
    return out


def _halves_line(m: dict[str, float]) -> str:
    return " | ".join(f"{h} P {m[h + '_p']:.3f} R {m[h + '_r']:.3f} F1 {m[h + '_f1']:.3f}" for h in ("even", "odd"))


def run(rows: list[dict[str, str]], params: LinkParams, content_only: bool) -> dict[str, float]:
    claims, truth = to_claims(rows, content_only)
    start = time.perf_counter()
    trails, _ = build_trails(claims, (), (), params)
    seconds = time.perf_counter() - start
    pred = {c: t.id for t in trails for c in t.claim_ids}
    p, r, f = pairwise(pred, truth)
    multi = [t for t in trails if len(t.article_ids) > 1]
    return {
        "precision": p, "recall": r, "f1": f, "trails": len(trails), "multi": len(multi),
        "outlets_per_trail": sum(len(t.outlets) for t in trails) / max(1, len(trails)),
        "outlets_per_multi": sum(len(t.outlets) for t in multi) / max(1, len(multi)),
        "seconds": seconds, "gold_groups": len(set(truth.values())), **halves(pred, truth),
    }


def _day(row: dict[str, str]) -> str | None:
    try:
        return dt.datetime.strptime(row["date"].strip(), "%m/%d/%Y").date().isoformat()
    except ValueError:
        return None


def main_trails(claims: list[Claim], trails: list[Trail]) -> dict[str, str]:
    """Each article's main trail: the one holding most of its claims (members or denials), ties
    broken by the trail's number of articles, then by the trail of its earliest claim."""
    trail_of = {c: t.id for t in trails for c in (*t.claim_ids, *t.denials)}
    size = {t.id: len(t.article_ids) for t in trails}
    per: dict[str, list[Claim]] = {}
    for c in claims:
        per.setdefault(c.article_id, []).append(c)
    out: dict[str, str] = {}
    for aid, own in per.items():
        own.sort(key=lambda c: c.n)
        votes = Counter(trail_of[c.id] for c in own if c.id in trail_of)
        if not votes:
            continue
        top = max(votes.values())
        tied = [trail_of[c.id] for c in own if votes.get(trail_of.get(c.id, ""), 0) == top]
        # Ties (one claim in each of several trails): the trail shared with most other articles,
        # then the one of the earliest claim.
        best = max(size.get(k, 0) for k in tied)
        out[aid] = next(k for k in tied if size.get(k, 0) == best)
    return out


def run_pipeline(rows: list[dict[str, str]], keep: Path | None = None) -> dict[str, float]:
    """Ingest, attribute, resolve and link the rows on a temporary store; score main trails."""
    import json
    import tempfile

    from claimgraph import IngestOptions, load_settings
    from claimgraph import run as run_all
    from claimgraph.store import open_store

    truth: dict[str, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fakes.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for k, row in enumerate(rows):
                day = _day(row)
                if day is None:
                    print(f"row {k + 2}: unreadable date {row['date']!r}; skipped", file=sys.stderr)
                    continue
                aid = f"fakes{row['unit_id']}"
                truth[aid] = (day, row["location"].strip().lower())
                fh.write(json.dumps({"id": aid, "title": row["article_title"].strip(),
                                     "text": row["article_content"], "outlet": row["source"].strip().lower(),
                                     "published": day}) + "\n")
        if keep is not None:
            keep.unlink(missing_ok=True)
        settings = load_settings(db=str(keep or Path(tmp) / "fakes.db"))
        errors: list[str] = []
        start = time.perf_counter()
        summary = run_all([str(path)], IngestOptions(fmt="jsonl"), settings, on_error=errors.append)
        seconds = time.perf_counter() - start
        store = open_store(settings)
        try:
            articles = {a.id: a for a in store.iter_articles()}
            claims = list(store.iter_claims())
            trails = list(store.iter_trails())
        finally:
            store.close()
    m = _score_store(claims, trails, truth, set(articles))
    return {**m, "seconds": seconds, "link_seconds": getattr(summary.link, "seconds", float("nan")),
            "errors": len(errors)}


def _score_store(claims: list[Claim], trails: list[Trail], truth: dict[str, tuple[str, str]],
                 articles: set[str]) -> dict[str, float]:
    main = main_trails(claims, trails)
    # Every stored article is scored (one with no claim is a trail of its own); a row ingest
    # refused (no text) or dropped as a duplicate is not.
    pred = {aid: main.get(aid, f"alone:{aid}") for aid in truth if aid in articles}
    scored = {a: truth[a] for a in pred}
    p, r, f = pairwise(pred, scored)
    multi = [t for t in trails if len(t.article_ids) > 1]
    return {
        "precision": p, "recall": r, "f1": f, "trails": len(trails), "multi": len(multi),
        "outlets_per_trail": sum(len(t.outlets) for t in trails) / max(1, len(trails)),
        "outlets_per_multi": sum(len(t.outlets) for t in multi) / max(1, len(multi)),
        "gold_groups": len(set(scored.values())), "articles": len(scored), "claims": len(claims),
        "with_claims": len(main), "main_trails": len(set(main.values())), **halves(pred, scored),
    }


def _truth(rows: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    return {f"fakes{row['unit_id']}": (day, row["location"].strip().lower())
            for row in rows if (day := _day(row)) is not None}


def relink(rows: list[dict[str, str]], db: Path, params: LinkParams) -> dict[str, float]:
    """Link the claims of a store kept by ``--pipeline --keep`` afresh (attribution and resolve are
    not run again): the quick loop for the link stage's own changes. Scored as ``--pipeline``."""
    from claimgraph import load_settings
    from claimgraph.store import open_store

    store = open_store(load_settings(db=str(db)))
    try:
        articles = {a.id: a for a in store.iter_articles()}
        claims = list(store.iter_claims())
    finally:
        store.close()
    start = time.perf_counter()
    trails, _ = build_trails(claims, articles, (), params)
    m = _score_store(claims, trails, _truth(rows), set(articles))
    m["link_seconds"] = time.perf_counter() - start
    return m


def incremental(db: Path, new: int, rows: list[dict[str, str]] | None = None) -> None:
    """Time ``link_store`` when ``new`` articles arrive in a linked store: a copy of the store kept
    by ``--pipeline --keep`` loses the trails' hold on the last ``new`` articles' claims (as if they
    had just been attributed), then is linked again; a full relink of the same copy is timed too.
    With ``rows`` (the FA-KES CSV), both results are scored as ``--pipeline``: an incremental run
    reads only the trails the new claims can reach, so it should score about as a full link does."""
    import shutil
    import tempfile
    from dataclasses import replace as dc_replace

    from claimgraph import load_settings
    from claimgraph.link import link_store
    from claimgraph.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "fakes.db"
        shutil.copy(db, copy)
        settings = load_settings(db=str(copy))
        store = open_store(settings)
        try:
            last = sorted(store.iter_articles(), key=lambda a: (a.published or "", a.id))[-new:]
            gone = {c.id for a in last for c in store.iter_claims() if c.article_id == a.id}
            changed, emptied = [], []
            for t in store.iter_trails():
                keep = tuple(c for c in t.claim_ids if c not in gone)
                deny = tuple(c for c in t.denials if c not in gone)
                if (keep, deny) == (t.claim_ids, t.denials):
                    continue
                (changed if keep or deny else emptied).append(dc_replace(t, claim_ids=keep, denials=deny))
            store.replace_trails(changed)
            store.delete_trails([t.id for t in emptied])
            report = link_store(store, settings)
            print(f"incremental: {len(last)} articles ({len(gone)} claims) added to a linked store: {report.line()}")
            _print_score(store, rows)
            again = link_store(store, settings)
            print(f"nothing new: {again.line()}")
            full = link_store(store, settings, rebuild=True)
            print(f"full relink: {full.line()}")
            _print_score(store, rows)
        finally:
            store.close()


def _print_score(store: Any, rows: list[dict[str, str]] | None) -> None:
    if rows is None:
        return
    articles = {a.id for a in store.iter_articles()}
    m = _score_store(list(store.iter_claims()), list(store.iter_trails()), _truth(rows), articles)
    print(f"{'':13}P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} | {m['trails']} trails "
          f"({m['multi']} with 2+ articles) | {_halves_line(m)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--sweep", action="store_true", help="also try merge thresholds 0.3-0.7")
    ap.add_argument("--pipeline", action="store_true",
                    help="also run the real pipeline (ingest, attribute, resolve, link) and score main trails")
    ap.add_argument("--limit", type=int, default=None, help="only the first N rows (a quick look)")
    ap.add_argument("--keep", type=Path, default=None, help="with --pipeline: keep the SQLite store here")
    ap.add_argument("--relink", type=Path, default=None,
                    help="link afresh the claims of a store kept with --keep, score it, and stop")
    ap.add_argument("--incremental", type=Path, default=None,
                    help="time linking new articles (--new) into a store kept with --keep, score the "
                         "result when the CSV is found, and stop")
    ap.add_argument("--new", type=int, default=10, help="with --incremental: how many articles arrive")
    args = ap.parse_args()
    if args.incremental:
        incremental(args.incremental, args.new, load(args.csv)[: args.limit] if args.csv.is_file() else None)
        return
    if not args.csv.is_file():
        sys.exit(f"{args.csv}: not found; pass --csv with the FA-KES CSV (../shared/data/fa-kes)")
    rows = load(args.csv)[: args.limit]
    if args.relink:
        m = relink(rows, args.relink, LinkParams())
        print(f"{'relinked store':22} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} | "
              f"{m['trails']} trails ({m['multi']} with 2+ articles; {m['main_trails']} main trails), "
              f"{m['outlets_per_trail']:.2f} outlets/trail ({m['outlets_per_multi']:.2f} in 2+), "
              f"link {m['link_seconds']:.2f}s")
        print(f"{'':22} {_halves_line(m)}")
        return
    if args.pipeline:
        m = run_pipeline(rows, args.keep)
        print(f"{'pipeline (main trail)':22} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} | "
              f"{m['articles']} articles ({m['with_claims']} with claims, {m['claims']} claims), "
              f"{m['trails']} trails ({m['multi']} with 2+ articles; {m['main_trails']} main trails; "
              f"gold {m['gold_groups']} incidents), {m['outlets_per_trail']:.2f} outlets/trail "
              f"({m['outlets_per_multi']:.2f} in 2+), {m['seconds']:.0f}s in all, link {m['link_seconds']:.2f}s, "
              f"{m['errors']} error lines")
        print(f"{'':22} {_halves_line(m)}")
    base = LinkParams()
    for label, content_only in (("date+location+content", False), ("content-only", True)):
        m = run(rows, base, content_only)
        print(f"{label:22} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} | "
              f"{m['trails']} trails ({m['multi']} with 2+ articles; gold {m['gold_groups']} incidents), "
              f"{m['outlets_per_trail']:.2f} outlets/trail ({m['outlets_per_multi']:.2f} in 2+), "
              f"{m['seconds']:.2f}s")
        print(f"{'':22} {_halves_line(m)}")
        if args.sweep:
            for merge in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
                for min_content in (0.1, 0.2, 0.3):
                    s = run(rows, replace(base, merge=merge, min_content=min_content), content_only)
                    print(f"   merge {merge:.2f} min_content {min_content:.1f}: P {s['precision']:.3f} "
                          f"R {s['recall']:.3f} F1 {s['f1']:.3f} trails {s['trails']}")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB ({len(rows)} articles)")


if __name__ == "__main__":
    main()
