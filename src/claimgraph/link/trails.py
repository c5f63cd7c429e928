"""From matched claims to :class:`~claimgraph.models.Trail` objects: origin, citations, reprints,
independent groups, denials, summary and the verdict line.

:func:`build_trails` is pure: claims (and optionally articles and the trails of an earlier run) in,
trails out. Trails whose claims did not change are returned as the very objects passed in.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..errors import InputError
from ..models import Article, Citation, Claim, DateRef, Trail, TrailOrigin
from .features import ClaimTable, date_range, iso_of
from .matching import DEFAULT_PARAMS, Cluster, LinkParams, Matcher
from .text import DATELINE, content_words

SUMMARY_CHARS = 140
_CENTRAL_SAMPLE = 30  # members compared when choosing the most central wording
_PRONOUN_OPENING = re.compile(r"(?:it|its|they|their|he|his|she|her|this|these|those|we|our)\b", re.IGNORECASE)


def trail_id_for(claim_id: str) -> str:
    """A trail is named after the claim that founded it, so its id never changes afterwards."""
    return "t" + hashlib.blake2b(claim_id.encode("utf-8"), digest_size=6).hexdigest()


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """A claim's content as a headline-like summary: one line, without the complementiser that
    reported speech starts with ("that the coalition ...") or the wire dateline a lead carries
    ("NIAMEY, Nov 9 (Wire) - "), capitalised, cut at a word."""
    text = " ".join(text.split())
    text = DATELINE.sub("", text).lstrip()
    text = re.sub(r"^(?:that|whether)\s+", "", text, flags=re.IGNORECASE)
    text = text[:1].upper() + text[1:]
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class _Origin:
    node: int  # the source at the far end of the chain
    row: int  # the claim that gives it, earliest first
    key: int  # who vouches for it: the node itself, or the channel of an unnamed source
    group: str


# A claim about a report ("called on the coalition to explain reports that ...", "denied a report
# that ...") names its source as a reader of the claim, not as a witness: it adds no origin.
_ABOUT_A_REPORT = re.compile(
    r"\b(?:reports?|claims?|allegations?|accounts?|stor(?:y|ies)|rumou?rs?)\s+(?:that|of)\b", re.IGNORECASE)
_CORE_OVERLAP = 0.2  # word-set Jaccard with the trail's central claim from which a claim is core
_UNNAMED_KINDS = frozenset({"anonymous", "vague", "group", "unknown", "organization", "outlet_group",
                            "named", "government", "official"})


class Assembler:
    """Turns one cluster of rows into a Trail."""

    def __init__(self, table: ClaimTable, reprint_of: Callable[[str], str | None]) -> None:
        self.t = table
        self.reprint_of = reprint_of

    def _order(self, rows: Iterable[int]) -> list[int]:
        t = self.t
        return sorted(rows, key=lambda i: (t.day(i) is None, t.day(i) or 0, t.ids[i]))

    def generic(self, node: int) -> bool:
        """An unresolved source that names no one in particular ("local sources", "the agency",
        "medical workers at the town's hospital", "it"): it stands for whoever reports it, so it
        is never a group of its own. A proper name ("Lamine Dabo", "Nadira Velaz of the Civic
        Renewal party") is a witness of its own even when the registry does not know it."""
        nodes = self.t.nodes
        if nodes.entities[node] is not None:
            return False
        if nodes.is_vague(node):
            return True
        if nodes.kinds[node] not in _UNNAMED_KINDS:
            return False
        words = nodes.labels[node].split()
        return not any(w[:1].isupper() for w in words[1:])

    def _vouch(self, row: int, channels: dict[int, list[int]], strict: bool) -> int | None:
        """:meth:`voucher`, or None when nobody may count: a pronoun or "the media" (it points at
        someone the trail names elsewhere), or, when ``strict``, an unnamed source nobody vouches
        for; else its publisher."""
        t = self.t
        v = self.voucher(row, channels)
        if v >= 0 and not t.nodes.is_vague(v):
            return v
        if t.nodes.is_vague(t.chain[row][0]) or strict:
            return None
        return t.chain[row][-1]

    def core(self, rows: list[int], central: int) -> list[int]:
        """The claims that state the trail's claim itself, not a detail or a comment joined to it
        (a resident's colour, a spokesman's aside, a call to explain "reports that ..."): the
        claims whose words overlap the central claim's, and each article's closest claim."""
        t = self.t
        ref = set(t.tokens[central])
        counted = t.nums[central]

        def overlap(i: int) -> float:
            a = set(t.tokens[i])
            return len(a & ref) / len(a | ref) if a and ref else 0.0

        best: dict[int, tuple[float, int]] = {}
        keep: set[int] = set()
        for i in rows:
            if _ABOUT_A_REPORT.search(t.text[i]) or not t.tokens[i]:
                continue
            o = overlap(i)
            # Repeating the central claim's count ("we received fourteen bodies" for "killing at
            # least 14") restates it in other words: a second witness, not a detail.
            if o >= _CORE_OVERLAP or i == central or (counted and counted & t.nums[i]):
                keep.add(i)
            if o > best.get(t.art[i], (-1.0, -1))[0]:
                best[t.art[i]] = (o, i)
        keep.update(i for _, i in best.values())
        return [i for i in rows if i in keep] or rows

    def voucher(self, row: int, channels: dict[int, list[int]]) -> int:
        """Who stands behind row's origin. A named source stands for itself; an unnamed one for
        the first named source that passes it on ("local sources" via NCNA is NCNA's word), and
        when the article names no channel for it, the named source this article cites most in
        the trail ("NCNA reported, citing local residents" read as "local residents" alone), and
        last its publisher."""
        t = self.t
        chain = t.chain[row]
        if not self.generic(chain[0]):
            return chain[0]
        for x in chain[1:-1]:
            if not self.generic(x):
                return x
        if t.relayed[row] and len(chain) == 2 and not self.generic(chain[1]):
            return chain[1]  # "residents told Agence Nord", published by Agence Nord
        cited = channels.get(t.art[row])
        if cited:
            return cited[0]
        # "the monitoring group" with no channel: the trail's source of that kind ("monitor/NGO").
        words = set(content_words(t.nodes.labels[chain[0]]))
        for x in channels.get(-1, ()):
            if words & set(content_words(t.nodes.kinds[x].replace("/", " "))):
                return x
        return -1  # nobody named stands behind it

    def origins(self, rows: list[int], central: int | None = None) -> list[_Origin]:
        """The sources at the far end of the chains of the trail's core claims (see
        :meth:`_origins`). An unnamed source that no named source in its article vouches for
        ("local residents" with no agency named) is somebody's word we cannot place: it adds no
        origin and no group to a trail that has one, since counting it would count the same
        report twice as often as not; alone, it stands for its publisher."""
        found = self._origins(rows, central, strict=True)
        return found or self._origins(rows, central, strict=False)

    def _origins(self, rows: list[int], central: int | None, strict: bool) -> list[_Origin]:
        """The sources at the far end of the chains of the trail's core claims: cited by no one
        else, counted once per voucher (an outlet's unnamed sources are one origin, whatever each
        sentence calls them). Ordered by when they spoke (the statement date when known, else the
        publication), then by support."""
        t, nodes = self.t, self.t.nodes
        core = self.core(rows, rows[0] if central is None else central)
        # Named sources each article cites in the trail (not its publisher), most cited first.
        tally: dict[int, dict[int, int]] = {}
        for i in rows:
            for x in t.chain[i][:-1]:
                if not self.generic(x) and x != t.chain[i][-1]:
                    per = tally.setdefault(t.art[i], {})
                    per[x] = per.get(x, 0) + 1
        channels = {a: sorted(per, key=lambda x: -per[x]) for a, per in tally.items()}
        channels[-1] = list(dict.fromkeys(x for i in rows for x in t.chain[i] if not self.generic(x)))
        citing = {x for i in rows for x in t.chain[i][1:]}
        first: dict[int, int] = {}
        support: dict[int, int] = {}
        for i in core:
            v = self._vouch(i, channels, strict)
            if v is None:
                continue
            if t.chain[i][0] in citing and not self.generic(t.chain[i][0]):
                continue  # a named source that another chain shows passing on someone else's word
            support[v] = support.get(v, 0) + 1
            first.setdefault(v, i)
        if not first and not strict:  # every origin is cited by another chain: a loop; keep the heads
            for i in core:
                v = self._vouch(i, channels, strict) or t.chain[i][-1]
                first.setdefault(v, i)
                support[v] = support.get(v, 0) + 1

        def spoke(v: int) -> tuple[int, int]:
            i = first[v]
            s = t.said_on[i]
            said = date_range(DateRef(s, "")) if s else None
            return (said[0] if said else t.day(i) or 10**7, -support[v])

        return [_Origin(t.chain[first[v]][0], first[v], v, nodes.group_of(v)) for v in sorted(first, key=spoke)]

    def witnesses(self, origins: list[_Origin]) -> int:
        """How many origins speak for different witnesses. One registry entity counts once, and so
        does one kind of person reached through one channel, whatever words each report uses
        ("medical workers at the town's district hospital" and "medical workers at the Illéla
        district hospital", both via the monitor, are one staff: one origin). The groups are
        still those of each origin's voucher."""
        t, nodes = self.t, self.t.nodes
        seen: list[tuple[str | None, frozenset[str], int]] = []
        for o in origins:
            chain = t.chain[o.row]
            via = chain[1] if len(chain) > 1 else chain[-1]
            entity, kinds = nodes.entities[o.node], nodes.described_as[o.node]
            if not any((entity and entity == e) or (kinds & k and via == v) for e, k, v in seen):
                seen.append((entity, kinds, via))
        return len(seen)

    def denial_text(self, denials: list[int]) -> str:
        """"1 denial (5 reports)": a denial is counted once per party that denies, the way
        :meth:`witnesses` counts origins, so the relays and reprints of one spokesman's statement
        do not read as five parties contradicting the claim; the reports are still counted."""
        said = [_Origin(self.t.chain[i][0], i, self.t.chain[i][0], "") for i in denials]
        parties = self.witnesses(said)
        reports = f" ({len(denials)} reports)" if len(denials) > parties else ""
        return plural(parties, "denial") + reports

    def chain_text(self, row: int) -> str:
        """"SANA ← local sources": who passed it on, then where it came from. The publisher is left
        out when a named outlet stands between, and an outlet's own claim is just the outlet."""
        t, nodes = self.t, self.t.nodes
        path = list(reversed(t.chain[row]))  # publisher first
        if len(path) > 2:
            path = path[1:]
        elif len(path) == 2 and nodes.kinds[path[1]] not in ("anonymous", "vague", "group", "unknown"):
            path = path[1:]
        # a party without a name (an empty source) is no link to show: "example.org ← " read as a bug
        return " ← ".join(label for label in (nodes.labels[x] for x in path) if label)

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

    def ranked(self, rows: list[int]) -> list[int]:
        """A sample of the trail's claims, the most central wording (the trail's claim itself)
        first: the one closest to all the others."""
        t = self.t
        sample = [i for i in rows[:_CENTRAL_SAMPLE] if t.tokens[i]] or rows[:1]
        if len(sample) <= 2:
            return sample
        sets = [set(t.tokens[i]) for i in sample]

        def centrality(k: int) -> float:
            a = sets[k]
            total = 0.0
            for m, b in enumerate(sets):
                if m != k and a and b:
                    inter = len(a & b)
                    total += inter / (len(a) + len(b) - inter)
            return total

        order = sorted(range(len(sample)), key=lambda k: (-centrality(k), k))
        return [sample[k] for k in order]

    def summary(self, ranked: list[int]) -> str:
        """The most central wording that stands on its own: "It was hit at dawn" names nothing
        to a reader of a trail list, so a claim opening with a pronoun yields to the next one."""
        heads = self.t.summaries
        for i in ranked:
            text = shorten(heads.get(i, self.t.text[i]))
            if not _PRONOUN_OPENING.match(text):
                return text
        return shorten(heads.get(ranked[0], self.t.text[ranked[0]]))

    def trail(self, k: Cluster, live: set[str]) -> Trail:
        t, nodes = self.t, self.t.nodes
        rows = self._order(k.members or k.denials)
        denials = self._order(k.denials) if k.members else []
        # The articles that carry a denial are part of the story a reader follows.
        every = self._order([*rows, *denials])
        article_ids = list(dict.fromkeys(t.article_ids[t.art[i]] for i in every))
        outlets = list(dict.fromkeys(t.outlets[t.art[i]] for i in every))
        days = [d for d in (t.day(i) for i in every) if d is not None]
        citations, reprints = self.citations(every, set(article_ids))
        ranked = self.ranked(rows)
        central = ranked[0]
        # A reprint repeats its original word for word: it adds no origin and no group.
        copied = {t.article_index[a] for a in reprints}
        heard = [i for i in rows if t.art[i] not in copied] or rows
        origins = self.origins(heard, central if central in heard else None)
        groups = sorted({o.group for o in origins})
        origin = None
        chain = ""
        if origins:
            o = origins[0]
            origin = TrailOrigin(
                source=nodes.labels[o.node],
                entity=nodes.entities[o.node] or nodes.entities[o.key],
                group=o.group,
                said_on=t.said_on[o.row],
                article_id=t.article_ids[t.art[o.row]],
            )
            chain = self.chain_text(o.row)
        verdict = " · ".join([
            plural(len(article_ids), "article"),
            plural(len(outlets), "outlet"),
            plural(self.witnesses(origins), "origin") + (f" ({chain})" if chain else ""),
            plural(len(groups), "independent group"),
            self.denial_text(denials),
        ])
        return Trail(
            id=k.id,
            summary=self.summary(ranked),
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
    partial: bool = False,
) -> tuple[list[Trail], list[str]]:
    """Link claims into trails.

    ``claims`` are all the claims that should be in trails (an iterator is fine: each is read into
    compact columns and dropped). ``existing_trails`` are the trails of an earlier run: their claims
    stay in them and their ids are kept; only the other claims are matched. ``articles`` (a list or
    a mapping by id) is consulted for ``reprint_of``, only for the trails being rebuilt.

    ``partial``: ``existing_trails`` are only the trails the new claims can reach (an incremental
    run of :func:`~claimgraph.link.link_store`); a related trail not among them is taken to be
    still there, not dropped from the links.

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
        return _build(claims, articles, existing_trails, params, on_error, partial)
    finally:
        if enabled:
            gc.enable()


def _build(
    claims: Iterable[Claim],
    articles: Iterable[Article] | Mapping[str, Article] = (),
    existing_trails: Iterable[Trail] = (),
    params: LinkParams = DEFAULT_PARAMS,
    on_error: Callable[[InputError], None] | None = None,
    partial: bool = False,
) -> tuple[list[Trail], list[str]]:
    lookup = _article_lookup(articles)
    table = ClaimTable()
    row_of: dict[str, int] = {}
    last: tuple[object, Article | None] = (None, None)  # an article's claims come one after another
    for claim in claims:
        if claim.id in row_of:
            continue
        try:
            # Every claim is read with its article (its headline; its date when the claim has none).
            aid = getattr(claim, "article_id", None)
            if aid != last[0]:
                last = (aid, lookup(aid) if isinstance(aid, str) else None)
            row_of[claim.id] = table.add(claim, last[1])
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)
    matcher = Matcher(table, params)
    previous: dict[str, Trail] = {}
    deleted: list[str] = []
    for trail in existing_trails:
        if trail.id in previous or trail.id in deleted:
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
    if partial:  # trails outside the part read are untouched by this run: still there
        passed = gone | set(previous)
        live.update(r for k in matcher.clusters.values() for r in k.related if r not in passed)
    assembler = Assembler(table, reprint_of)
    out: list[Trail] = []
    for k in matcher.clusters.values():
        old = previous.get(k.id)
        if old is not None and not k.changed and not gone.intersection(old.related):
            out.append(old)
        else:
            out.append(assembler.trail(k, live))
    return out, deleted
