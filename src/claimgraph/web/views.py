"""What each page shows, as one JSON-ready dict built from the store.

The HTML template and the ``.json`` twin of a page render the very same dict, so the UI and the API
cannot drift apart (datasette's habit). Functions here take a Store and plain arguments; they know
nothing of HTTP.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from ..models import Article, Claim, EntityRef, Trail
from ..store.base import ArticleFilter, ClaimFilter, Store
from . import shapes
from .registry import RegistryView

# A trail page draws at most this many articles and lists this many claims: beyond that the chart
# is unreadable and the page slow; the exports carry everything.
MAX_TRAIL_ARTICLES = 400
MAX_TRAIL_CLAIMS = 300
PER_PAGE = 20
MAX_PER_PAGE = 100
SEARCH_KINDS = ("claims", "articles", "trails", "sources")
# Decoding a stored claim (with its query page) costs ~0.1 ms: 500 keep a source page near 60 ms
# on the 100k-article benchmark database (benchmarks/bench_web.py).
TIMELINE_SCAN = 500


def q(value: str) -> str:
    """A path segment: ids may hold ':' or '/', which must not change the route."""
    return quote(value, safe="")


def trail_brief(t: Trail) -> dict[str, Any]:
    return {"id": t.id, "url": f"/trails/{q(t.id)}", "summary": t.summary.strip() or f"Trail {t.id}", "verdict": shapes.verdict_words(t),
            "articles": len(t.article_ids), "outlets": len(set(t.outlets)), "first_seen": t.first_seen,
            "last_seen": t.last_seen, "origin": t.origin.source if t.origin else None,
            "denials": len(t.denials)}


def article_brief(a: Article) -> dict[str, Any]:
    return {"id": a.id, "url": f"/articles/{q(a.id)}", "title": a.title, "outlet": a.outlet,
            "outlet_name": a.outlet_name, "published": a.published, "language": a.language,
            "link": a.url, "reprint_of": a.reprint_of}


def claim_brief(c: Claim, article: Article | None = None) -> dict[str, Any]:
    source_id = c.source.entity
    return {
        "id": c.id, "url": f"/claims/{q(c.id)}", "article_id": c.article_id,
        "article_url": f"/articles/{q(c.article_id)}", "n": c.n, "sentence": c.sentence,
        "segments": shapes.sentence_segments(c, article), "source": shapes.ref_dict(c.source),
        "source_url": f"/sources/{q(source_id)}" if source_id else None,
        "channel": shapes.ref_dict(c.channel), "cue": c.cue, "content": c.content, "stance": c.stance,
        "kind": c.kind, "hedges": list(c.hedges), "outlet": c.outlet, "publisher": c.publisher,
        "published": c.published,
        "said_on": c.said_on.date if c.said_on else None,
        "event_date": c.event_date.date if c.event_date else None,
        "places": shapes.place_names(c.places),
    }


def _articles_by_id(store: Store, ids: list[str]) -> dict[str, Article]:
    out = {}
    for aid in dict.fromkeys(ids):
        a = store.get_article(aid)
        if a is not None:
            out[aid] = a
    return out


def home(store: Store) -> dict[str, Any]:
    return {
        "counts": {"articles": store.count_articles(), "claims": store.count_claims(),
                   "trails": store.count_trails()},
        "latest_trails": [trail_brief(t) for t in store.iter_trails(limit=10, order="latest")],
        "most_repeated_trails": [trail_brief(t) for t in store.iter_trails(limit=10, order="size")],
    }


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    kind: str = "claims"
    outlet: str | None = None
    group: str | None = None
    stance: str | None = None
    place: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    page: int = 1
    per_page: int = PER_PAGE

    def clean(self) -> SearchParams:
        blank: dict[str, Any] = {k: (v.strip() or None) if isinstance(v, str) and k != "q" else v
                                 for k, v in self.__dict__.items()}
        blank["q"] = (self.q or "").strip()
        blank["kind"] = self.kind if self.kind in SEARCH_KINDS else "claims"
        blank["page"] = max(1, self.page)
        blank["per_page"] = max(1, min(MAX_PER_PAGE, self.per_page))
        return SearchParams(**blank)

    def link(self, **changes: Any) -> str:
        values = {**self.__dict__, **changes}
        pairs = [(k, v) for k, v in values.items()
                 if v not in (None, "") and not (k == "page" and v == 1) and not (k == "per_page" and v == PER_PAGE)]
        return "/search?" + urlencode(pairs)


def search(store: Store, params: SearchParams, registry: RegistryView) -> dict[str, Any]:
    p = params.clean()
    text = p.q or None
    cflt = ClaimFilter(search=text, outlet=p.outlet, group=p.group, stance=p.stance, place=p.place,
                       date_from=p.date_from, date_to=p.date_to)
    aflt = ArticleFilter(search=text, outlet=p.outlet, date_from=p.date_from, date_to=p.date_to)
    offset = (p.page - 1) * p.per_page
    results: list[dict[str, Any]] = []
    # Only the active tab is counted and fetched: a count of a common word over 100k articles costs
    # as much as the page itself, so the other tabs show a link without a number.
    counts: dict[str, int | None] = dict.fromkeys(SEARCH_KINDS)
    if p.kind == "claims":
        counts["claims"] = store.count_claims(cflt)
        claims = list(store.iter_claims(cflt, limit=p.per_page, offset=offset))
        arts = _articles_by_id(store, [c.article_id for c in claims])
        results = [claim_brief(c, arts.get(c.article_id)) for c in claims]
    elif p.kind == "articles":
        counts["articles"] = store.count_articles(aflt)
        results = [article_brief(a) for a in store.iter_articles(aflt, limit=p.per_page, offset=offset)]
    elif p.kind == "trails":
        counts["trails"] = store.count_trails(text)
        results = [trail_brief(t) for t in store.iter_trails(text, limit=p.per_page, offset=offset)]
    else:
        sources = _sources(store, cflt, registry, p.q)
        counts["sources"] = len(sources)
        results = sources[offset:offset + p.per_page]
    total = counts[p.kind] or 0
    pages = max(1, -(-total // p.per_page))
    return {
        "params": {k: v for k, v in p.__dict__.items()}, "counts": counts, "results": results,
        "page": p.page, "pages": pages, "total": total,
        "tabs": {k: p.link(kind=k, page=1) for k in SEARCH_KINDS},
        "prev": p.link(page=p.page - 1) if p.page > 1 else None,
        "next": p.link(page=p.page + 1) if p.page < pages else None,
    }


def _sources(store: Store, flt: ClaimFilter, registry: RegistryView, words: str) -> list[dict[str, Any]]:
    """Sources matching the words: registry entries first, then sources named in matching claims."""
    found: dict[str, dict[str, Any]] = {}
    for e in registry.search(words):
        key = str(e.get("id") or e.get("entity") or e.get("name"))
        found[key] = {"id": key, "url": f"/sources/{q(key)}", "name": e.get("name") or key,
                      "group": e.get("group"), "kind": e.get("kind"), "claims": None}
    tally: Counter[str] = Counter()
    refs: dict[str, EntityRef] = {}
    # Bounded scan: the sources tab is a digest of the first matching claims, not an exhaustive index.
    for c in store.iter_claims(flt, limit=500):
        for ref in (c.source, c.channel):
            if ref is not None and ref.entity:
                tally[ref.entity] += 1
                refs.setdefault(ref.entity, ref)
    for entity, n in tally.most_common():
        ref = refs[entity]
        row = found.setdefault(entity, {"id": entity, "url": f"/sources/{q(entity)}",
                                        "name": ref.name or ref.text, "group": ref.group, "kind": ref.kind,
                                        "claims": 0})
        row["claims"] = n
    return list(found.values())


def trail(store: Store, trail_id: str, registry: RegistryView | None = None) -> dict[str, Any] | None:
    t = store.get_trail(trail_id)
    if t is None:
        return None
    claims = list(store.iter_claims(ClaimFilter(trail_id=t.id), limit=MAX_TRAIL_CLAIMS))
    if not claims:  # a backend that does not index claims by trail yet
        claims = [c for c in (store.get_claim(cid) for cid in t.claim_ids[:MAX_TRAIL_CLAIMS]) if c]
    article_ids = list(t.article_ids[:MAX_TRAIL_ARTICLES]) + [c.article_id for c in claims]
    arts = _articles_by_id(store, article_ids)
    denial_ids = set(t.denials)
    denials = [c for c in claims if c.id in denial_ids]
    for cid in t.denials:
        if cid not in {c.id for c in denials}:
            c = store.get_claim(cid)
            if c is not None:
                denials.append(c)
    related = [trail_brief(r) for r in (store.get_trail(rid) for rid in t.related) if r is not None]
    places = shapes.places_of(claims)
    chart_articles = [arts[a] for a in t.article_ids[:MAX_TRAIL_ARTICLES] if a in arts]
    origin = t.origin
    return {
        "trail": trail_brief(t),
        "origin": None if origin is None else {
            "source": origin.source, "entity": origin.entity, "group": origin.group,
            "said_on": origin.said_on, "article_id": origin.article_id,
            "url": f"/sources/{q(origin.entity)}" if origin.entity else None,
            "article_url": f"/articles/{q(origin.article_id)}" if origin.article_id else None},
        "independent_groups": list(t.independent_groups),
        "outlets": list(dict.fromkeys(t.outlets)),
        "citations": [{"src": c.src, "dst": c.dst, "kind": c.kind} for c in t.citations],
        "articles": [article_brief(a) for a in sorted(chart_articles, key=lambda a: (a.published or "", a.id))],
        "claims": [claim_brief(c, arts.get(c.article_id)) for c in claims if c.id not in denial_ids],
        "denials": [claim_brief(c, arts.get(c.article_id)) for c in denials],
        "claims_total": len(t.claim_ids), "claims_shown": len(claims),
        "related": related, "places": places, "map": shapes.svg_map(places),
        "chart": shapes.chart_data(t, chart_articles, claims, _registry_entries(registry, chart_articles)),
        "downloads": trail_downloads(t.id),
    }


def _registry_entries(registry: RegistryView | None, articles: list[Article]) -> dict[str, dict[str, Any]]:
    """Registry entries of the trail's outlets, found by outlet id or web domain."""
    if registry is None or registry.registry is None:
        return {}
    found = {}
    for a in articles:
        key = shapes.outlet_key(a)
        if key in found:
            continue
        for probe in (a.outlet, shapes.domain_of(a.url)):
            entry = registry.entry(probe) if probe else None
            if entry:
                found[key] = entry
                break
    return found


def trail_downloads(trail_id: str) -> list[dict[str, str]]:
    base = f"/export/{{fmt}}?trail={q(trail_id)}"
    labels = {"claimreview": "ClaimReview JSON-LD", "json": "JSON", "csv": "CSV (claims)",
              "parquet": "Parquet (claims)", "graphml": "GraphML", "prov": "PROV-JSON"}
    return [{"format": f, "label": label, "url": base.format(fmt=f)} for f, label in labels.items()]


def article(store: Store, article_id: str) -> dict[str, Any] | None:
    a = store.get_article(article_id)
    if a is None:
        return None
    claims = list(store.iter_claims(ClaimFilter(article_id=a.id)))
    claims.sort(key=lambda c: c.n)
    trails = {}
    for c in claims:
        tid = store.trail_of_claim(c.id)
        if tid and tid not in trails:
            t = store.get_trail(tid)
            if t is not None:
                trails[tid] = trail_brief(t)
    reprint = store.get_article(a.reprint_of) if a.reprint_of else None
    return {
        "article": {**article_brief(a), "authors": list(a.authors), "fmt": a.fmt, "origin": a.origin,
                    "fetched": a.fetched, "text": a.text},
        "status": store.article_status(a.id),
        "paragraphs": shapes.article_paragraphs(a, claims),
        "captions": list(a.captions), "removed": list(a.removed),
        "claims": [claim_brief(c, a) for c in claims],
        "trails": list(trails.values()),
        "reprint_of": article_brief(reprint) if reprint else None,
    }


def claim(store: Store, claim_id: str) -> dict[str, Any] | None:
    c = store.get_claim(claim_id)
    if c is None:
        return None
    a = store.get_article(c.article_id)
    tid = store.trail_of_claim(c.id)
    t = store.get_trail(tid) if tid else None
    chain = [{**(shapes.ref_dict(r) or {}), "url": f"/sources/{q(r.entity)}" if r.entity else None}
             for r in c.chain] or [{**(shapes.ref_dict(c.source) or {}), "url": None}]
    return {
        "claim": claim_brief(c, a),
        "article": article_brief(a) if a else None,
        "chain": chain,
        "origin": shapes.ref_dict(c.origin),
        "publisher": c.publisher or c.outlet,
        "trail": trail_brief(t) if t else None,
    }


def source(store: Store, source_id: str, registry: RegistryView, page: int = 1) -> dict[str, Any] | None:
    entry = registry.entry(source_id)
    flt = ClaimFilter(entity=source_id)
    total = store.count_claims(flt)
    is_outlet = False
    if total == 0:
        # An outlet known only as a publisher (its domain): its articles' claims are what it relayed.
        flt = ClaimFilter(outlet=source_id)
        total = store.count_claims(flt)
        is_outlet = total > 0
    if entry is None and total == 0:
        return None
    page = max(1, page)
    offset = (page - 1) * PER_PAGE
    # The over-time view reads at most TIMELINE_SCAN claims (the Store has no grouped count; the page
    # says when it is a sample); the first pages of the list come out of the same read.
    scanned = list(store.iter_claims(flt, limit=TIMELINE_SCAN))
    if offset + PER_PAGE <= len(scanned) or len(scanned) < TIMELINE_SCAN:
        claims = scanned[offset:offset + PER_PAGE]
    else:
        claims = list(store.iter_claims(flt, limit=PER_PAGE, offset=offset))
    arts = _articles_by_id(store, [c.article_id for c in claims])
    rows, group, name = [], (entry or {}).get("group"), (entry or {}).get("name")
    for c in claims:
        role = "published" if is_outlet else _role(c, source_id)
        for ref in (c.source, c.channel, c.origin, *c.chain):
            if ref is not None and ref.entity == source_id:
                group = group or ref.group
                name = name or ref.name or ref.text
        rows.append({**claim_brief(c, arts.get(c.article_id)), "role": role})
    months: Counter[tuple[str, str]] = Counter()
    for c in scanned:
        months[((c.published or "")[:7] or "undated", "published" if is_outlet else _role(c, source_id))] += 1
    timeline: list[dict[str, Any]] = [{"month": m, "role": r, "claims": n}
                                      for (m, r), n in sorted(months.items())]
    top = max((int(row["claims"]) for row in timeline), default=1)
    for row in timeline:
        row["width"] = round(100 * row["claims"] / top)
    pages = max(1, -(-total // PER_PAGE))
    return {
        "id": source_id, "name": name or source_id, "group": group, "entry": entry,
        "registry": registry.registry is not None, "claims_total": total, "claims": rows,
        "timeline": timeline, "timeline_sampled": total > TIMELINE_SCAN, "page": page, "pages": pages,
        "prev": f"/sources/{q(source_id)}?page={page - 1}" if page > 1 else None,
        "next": f"/sources/{q(source_id)}?page={page + 1}" if page < pages else None,
    }


def _role(c: Claim, entity: str) -> str:
    """Did this source originate the claim, relay it, or only appear in its chain?"""
    origin = c.origin or (c.chain[0] if c.chain else c.source)
    if origin.entity == entity or (c.source.entity == entity and c.channel is None):
        return "originated"
    return "relayed"
