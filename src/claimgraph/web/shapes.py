"""Pure functions that shape stored records for display: highlighted text, the timeline chart's data
and the places map. No store, no HTTP; every string stays plain text (templates escape it)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from ..models import Article, Claim, EntityRef, Place, Trail

Span = tuple[int, int]

# Okabe-Ito: eight colours distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

# Which class wins where spans overlap: the cue is shortest and most telling, then the source.
_RANK = {"cue": 0, "source": 1, "content": 2}


def segments(text: str, layers: Iterable[tuple[Span, str, int]], lo: int = 0, hi: int | None = None
             ) -> list[dict[str, Any]]:
    """Cut ``text[lo:hi]`` into pieces, each with the class of the span covering it (or "").

    ``layers`` holds ``((start, end), class, claim_n)`` with offsets into the whole ``text``; spans
    outside the window or out of range (bad stored offsets) are clipped or dropped, never trusted.
    """
    hi = len(text) if hi is None else max(0, min(hi, len(text)))
    lo = max(0, min(lo, hi))
    cuts = {lo, hi}
    spans = []
    for (s, e), cls, n in layers:
        if not isinstance(s, int) or not isinstance(e, int):
            continue
        s, e = max(s, lo), min(e, hi)
        if s < e:
            spans.append((s, e, cls, n))
            cuts.update((s, e))
    points = sorted(cuts)
    out: list[dict[str, Any]] = []
    for a, b in zip(points, points[1:], strict=False):
        covering = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        if covering:
            best = min(covering, key=lambda sp: (_RANK.get(sp[2], 9), sp[1] - sp[0]))
            piece = {"text": text[a:b], "cls": best[2], "n": best[3]}
        else:
            piece = {"text": text[a:b], "cls": "", "n": 0}
        if out and out[-1]["cls"] == piece["cls"] and out[-1]["n"] == piece["n"]:
            out[-1]["text"] += piece["text"]
        else:
            out.append(piece)
    return out


def claim_layers(claims: Iterable[Claim]) -> list[tuple[Span, str, int]]:
    layers: list[tuple[Span, str, int]] = []
    for c in claims:
        layers += [(sp, "content", c.n) for sp in c.content_spans]
        layers += [(sp, "source", c.n) for sp in c.source_spans]
        layers += [(sp, "cue", c.n) for sp in c.cue_spans]
    return layers


def sentence_segments(claim: Claim, article: Article | None) -> list[dict[str, Any]]:
    """The claim's sentence with its source, cue and content marked; falls back to the stored
    sentence, unmarked, when the article is gone or the offsets do not match its text."""
    s, e = claim.sentence_span
    if article is not None and 0 <= s < e <= len(article.text) and article.text[s:e] == claim.sentence:
        return segments(article.text, claim_layers([claim]), s, e)
    return [{"text": claim.sentence, "cls": "", "n": 0}]


def article_paragraphs(article: Article, claims: Sequence[Claim]) -> list[list[dict[str, Any]]]:
    """The article body as paragraphs of highlighted pieces, offsets kept exact."""
    text, layers = article.text, claim_layers(claims)
    out, start = [], 0
    while start <= len(text):
        end = text.find("\n\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            out.append(segments(text, layers, start, end))
        start = end + 2
    return out


# --- the trail timeline ------------------------------------------------------------------------

def outlet_key(a: Article) -> str:
    """The row an article is drawn on: its outlet, else its site name, else its web domain."""
    return a.outlet or a.outlet_name or domain_of(a.url) or "unknown outlet"


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _outlet_aliases(articles: Sequence[Article], claims: Sequence[Claim],
                    entries: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Every way the trail names an outlet (domain, site name, registry id, name and aliases) -> its
    row key. Citations name outlets by their registry label, articles by domain or site name."""
    aliases: dict[str, str] = {}
    for a in articles:
        key = outlet_key(a)
        domain = domain_of(a.url)
        names = [a.outlet, a.outlet_name, (a.outlet_name or "").split(" — ")[0], domain,
                 (a.outlet or domain or "").split(".")[0]]
        entry = entries.get(key) or {}
        names += [entry.get("id"), entry.get("name"), *(entry.get("aliases") or ())]
        for name in names:
            if name:
                aliases.setdefault(str(name).lower(), key)
    for c in claims:
        for ref in (c.source, c.channel, *c.chain):
            if ref is None or ref.kind != "outlet":
                continue
            for name in (ref.name, ref.text):
                row = aliases.get((name or "").lower())
                if row and ref.entity:
                    aliases.setdefault(ref.entity.lower(), row)
    return aliases


def _outlet_groups(aliases: dict[str, str], claims: Sequence[Claim]) -> dict[str, str]:
    groups: dict[str, str] = {}
    for c in claims:
        for ref in (c.source, c.channel, c.origin, *c.chain):
            if ref is None or not ref.group:
                continue
            for key in (ref.entity, ref.name, ref.text):
                row = aliases.get((key or "").lower())
                if row:
                    groups.setdefault(row, ref.group)
    return groups


def chart_data(trail: Trail, articles: Sequence[Article], claims: Sequence[Claim],
               entries: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """What static/trail.js draws: one row per outlet, a point per article, citation arrows.

    Sources that are not outlets but are cited (the origin "local sources", a ministry) get a row of
    their own at the date they spoke, so an arrow always has both ends on the chart.
    """
    entries = entries or {}
    aliases = _outlet_aliases(articles, claims, entries)
    known = {k: str(e["group"]) for k, e in entries.items() if e.get("group")}
    groups = {**known, **_outlet_groups(aliases, claims)}
    names = {outlet_key(a): (a.outlet_name or (entries.get(outlet_key(a)) or {}).get("name") or outlet_key(a))
             for a in articles}
    origin = trail.origin
    reprints = set(trail.reprints)
    dated = sorted((a for a in articles if a.published), key=lambda a: (a.published or "", a.id))
    points: list[dict[str, Any]] = []
    rows: list[str] = []
    for a in dated:
        row = str(names[outlet_key(a)])
        if row not in rows:
            rows.append(row)
        p: dict[str, Any] = {
            "x": (a.published or "")[:10], "y": row, "group": groups.get(outlet_key(a), row),
            "article_id": a.id, "title": a.title, "origin": bool(origin and origin.article_id == a.id),
            "reprint": a.id in reprints, "outlet": outlet_key(a),
        }
        points.append(p)
    arrows: list[dict[str, Any]] = []
    extra: dict[str, dict[str, Any]] = {}
    ref_groups = {(r.name or r.text).lower(): r.group for c in claims
                  for r in (c.source, c.channel, c.origin, *c.chain) if r is not None and r.group}

    def points_of(name: str) -> list[dict[str, Any]]:
        row = aliases.get(name.lower())
        if row is not None:
            return [p for p in points if p["outlet"] == row]
        return [extra[name.lower()]] if name.lower() in extra else []

    # Citations run from the publisher towards the origin, so a cited agency with no article of its
    # own gets its row before the sources it cites in turn.
    for cit in trail.citations:
        sources = points_of(cit.src)
        if not sources:
            continue
        targets = points_of(cit.dst)
        if not targets:
            is_origin = origin is not None and cit.dst in (origin.entity, origin.source)
            said = origin.said_on if (origin is not None and is_origin) else None
            label = f"{origin.source} (origin)" if (origin is not None and is_origin) else cit.dst
            target: dict[str, Any] = {"x": (said or min(p["x"] for p in sources))[:10], "y": label,
                      "group": (origin.group if origin is not None and is_origin else None)
                      or ref_groups.get(cit.dst.lower()) or label,
                      "article_id": None, "title": ("Origin: " if is_origin else "Cited: ") + cit.dst,
                      "origin": is_origin, "reprint": False, "outlet": None}
            extra[cit.dst.lower()] = target
            points.append(target)
            rows.insert(0, label)
            targets = [target]
        target = min(targets, key=lambda p: str(p["x"]))
        for p in sources:
            if p is not target:
                arrows.append({"x0": p["x"], "y0": p["y"], "x1": target["x"], "y1": target["y"],
                               "kind": cit.kind})
    if any(p["origin"] and p["article_id"] is None for p in points):
        # The origin has its own row (a ministry, "local sources"): the star belongs there, not on
        # the article that first quoted it.
        for p in points:
            p["origin"] = p["origin"] and p["article_id"] is None
    group_names = list(dict.fromkeys(p["group"] for p in points))
    colours = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(group_names)}
    return {"rows": rows, "points": points, "arrows": arrows[:300], "groups": group_names,
            "colours": colours, "undated": len(articles) - len(dated)}


# --- the places map ----------------------------------------------------------------------------

def places_of(claims: Iterable[Claim]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for c in claims:
        for p in c.places:
            entry = seen.setdefault(p.name, {"name": p.name, "country": p.country, "lat": p.lat,
                                             "lon": p.lon, "claims": 0})
            entry["claims"] += 1
    return sorted(seen.values(), key=lambda e: -e["claims"])


def svg_map(places: Sequence[dict[str, Any]], width: int = 640, height: int = 320) -> dict[str, Any] | None:
    """An equirectangular sketch of the places: graticule, a dot per place sized by its claims.

    Drawn server-side as SVG numbers, so no tile server, map library or network is involved.
    """
    located = [p for p in places if isinstance(p.get("lat"), (int, float)) and isinstance(p.get("lon"), (int, float))]
    if not located:
        return None
    lats = [float(p["lat"]) for p in located]
    lons = [float(p["lon"]) for p in located]
    # At least 4 degrees across, so a single town is shown with some surroundings.
    pad = max(2.0, (max(lons) - min(lons)) * 0.2, (max(lats) - min(lats)) * 0.2)
    west, east = max(-180.0, min(lons) - pad), min(180.0, max(lons) + pad)
    south, north = max(-90.0, min(lats) - pad), min(90.0, max(lats) + pad)
    span_x, span_y = east - west, north - south
    scale = min(width / span_x, height / span_y)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return round((lon - west) * scale, 1), round((north - lat) * scale, 1)

    w, h = round(span_x * scale, 1), round(span_y * scale, 1)
    step = next(s for s in (1, 2, 5, 10, 20, 30, 60) if max(span_x, span_y) / s <= 8)
    lines = []
    for lon in range(math.ceil(west / step) * step, int(east) + 1, step):
        x, _ = xy(0, lon)
        lines.append({"x1": x, "y1": 0, "x2": x, "y2": h, "label": f"{abs(lon)}°{'E' if lon >= 0 else 'W'}"})
    for lat in range(math.ceil(south / step) * step, int(north) + 1, step):
        _, y = xy(lat, 0)
        lines.append({"x1": 0, "y1": y, "x2": w, "y2": y, "label": f"{abs(lat)}°{'N' if lat >= 0 else 'S'}"})
    top = max(p["claims"] for p in located)
    dots = []
    for p in located:
        x, y = xy(float(p["lat"]), float(p["lon"]))
        dots.append({"x": x, "y": y, "r": round(5 + 9 * p["claims"] / top, 1), "name": p["name"],
                     "country": p.get("country") or "", "claims": p["claims"]})
    return {"width": w, "height": h, "lines": lines, "dots": dots}


# --- small words ----------------------------------------------------------------------------------

def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def verdict_words(trail: Trail) -> str:
    """The stored verdict, or one built from the trail's counts (never a judgement of truth)."""
    if trail.verdict:
        return trail.verdict
    confirmations = max(0, len(trail.independent_groups) - 1)
    parts = [plural(len(trail.article_ids), "article"), plural(len(set(trail.outlets)), "outlet"),
             plural(1 if trail.origin else 0, "origin"),
             plural(confirmations, "independent confirmation"), plural(len(trail.denials), "denial")]
    return " · ".join(parts)


def ref_dict(ref: EntityRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"text": ref.text, "kind": ref.kind, "entity": ref.entity, "name": ref.name, "group": ref.group,
            "country": ref.country, "ownership": ref.ownership}


def place_names(places: Iterable[Place]) -> list[str]:
    # A place lent by the article's title or dateline is said so: the claim's sentence does not name it.
    return [f"{p.name} (from the article)" if p.from_article else p.name for p in places]
