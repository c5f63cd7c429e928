"""From matched claims to :class:`~claimgraph.models.Trail` objects: origin, citations, reprints,
independent groups, denials, summary and the verdict line.

:func:`build_trails` is pure: claims (and optionally articles and the trails of an earlier run) in,
trails out. Trails whose claims did not change are returned as the very objects passed in.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..errors import InputError
from ..models import Article, Citation, Claim, DateRef, Trail, TrailOrigin
from .features import ClaimTable, date_range, iso_of
from .matching import DEFAULT_PARAMS, Cluster, LinkParams, Matcher

SUMMARY_CHARS = 140
_CENTRAL_SAMPLE = 30  # members compared when choosing the most central wording


def trail_id_for(claim_id: str) -> str:
    """A trail is named after the claim that founded it, so its id never changes afterwards."""
    return "t" + hashlib.blake2b(claim_id.encode("utf-8"), digest_size=6).hexdigest()


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class _Origin:
    node: int
    row: int  # the claim that gives it, earliest first


class Assembler:
    """Turns one cluster of rows into a Trail."""

    def __init__(self, table: ClaimTable, reprint_of: Callable[[str], str | None]) -> None:
        self.t = table
        self.reprint_of = reprint_of

    def _order(self, rows: Iterable[int]) -> list[int]:
        t = self.t
        return sorted(rows, key=lambda i: (t.day(i) is None, t.day(i) or 0, t.ids[i]))

    def origins(self, rows: list[int]) -> list[_Origin]:
        """The sources at the far end of the chains: cited by someone, citing no one. Ordered by
        when they spoke (the statement date when known, else the publication), then by support."""
        t, nodes = self.t, self.t.nodes
        citing = {x for i in rows for x in t.chain[i][1:]}
        first: dict[int, int] = {}
        support: dict[int, int] = {}
        for i in rows:
            o = t.chain[i][0]
            if o in citing:
                continue
            support[o] = support.get(o, 0) + 1
            first.setdefault(o, i)
        if not first:  # every origin is cited by another chain: a loop; keep the chains' heads
            for i in rows:
                first.setdefault(t.chain[i][0], i)
                support[t.chain[i][0]] = support.get(t.chain[i][0], 0) + 1
        named = [o for o in first if not nodes.is_vague(o)] or list(first)

        def spoke(o: int) -> tuple[int, int]:
            i = first[o]
            s = t.said_on[i]
            said = date_range(DateRef(s, "")) if s else None
            return (said[0] if said else t.day(i) or 10**7, -support[o])

        return [_Origin(o, first[o]) for o in sorted(named, key=spoke)]

    def chain_text(self, row: int) -> str:
        """"SANA ← local sources": who passed it on, then where it came from. The publisher is left
        out when a named outlet stands between, and an outlet's own claim is just the outlet."""
        t, nodes = self.t, self.t.nodes
        path = list(reversed(t.chain[row]))  # publisher first
        if len(path) > 2:
            path = path[1:]
        elif len(path) == 2 and nodes.kinds[path[1]] not in ("anonymous", "vague", "group", "unknown"):
            path = path[1:]
        return " ← ".join(nodes.labels[x] for x in path)

    def citations(self, rows: list[int], article_set: set[str]) -> tuple[list[Citation], list[str]]:
        t, labels = self.t, self.t.nodes.labels
        seen: dict[tuple[str, str, str], None] = {}
        for i in rows:
            chain = t.chain[i]
            for k in range(len(chain) - 1, 0, -1):
                # The publisher relays its channel; whoever names the origin cites it (an agency
                # quoting its own local sources cites them).
                kind = "relays" if k == len(chain) - 1 and k > 1 else "cites"
                seen.setdefault((labels[chain[k]], labels[chain[k - 1]], kind), None)
        reprints: list[str] = []
        outlet_of = {t.article_ids[t.art[i]]: t.outlets[t.art[i]] for i in rows}
        for aid in outlet_of:
            original = self.reprint_of(aid)
            if original and original in article_set and original != aid:
                reprints.append(aid)
                seen.setdefault((outlet_of[aid], outlet_of[original], "reprints"), None)
        return [Citation(s, d, k) for s, d, k in seen], reprints

    def summary(self, rows: list[int]) -> str:
        """The wording closest to all the others: the most central claim of the trail."""
        t = self.t
        sample = rows[:_CENTRAL_SAMPLE]
        if len(sample) <= 2:
            return shorten(t.text[sample[0]])
        sets = [set(t.tokens[i]) for i in sample]

        def centrality(k: int) -> float:
            a = sets[k]
            total = 0.0
            for m, b in enumerate(sets):
                if m != k and a and b:
                    inter = len(a & b)
                    total += inter / (len(a) + len(b) - inter)
            return total

        best = max(range(len(sample)), key=lambda k: (centrality(k), -k))
        return shorten(t.text[sample[best]])

    def trail(self, k: Cluster, live: set[str]) -> Trail:
        t, nodes = self.t, self.t.nodes
        rows = self._order(k.members or k.denials)
        denials = self._order(k.denials) if k.members else []
        article_ids = list(dict.fromkeys(t.article_ids[t.art[i]] for i in rows))
        outlets = list(dict.fromkeys(t.outlets[t.art[i]] for i in rows))
        days = [d for d in (t.day(i) for i in rows) if d is not None]
        citations, reprints = self.citations(rows, set(article_ids))
        origins = self.origins(rows)
        groups = sorted({nodes.group_of(o.node) for o in origins if not nodes.is_vague(o.node)})
        origin = None
        chain = ""
        if origins:
            o = origins[0]
            origin = TrailOrigin(
                source=nodes.labels[o.node],
                entity=nodes.entities[o.node],
                group=nodes.groups[o.node] or nodes.entities[o.node],
                said_on=t.said_on[o.row],
                article_id=t.article_ids[t.art[o.row]],
            )
            chain = self.chain_text(o.row)
        verdict = " · ".join([
            plural(len(article_ids), "article"),
            plural(len(outlets), "outlet"),
            plural(len(origins), "origin") + (f" ({chain})" if chain else ""),
            plural(len(groups), "independent group"),
            plural(len(denials), "denial"),
        ])
        return Trail(
            id=k.id,
            summary=self.summary(rows),
            claim_ids=tuple(t.ids[i] for i in rows),
            article_ids=tuple(article_ids),
            outlets=tuple(outlets),
            first_seen=iso_of(min(days)) if days else None,
            last_seen=iso_of(max(days)) if days else None,
            origin=origin,
            citations=tuple(citations),
            reprints=tuple(reprints),
            independent_groups=tuple(groups),
            denials=tuple(t.ids[i] for i in denials),
            related=tuple(sorted(r for r in k.related if r in live)),
            verdict=verdict,
        )


def _article_lookup(
    articles: Iterable[Article] | Mapping[str, Article],
) -> Callable[[str], Article | None]:
    if isinstance(articles, Mapping):
        return articles.get
    by_id = {a.id: a for a in articles}
    return by_id.get


def build_trails(
    claims: Iterable[Claim],
    articles: Iterable[Article] | Mapping[str, Article] = (),
    existing_trails: Iterable[Trail] = (),
    params: LinkParams = DEFAULT_PARAMS,
    on_error: Callable[[InputError], None] | None = None,
) -> tuple[list[Trail], list[str]]:
    """Link claims into trails.

    ``claims`` are all the claims that should be in trails (an iterator is fine: each is read into
    compact columns and dropped). ``existing_trails`` are the trails of an earlier run: their claims
    stay in them and their ids are kept; only the other claims are matched. ``articles`` (a list or
    a mapping by id) is consulted for ``reprint_of``, only for the trails being rebuilt.

    Returns every trail (unchanged ones as the objects passed in) and the ids of earlier trails
    that lost all their claims. A claim that cannot be read raises InputError, or is handed to
    ``on_error`` and left out when that is given.
    """
    # The linker makes millions of small tuples and lists and no reference cycles; Python's cycle
    # collector would still walk all of them at each full collection, work that grows with the
    # number of claims already read.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(claims, articles, existing_trails, params, on_error)
    finally:
        if enabled:
            gc.enable()


def _build(
    claims: Iterable[Claim],
    articles: Iterable[Article] | Mapping[str, Article] = (),
    existing_trails: Iterable[Trail] = (),
    params: LinkParams = DEFAULT_PARAMS,
    on_error: Callable[[InputError], None] | None = None,
) -> tuple[list[Trail], list[str]]:
    lookup = _article_lookup(articles)
    table = ClaimTable()
    row_of: dict[str, int] = {}
    for claim in claims:
        if claim.id in row_of:
            continue
        try:
            row_of[claim.id] = table.add(claim)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)
    matcher = Matcher(table, params)
    previous: dict[str, Trail] = {}
    deleted: list[str] = []
    for trail in existing_trails:
        if trail.id in previous:
            continue
        linked = matcher.cluster_of
        members = [row_of[c] for c in trail.claim_ids if c in row_of and linked[row_of[c]] is None]
        denials = [row_of[c] for c in trail.denials if c in row_of and linked[row_of[c]] is None]
        if not members and not denials:
            deleted.append(trail.id)
            continue
        previous[trail.id] = trail
        matcher.pin(trail.id, members, denials, trail.related)
        if len(members) != len(trail.claim_ids) or len(denials) != len(trail.denials):
            matcher.clusters[trail.id].changed = True
    del row_of  # a million-entry dict not needed any more
    new_rows = [i for i, k in enumerate(matcher.cluster_of) if k is None]

    def new_id(claim_id: str) -> str:
        tid = trail_id_for(claim_id)
        n = 1
        while tid in matcher.clusters or tid in deleted:
            n += 1
            tid = f"{trail_id_for(claim_id)}-{n}"
        return tid

    matcher.link(new_rows, new_id)

    def reprint_of(article_id: str) -> str | None:
        article = lookup(article_id)
        return article.reprint_of if article is not None else None

    deleted.extend(kid for kid in matcher.retired if kid in previous)
    live = set(matcher.clusters)
    gone = set(deleted) | set(matcher.retired)
    assembler = Assembler(table, reprint_of)
    out: list[Trail] = []
    for k in matcher.clusters.values():
        old = previous.get(k.id)
        if old is not None and not k.changed and not gone.intersection(old.related):
            out.append(old)
        else:
            out.append(assembler.trail(k, live))
    return out, deleted
