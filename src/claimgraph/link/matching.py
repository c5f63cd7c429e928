"""Claim matching: which claims assert the same thing, which deny it, which are only related.

Claims are linked one at a time in date order (online clustering): each is scored against the
candidates :mod:`.blocking` proposes and joins the best trail that scores high enough and
contradicts nothing, or founds a new one. Linking new claims never moves old ones, which is what keeps
trail ids stable across incremental runs.

Contradictions veto a merge outright, whatever the wording: a different day or month, different
counts ("20 commanders" vs "47"), or a second claim of one article that is not the continuation of
the first (a journalist reporting two events in one article reports two claims). Vetoed pairs that
still share actors or places are recorded as *related* trails.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from . import cohesion, denials
from .blocking import BlockIndex, Signer
from .features import ClaimTable
from .incidents import same_incident, tells
from .text import Count, content_words, counts_differ


@dataclass(frozen=True)
class LinkParams:
    """Thresholds of the matcher. ``merge``/``min_content`` come from the sweep of
    ``scripts/eval_fakes_trails.py --sweep`` on FA-KES: 0.35/0.1 gave the best pairwise F1 (0.27:
    P 0.72, R 0.16); 0.35/0.2 keeps precision at 0.76 for 0.03 less F1, and a wrong merge misleads
    a reader more than a split does. ``deny`` and ``related`` were set on the bundled examples
    (the coalition's rewording of what it denies scores 0.22). The seed and the tests hold.

    The incident terms have reasons of their own: the bonus is two shared places' worth (0.2: an
    area, a day and a kind of event say more than a place name); tolls within a quarter are one
    toll (20 and 23 dead, not 20 and 47 commanders). The wording gate for one incident (0.05: a
    distinctive word in common) was picked on the even half of FA-KES's incidents over 0 / 0.05
    / 0.075 / 0.1 / 0.15 (pipeline main trails: F1 0.429 at 0.1, 0.487 at 0.05; the odd half
    0.353 -> 0.403). The headline gate (0.2) was picked the same way over 0.15-0.5 (even half
    0.498 -> 0.515 at 0.2, 0.489 from 0.4 on; the odd half 0.410 -> 0.441)."""

    merge: float = 0.35  # score from which a claim joins a trail
    min_content: float = 0.2  # ... provided the wording itself overlaps this much
    deny: float = 0.2  # score from which a denial attaches to the trail it denies (they reword it)
    related: float = 0.15  # wording overlap from which trails sharing an actor or place are related
    day_tolerance: int = 1  # relays say "yesterday": dates one day apart are one date
    incident: float = 0.2  # added when two claims' articles report one incident (incidents.py)
    incident_content: float = 0.05  # ... whose claims may then share less wording than min_content
    toll_ratio: float = 0.25  # ... and whose counts of one thing may differ by this share
    headline: float = 0.2  # ... or whose articles' headlines overlap this much (IDF-weighted Jaccard)
    max_related: int = 10


DEFAULT_PARAMS = LinkParams()

_VETO = -1.0
# Days apart from which two undated claims are not one report. On FA-KES (pipeline mode, main
# trails) 10 days gave pairwise P 0.269, 5 days 0.326, 3 days 0.358, recall unchanged (0.08); 5 is
# kept as a working week of echoes: FA-KES's reference is the incident's day, which favours less.
_STALE_DAYS = 5
_CHUNK = 10_000
_SURE = 0.9
# Merging two trails needs a score this far above ``merge`` to both. On FA-KES a margin of 0.1 or
# 0.2 merged two incidents' trails (precision 0.77 -> 0.67 for recall 0.157 -> 0.169); from 0.3 on
# only clear bridges merge.
_UNION_MARGIN = 0.3


@dataclass(slots=True)
class Cluster:
    id: str
    founder: int
    deny_founder: bool
    # Lists and sets are small but many (one trail per three claims at scale): denials and
    # related stay empty tuples until needed.
    members: list[int] = field(default_factory=list)
    denials: list[int] | tuple[()] = ()
    when: tuple[int, int] | None = None
    counts: frozenset[Count] = frozenset()
    related: set[str] | tuple[()] = ()
    changed: bool = True


class Matcher:
    """Holds the clusters and the block index while claims are linked."""

    def __init__(self, table: ClaimTable, params: LinkParams = DEFAULT_PARAMS) -> None:
        self.t = table
        self.p = params
        self.index = BlockIndex()
        self.signer = Signer()
        self.clusters: dict[str, Cluster] = {}
        self.cluster_of: list[str | None] = [None] * len(table)  # row -> cluster id
        self.by_article: dict[int, list[int]] = {}  # article -> rows already linked
        self._idf: list[float] = []
        self.retired: list[str] = []  # ids of clusters merged into older ones
        self._mass = array("d")
        self.loose: set[int] = set()  # rows that joined their trail by article cohesion alone

    # --- scoring --------------------------------------------------------------------------------

    def weights(self) -> None:
        """IDF weights over the claims read so far: "Syria" in every FA-KES headline says little,
        "motorbike" or "bakery" says a lot."""
        n = max(1, len(self.t))
        self._idf = idf = [math.log(1.0 + n / d) if d else 0.0 for d in self.t.df]
        self._mass = array("d", (sum(idf[x] for x in toks) for toks in self.t.tokens))
        # A headline word no claim uses is as rare as a word can be.
        rare = math.log(1.0 + n)
        self._tidf = [v or rare for v in idf]

    def headlines(self, i: int, j: int) -> float:
        """IDF-weighted Jaccard of the headlines of i's and j's articles."""
        t = self.t
        a, b = t.art_title[t.art[i]], t.art_title[t.art[j]]
        if not a or not b:
            return 0.0
        idf = self._tidf
        w = sum(idf[x] for x in set(a).intersection(b))
        if not w:
            return 0.0
        return w / (sum(idf[x] for x in a) + sum(idf[x] for x in b) - w)

    def _weight(self, i: int) -> float:
        return self._mass[i]

    def content(self, i: int, j: int) -> float:
        """IDF-weighted word-set Jaccard, blended with rapidfuzz's order-free edit similarity when
        the sets already overlap (it forgives variants a stemmer misses: "Ezzor"/"ez-Zor")."""
        a, b = self.t.tokens[i], self.t.tokens[j]
        if not a or not b:
            return 0.0
        inter = set(a).intersection(b)
        if not inter:
            return 0.0
        idf = self._idf
        w = sum(idf[x] for x in inter)
        jac = w / (self._weight(i) + self._weight(j) - w)
        if jac < 0.1 or jac > 0.6:  # clearly apart or clearly alike: no need to ask rapidfuzz
            return jac
        fz = fuzz.token_sort_ratio(self.t.text[i], self.t.text[j], processor=_lower) / 100.0
        return 0.7 * jac + 0.3 * max(0.0, (fz - 0.4) / 0.6)

    def dates_conflict(self, a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
        if a is None or b is None:
            return False
        tol = self.p.day_tolerance
        return a[1] + tol < b[0] or b[1] + tol < a[0]

    def pair(self, i: int, j: int, anchor: int | None = None) -> tuple[float, float, int]:
        """(score or _VETO, content similarity, shared actors + places) of two claims. With
        ``anchor`` (the founder of j's trail), one incident also needs i within a day of it."""
        t = self.t
        c = self.content(i, j)
        shared = len(set(t.act[i]).intersection(t.act[j]))
        pi, pj = t.places[i], t.places[j]
        shared_places = len(set(pi).intersection(pj)) if pi and pj else 0
        incident = self.one_incident(i, j, anchor)
        # One incident, its claims worded apart (each article quotes other voices): when their
        # wording says little, the two headlines may still say it is one story.
        told = max(c, self.headlines(i, j)) if incident and c < self.p.headline else c
        score = told + 0.1 * min(shared, 1) + 0.1 * min(shared_places, 2) + (self.p.incident if incident else 0.0)
        if pi and pj and not shared_places:
            # Both say where, and differently. Only a nudge: a claim's places are often partial
            # ("from Arlit to Agadez" resolved as Agadez in one report, Arlit in the next).
            score -= 0.05
        if self.dates_conflict(t.when[i], t.when[j]):
            score = _VETO
        elif t.when[i] is None and t.when[j] is None and self._apart(i, j):
            score = _VETO
        elif counts_differ(t.counts[i], t.counts[j], self.p.toll_ratio if incident else 0.0):
            score = _VETO
        else:
            if t.nums[i] and t.nums[j] and not t.nums[i] & t.nums[j]:
                score -= 0.1  # numbers, none shared: perhaps another report
            if t.when[i] and t.when[j]:
                score += 0.05
            # The same count ("16 killed") is strong evidence of the same report; two of them
            # ("14 bodies and 31 wounded") all the more.
            score += 0.1 * min(len(t.nums[i] & t.nums[j]), 2)
        return score, c, shared + shared_places

    @property
    def sure(self) -> float:
        """The score of a clear match: two trails a claim matches this well merge."""
        return self.p.merge + _UNION_MARGIN

    def one_incident(self, i: int, j: int, anchor: int | None = None) -> bool:
        """Rows i and j report one incident; with ``anchor``, i is also within a day of it: a trail
        of daily reports from one city ("shells hit Aleppo's neighbourhoods") must not grow a day
        at a time, each report one day after the one before."""
        t = self.t
        if not same_incident(t, i, j):
            return False
        if anchor is None or anchor == j:
            return True
        di, da = t.day(i), t.day(anchor)
        return di is not None and da is not None and abs(di - da) <= 1

    def worded(self, i: int, j: int, c: float, anchor: int | None = None) -> bool:
        """The wording overlaps enough for a merge: ``min_content``, or less for one incident when
        the claim itself tells of it (else an opinion sharing two names would join)."""
        p = self.p
        if c >= p.min_content:
            return True
        if c < p.incident_content and self.headlines(i, j) < p.headline:
            return False  # cheapest first: the incident test measures distances
        return tells(self.t, i) and self.one_incident(i, j, anchor)

    def _apart(self, i: int, j: int) -> bool:
        """Published more than a news cycle apart, neither dating its event: wire boilerplate
        ("the attack also caused material damage to citizens' houses") repeated about another
        incident, not a relay (relays and echoes come within days)."""
        pi, pj = self.t.pub[i], self.t.pub[j]
        return pi is not None and pj is not None and abs(pi - pj) > _STALE_DAYS

    def fits(self, i: int, k: Cluster) -> bool:
        """Whether row ``i`` may join cluster ``k`` at all (the cluster-wide vetoes)."""
        if not self.agrees(i, k):
            return False
        if any(self.cluster_of[j] == k.id for j in self.by_article.get(self.t.art[i], ())):
            return cohesion.continues(self, i, k) or cohesion.corroborates(self, i, k) or cohesion.coheres(self, i, k)
        return True

    # --- clustering -----------------------------------------------------------------------------

    def _join(self, i: int, k: Cluster, denial: bool = False) -> None:
        t = self.t
        if denial:
            if not k.denials:
                k.denials = []
            k.denials.append(i)
        else:
            k.members.append(i)
            w = t.when[i]
            if w is not None and (k.when is None or w[1] - w[0] < k.when[1] - k.when[0]):
                k.when = w  # the most precise date any member gives
            if t.counts[i]:
                k.counts = k.counts | t.counts[i]
        k.changed = True
        self.cluster_of[i] = k.id
        self.by_article.setdefault(t.art[i], []).append(i)

    def pin(self, cluster_id: str, rows: Iterable[int], denials: Iterable[int] = (),
            related: Iterable[str] = ()) -> None:
        """Restore a trail from an earlier run: its claims stay where they are."""
        rows = list(rows)
        denials = list(denials)
        founder = rows[0] if rows else next(iter(denials))
        k = Cluster(cluster_id, founder, self.t.deny[founder] and not rows, changed=False)
        if related:
            k.related = set(related)
        self.clusters[cluster_id] = k
        for i in rows:
            self._join(i, k)
        for i in denials:
            self._join(i, k, denial=True)
        k.changed = False

    def link(self, rows: list[int], new_id: Callable[[str], str]) -> None:
        """Link new rows in date order (undated last)."""
        t = self.t
        ids = t.article_ids
        self.weights()
        undated = [i for i in rows if t.day(i) is None]
        for start in range(0, len(undated), _CHUNK):
            chunk = undated[start:start + _CHUNK]
            for i, bands in zip(chunk, self.signer.band_keys(t, chunk), strict=True):
                self.index.want(t, i, bands)
        pinned = [i for i, k in enumerate(self.cluster_of) if k is not None]
        for start in range(0, len(pinned), _CHUNK):
            chunk = pinned[start:start + _CHUNK]
            for i, bands in zip(chunk, self.signer.band_keys(t, chunk), strict=True):
                self.index.add(t, i, bands)
        rows = sorted(rows, key=lambda i: (t.day(i) is None, t.day(i) or 0, ids[t.art[i]], t.n[i]))
        current = -1
        bands_of: dict[int, list[int]] = {}
        for pos, i in enumerate(rows):
            if pos % _CHUNK == 0:  # signatures a chunk at a time: numpy speed, bounded memory
                chunk = rows[pos:pos + _CHUNK]
                bands_of = dict(zip(chunk, self.signer.band_keys(t, chunk), strict=True))
            if t.art[i] != current:
                # An article's claims are linked together (same day, then by article id), so the
                # per-article list is needed only while its claims are being linked.
                self.by_article.pop(current, None)
                current = t.art[i]
            day = t.day(i)
            self.index.forget_before(day)
            bands = bands_of.pop(i)
            self._place(i, self.index.candidates(t, i, bands), new_id)
            self.index.add(t, i, bands)
        self.by_article.pop(current, None)
        self._settle_denials(set(rows))

    def _settle_denials(self, new: set[int]) -> None:
        """A denial that matched no trail founded one of its own. When its article also reports
        a trail (the story it answers, told after the denial: "X denied that ...; a monitor
        says 14 were killed"), and the denial shares a place, an actor or words with that trail,
        it is that trail's denial. Only trails made in this run move: ids stay stable."""
        t = self.t
        lonely = [k for k in self.clusters.values()
                  if k.deny_founder and k.members and all(i in new for i in k.members)]
        if not lonely:
            return
        wanted = {t.art[i] for k in lonely for i in k.members}
        told: dict[int, list[int]] = {}
        denied: dict[int, list[str]] = {}  # the trails the article's other denials answer
        for j, kid in enumerate(self.cluster_of):
            if kid is None or t.art[j] not in wanted:
                continue
            if not t.deny[j]:
                told.setdefault(t.art[j], []).append(j)
            elif not self.clusters[kid].deny_founder:
                denied.setdefault(t.art[j], []).append(kid)
        for k in lonely:
            votes: dict[str, float] = {}
            for i in k.members:
                for kid in denied.get(t.art[i], ()):
                    # "The coalition denied the report ... 'There was no such flight,' its
                    # spokesman said": one article answering one story.
                    if not self.dates_conflict(t.when[i], self.clusters[kid].when):
                        votes[kid] = votes.get(kid, 0.0) + 10.0
                # The accused denying: its name is in what the article reports ("Ferry Line" in
                # "a Ferry Line ferry sank").
                named = {t.vocab[w] for w in content_words(t.nodes.labels[t.chain[i][0]]) if w in t.vocab}
                for j in told.get(t.art[i], ()):
                    target = self.clusters[self.cluster_of[j] or ""]
                    if target.deny_founder or self.dates_conflict(t.when[i], target.when):
                        continue
                    score, c, shared = self.pair(i, j)
                    if score > _VETO and (shared or c > 0 or named.intersection(t.tokens[j])):
                        votes[target.id] = votes.get(target.id, 0.0) + 1.0 + c
            if not votes:
                continue
            target = self.clusters[max(votes, key=lambda x: votes[x])]
            if not target.denials:
                target.denials = []
            for i in k.members:
                target.denials.append(i)
                self.cluster_of[i] = target.id
            target.changed = True
            for r in k.related:
                peer = self.clusters.get(r)
                if peer is not None and isinstance(peer.related, set):
                    peer.related.discard(k.id)
            del self.clusters[k.id]
            self.retired.append(k.id)

    def _place(self, i: int, candidates: list[int], new_id: Callable[[str], str]) -> None:
        t, p = self.t, self.p
        best: dict[str, float] = {}
        close: dict[str, float] = {}
        scored: dict[str, int] = {}
        if t.deny[i]:
            # A denial attaches to the trail it denies; it never joins it as a claim.
            best = denials.targets(self, i, candidates)
        for j in candidates:
            kid = self.cluster_of[j]
            assert kid is not None  # rows in the index are linked
            # Two members are enough to judge a trail; candidates come best first.
            if scored.get(kid, 0) >= 2:
                continue
            scored[kid] = scored.get(kid, 0) + 1
            k = self.clusters[kid]
            if t.deny[i] and not k.deny_founder:
                continue
            score, c, shared = self.pair(i, j, k.founder)
            if t.deny[i] != k.deny_founder:
                continue
            if score >= p.merge and self.worded(i, j, c, k.founder) and self.fits(i, k):
                best[kid] = max(best.get(kid, 0.0), score)
                if c >= _SURE:
                    break  # a near copy: it will not be beaten, and what it joins is its story
            elif (shared and c >= p.related) or c >= 2 * p.related:
                # Same actors or places (or much common wording), yet another date, count or story.
                close[kid] = max(close.get(kid, 0.0), c)
        prev = cohesion.previous(self, i)
        # A claim that joined only to stay with its article continues nothing: chained on, a
        # figure it shares by chance ("30 wounded", then "30 commanders") would pull in another story.
        if prev is not None and prev not in self.loose:
            k = self.clusters[self.cluster_of[prev] or ""]
            if not t.tokens[i] and k.deny_founder == t.deny[i]:
                best = {k.id: 1.0}  # no content words: it can only belong with what precedes it
            elif k.deny_founder == t.deny[i] and self.agrees(i, k) and (
                    cohesion.continues(self, i, k) or cohesion.repeats_count(self, i, k)):
                # The article goes on about the same thing: that beats any wording match.
                best[k.id] = max(best.get(k.id, 0.0), 1.0)
        matched = {kid for kid, v in best.items() if v >= p.merge}
        if not t.deny[i]:
            cohesion.pull(self, i, best)
        if not t.deny[i] and len(best) > 1:
            # The claim belongs to two trails at once ("the helicopters landed at the wells and
            # flew 30 commanders out" joins the landing and the airlift): they were one story.
            # A clear match to each is required (chains of weak matches would drift).
            sure = self.sure
            self._union([kid for kid in best if best[kid] >= sure and not self.clusters[kid].deny_founder],
                        best)
        if not best and t.deny[i]:
            target = self._denied_in_article(i)
            if target is not None:
                best[target] = 1.0
        if best:
            kid = max(best, key=lambda x: best[x])
            k = self.clusters[kid]
            self._join(i, k, denial=t.deny[i] and not k.deny_founder)
            if kid not in matched and not k.deny_founder:
                self.loose.add(i)
        else:
            kid = new_id(t.ids[i])
            k = Cluster(kid, i, t.deny[i])
            self.clusters[kid] = k
            self._join(i, k)
        for other in sorted(close, key=lambda x: -close[x]):
            if other != kid and other in self.clusters:  # not merged away meanwhile
                self._relate(kid, other)

    def _union(self, ids: list[str], best: dict[str, float]) -> None:
        """Merge compatible clusters into the oldest one; the others' ids are retired."""
        t = self.t
        if len(ids) < 2:
            return
        ids.sort(key=lambda x: self._founded(self.clusters[x]))
        keep = self.clusters[ids[0]]
        for kid in ids[1:]:
            other = self.clusters[kid]
            if self.dates_conflict(keep.when, other.when) or counts_differ(keep.counts, other.counts):
                continue
            articles = {t.art[j] for j in keep.members}
            if any(t.art[j] in articles for j in other.members):
                continue  # two claims of one article that are not one claim: two stories
            for j in other.members:
                self.cluster_of[j] = keep.id
            for j in other.denials:
                self.cluster_of[j] = keep.id
            keep.members.extend(other.members)
            if other.denials:
                keep.denials = [*keep.denials, *other.denials]
            if other.when is not None and (keep.when is None or other.when[1] - other.when[0] < keep.when[1] - keep.when[0]):
                keep.when = other.when
            keep.counts = keep.counts | other.counts
            for r in other.related:
                peer = self.clusters.get(r)
                if peer is not None and isinstance(peer.related, set):
                    peer.related.discard(kid)
                    if r != keep.id:
                        peer.related.add(keep.id)
                        if not keep.related:
                            keep.related = set()
                        assert isinstance(keep.related, set)
                        keep.related.add(r)
            if isinstance(keep.related, set):
                keep.related.discard(kid)
            keep.changed = True
            del self.clusters[kid]
            best.pop(kid, None)
            self.retired.append(kid)
        best[keep.id] = max(best.get(keep.id, 0.0), 1.0)

    def _founded(self, k: Cluster) -> tuple[bool, int, str]:
        t, f = self.t, k.founder
        day = t.day(f)
        return (day is None, day or 0, t.ids[f])

    def agrees(self, i: int, k: Cluster) -> bool:
        t = self.t
        if self.dates_conflict(t.when[i], k.when):
            return False
        if not t.counts[i] or not k.counts:
            return True
        ratio = self.p.toll_ratio if same_incident(t, i, k.founder) else 0.0
        return not counts_differ(t.counts[i], k.counts, ratio)

    def _denied_in_article(self, i: int) -> str | None:
        """A denial matching nothing denies what its own article just reported ("the coalition
        called it a laughably bad attempt"): the nearest earlier asserting claim of the article."""
        t = self.t
        nodes = t.nodes
        mine = nodes.group_of(t.chain[i][0])
        # The same party denying again ("There was no such flight," its spokesman said, after
        # "the coalition denied the report"): it answers the story its first denial answered.
        for j in sorted(self.by_article.get(t.art[i], ()), key=lambda r: -t.n[r]):
            if t.deny[j] and t.n[j] < t.n[i] and nodes.group_of(t.chain[j][0]) == mine:
                k = self.clusters[self.cluster_of[j] or ""]
                if not k.deny_founder:
                    return k.id
        # Else the article's story the denial's words are in ("has denied carrying out any strike
        # in the area" after a spokeswoman's aside), and failing any, the nearest claim before it.
        near: dict[str, int] = {}
        for j in self.by_article.get(t.art[i], ()):
            kid = self.cluster_of[j] or ""
            if not t.deny[j] and t.n[j] < t.n[i] and not self.clusters[kid].deny_founder:
                near[kid] = max(near.get(kid, -1), t.n[j])
        if not near:
            return None
        fit = {kid: denials.answers(t, self._idf, i, self.clusters[kid].members[:denials.MEMBERS_READ])
               for kid in near}
        return max(near, key=lambda kid: (fit[kid], near[kid]))

    def _relate(self, a: str, b: str) -> None:
        ka, kb = self.clusters[a], self.clusters[b]
        if b in ka.related:
            return
        if len(ka.related) >= self.p.max_related or len(kb.related) >= self.p.max_related:
            return
        if not ka.related:
            ka.related = set()
        if not kb.related:
            kb.related = set()
        assert isinstance(ka.related, set) and isinstance(kb.related, set)
        ka.related.add(b)
        kb.related.add(a)
        ka.changed = kb.changed = True


def _lower(s: str) -> str:
    return s.lower()
