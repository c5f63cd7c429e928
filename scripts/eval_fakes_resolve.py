"""Measure the resolve stage on FA-KES (804 articles on the Syrian war, CC BY 4.0).

Two figures:
  * places: the share of articles whose `location` field (a Syrian governorate) is the
    governorate of the place resolved as the article's main event (Gazetteer.main_place);
    "damascus" also accepts Rif Dimashq, which FA-KES files under Damascus (Douma, Ghouta ...);
  * sources: the share of attribution sources (claims of the attribution stage) resolved to a
    registry entry: over all claims, over claims whose source is not a bare pronoun, and over named
    sources (anonymous, vague and group sources have no entry by nature; a pronoun the attribution
    tied to a source named before counts as named). "group_only" counts
    descriptors such as "Syrian state media" resolved to an owner group without an entry.

Usage:
    python scripts/eval_fakes_resolve.py [--csv ../shared/data/fa-kes/FA-KES-Dataset.csv]
        [--limit N] [--no-sources] [--show-misses 20]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from claimgraph.models import Article
from claimgraph.resolve import Resolver
from claimgraph.resolve.names import normalise, skeleton
from claimgraph.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "fa-kes" / "FA-KES-Dataset.csv"
UNNAMED_KINDS = {"anonymous", "vague", "group", "unknown"}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "his office", "her office"}


def read_fakes(path: Path, limit: int | None) -> list[tuple[Article, str]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                published = datetime.strptime(row["date"].strip(), "%m/%d/%Y").date().isoformat()
            except ValueError:
                published = None
            article = Article(id=f"fakes-{row['unit_id']}", title=row["article_title"].strip(),
                              text=row["article_content"].strip(), outlet=row["source"].strip(),
                              outlet_name=row["source"].strip(), published=published)
            rows.append((article, row["location"].strip()))
            if limit and len(rows) >= limit:
                break
    return rows


def _same_governorate(resolved: str | None, location: str) -> bool:
    if not resolved:
        return False
    accepted = {resolved} | ({"Damascus"} if resolved == "Rif Dimashq" else set())
    loc = normalise(location)
    return any(normalise(a) == loc or skeleton(normalise(a)) == skeleton(loc) for a in accepted)


def eval_places(resolver: Resolver, rows: list[tuple[Article, str]], show: int) -> dict:
    gaz = resolver.gazetteer
    hits, none, misses = 0, 0, []
    start = time.perf_counter()
    for article, location in rows:
        place = resolver.main_place(article)
        governorate = gaz.governorate(place) if place else None
        if place is None:
            none += 1
        if _same_governorate(governorate, location):
            hits += 1
        else:
            misses.append((article.id, location, place.name if place else None, governorate))
    elapsed = time.perf_counter() - start
    for m in misses[:show]:
        print("  miss:", m, file=sys.stderr)
    return {"articles": len(rows), "location_match": hits, "share": round(hits / max(len(rows), 1), 3),
            "no_place": none, "ms_per_article": round(1000 * elapsed / max(len(rows), 1), 2)}


def _attributed(articles: list[Article]):
    """(article, claims, doc) from the attribution stage; the rules alone when its trained
    weights are not built yet."""
    from claimgraph.attribute import Attributor, attribute_doc
    from claimgraph.errors import ModelError

    attributor = Attributor.from_settings(load_settings())
    try:
        _ = attributor.model
    except ModelError as exc:
        print(f"note: {exc}; measuring with the attribution rules only", file=sys.stderr)
        for article, doc in zip(articles, attributor.nlp.pipe([a.text for a in articles]), strict=True):
            yield article, attribute_doc(article, doc, None), doc
        return
    for article, claims, _status, doc in attributor.run(articles):
        yield article, claims, doc


def eval_sources(resolver: Resolver, rows: list[tuple[Article, str]], show: int) -> dict:
    total = named = resolved = named_resolved = grouped = pronouns = tied = tied_known = 0
    methods: Counter[str] = Counter()
    unresolved: Counter[str] = Counter()
    resolve_time = 0.0
    n_claims = 0
    for article, claims, doc in _attributed([a for a, _ in rows]):
        t = time.perf_counter()
        out = resolver.resolve(article, claims, doc)
        resolve_time += time.perf_counter() - t
        n_claims += len(out)
        for c, before in zip(out, claims, strict=True):
            total += 1
            # A pronoun needs coreference, which no registry can give; it is counted apart, unless
            # the attribution tied it to a source named before ("he" -> "Rami Abdel Rahman"):
            # then it is that source, and counts as named.
            is_pronoun = before.source.text.strip().lower() in PRONOUNS
            if is_pronoun and not before.source.name:
                pronouns += 1
                continue
            tied += is_pronoun
            # Resolve gives a tied pronoun no entry of its own (see resolve_ref); the link stage
            # finds the node of the name it stands for.
            tied_known += is_pronoun and resolver.registry.match(before.source.name or "") is not None
            is_named = is_pronoun or before.source.kind not in UNNAMED_KINDS
            named += is_named
            grouped += bool(c.source.group and not c.source.entity)
            if c.source.entity:
                resolved += 1
                named_resolved += is_named
                found = resolver.registry.explain(c.source.text)
                methods[found.method if found else "refers back"] += 1
            elif is_named:
                unresolved[c.source.name if is_pronoun else c.source.text] += 1
    for text, n in unresolved.most_common(show):
        print(f"  unresolved named source ({n}x): {text}", file=sys.stderr)
    return {
        "claims": total, "pronoun_sources": pronouns, "pronouns_tied_to_a_name": tied,
        "tied_names_in_registry": tied_known, "resolved": resolved,
        "share": round(resolved / max(total, 1), 3),
        "share_without_pronouns": round(resolved / max(total - pronouns, 1), 3),
        "group_only": grouped,
        "named_sources": named, "named_resolved": named_resolved,
        "named_share": round(named_resolved / max(named, 1), 3), "methods": dict(methods),
        "resolve_ms_per_claim": round(1000 * resolve_time / max(n_claims, 1), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-sources", action="store_true", help="Skip the attribution run (places only).")
    parser.add_argument("--show-misses", type=int, default=0, help="Print this many misses to stderr.")
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        print(f"{args.csv}: not found - pass --csv with FA-KES-Dataset.csv", file=sys.stderr)
        return 2
    rows = read_fakes(args.csv, args.limit)
    resolver = Resolver.from_settings(load_settings())
    print("places:", eval_places(resolver, rows, args.show_misses))
    if not args.no_sources:
        print("sources:", eval_sources(resolver, rows, args.show_misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
