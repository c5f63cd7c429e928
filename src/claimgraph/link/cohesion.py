"""Article cohesion: the claims of one article about its incident stay together.

(The older rules for one article's claims in sequence live here too, at the end: a claim that
continues the one before it, refers back to its source, or corroborates its date or count.)

A report of an airstrike is told in many claims with different voices and words: the toll from a
monitor, the blame from a rebel spokesman, a medic's account, the army's version. Matched claim by
claim, they scatter over as many trails, and two outlets reporting the same incident meet, if at
all, through one pair of claims while the rest of each article goes elsewhere. So a claim that
speaks of its article's incident (it names a kind of event, a count, a place in the area or the
day) and contradicts nothing of it stays with the article's trail, its *home*; and when it also
matches another article's trail, the two trails are one incident and merge.

What keeps this from swallowing everything: the article must report an incident at all (it names
a kind of event); a claim saying nothing of the incident (an appeal, a comment) stays out, and so
does the version of a party the article reports denying it; a claim
dated to another day or month, or said on another day ("earlier in December", "Sputnik said on
September 7"), is the background the article recounts; a place away from the trail's area is
another incident; and the usual vetoes (dates, counts) still apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import DateRef
from .features import date_range
from .incidents import near, tells
from .text import content_words

if TYPE_CHECKING:  # the matcher calls this module; only its types are needed here
    from .matching import Cluster, Matcher

_UNNAMED = ("anonymous", "unknown", "vague", "group", "person")


def home(m: Matcher, i: int) -> Cluster | None:
    """The trail of row ``i``'s article: among the trails holding its claims linked so far, one
    that other reports share (that is where its incident is told), then the one holding most of
    its claims, then the bigger; none when it is a denial's."""
    t = m.t
    tally: dict[str, int] = {}
    for j in m.by_article.get(t.art[i], ()):
        kid = m.cluster_of[j]
        if kid is not None and not t.deny[j]:
            tally[kid] = tally.get(kid, 0) + 1
    if not tally:
        return None
    k = m.clusters[max(tally, key=lambda x: (len(m.clusters[x].members) > tally[x], tally[x],
                                             len(m.clusters[x].members)))]
    return None if k.deny_founder else k


def coheres(m: Matcher, i: int, k: Cluster) -> bool:
    """Row ``i`` tells more of the incident its article reports in trail ``k`` (see the module
    text). Dates and counts at odds with the trail are the caller's vetoes."""
    t = m.t
    if not t.art_kinds[t.art[i]]:
        return False  # the article reports no incident (a statement, a policy, a trial)
    if not tells(t, i):
        return False  # says nothing of the incident itself: an aside, an appeal, a comment
    # The other side's version ("the only flights that night were two medical evacuations", from
    # the coalition whose denial the article reports) answers the incident; it is no report of it.
    nodes = t.nodes
    mine = nodes.group_of(t.chain[i][0])
    if any(t.deny[j] and nodes.group_of(t.chain[j][0]) == mine
           for j in (*m.by_article.get(t.art[i], ()), *k.denials)):
        return False
    own = t.spots[i]
    if own and not near(own, t.area(k.founder)):
        return False
    # A date of its own must be the incident's day: "earlier in December" or "said on September
    # 7" in a report of December 28 is the background the article recounts. A trail dated only
    # to a month ("earlier in December") has no day to agree with: a claim dated or said on a day
    # of it (the Russian centre "said on December 16") is held to the day of the trail's first report.
    day = t.day(k.founder)
    exact = k.when if k.when is not None and k.when[0] == k.when[1] else None
    said = date_range(DateRef(t.said_on[i] or "", "")) if t.said_on[i] else None
    for when in (t.when[i], said):
        if when is not None and (when[0] != when[1] or m.dates_conflict(when, exact or (
                (day, day) if day is not None else None))):
            return False
    return True


def pull(m: Matcher, i: int, best: dict[str, float]) -> None:
    """Weigh the article's home trail into ``best`` (trail id -> score) for row ``i``: a claim
    of its incident stays home at the score of an incident match; when it also matches another
    trail, both get a score from which the matcher merges them."""
    k = home(m, i)
    if k is None or not m.agrees(i, k) or not coheres(m, i, k):
        return
    p = m.p
    bridges = [kid for kid in best if kid != k.id and best[kid] >= p.merge]
    if bridges:
        # Both at a merging score, the match a little above home: should the two trails not
        # merge (another day, another toll), the claim goes where its words matched.
        best[k.id] = max(best.get(k.id, 0.0), m.sure)
        for kid in bridges:
            best[kid] = max(best[kid], m.sure + 0.01)
    else:
        best[k.id] = max(best.get(k.id, 0.0), p.merge + p.incident)


# --- one article's claims in sequence ------------------------------------------------------

def corroborates(m: Matcher, i: int, k: Cluster) -> bool:
    """An article restating its story in other words ("evacuated 30 commanders ... on
    Tuesday", then "three helicopters landed ... on Tuesday"): the claim dates the event on
    the trail's known date, or repeats one of its counts. Two events of one article are told
    apart by these same facts (another date or count vetoes earlier), so requiring one of them
    to agree keeps a background story ("In September, ...") out."""
    t = m.t
    w, kw = t.when[i], k.when
    if w is not None and kw is not None and w[0] == w[1] and kw[0] == kw[1]:
        return True  # both dated to the day, and agrees found the days compatible
    # (a month, "earlier in December", fits any day of it: no evidence of the same event)
    mine = {v for v, _ in t.counts[i]}
    return bool(mine) and any(v in mine for v, _ in k.counts)


def continues(m: Matcher, i: int, k: Cluster) -> bool:
    """A claim continues the one just before it in its article: same source chain, next
    position, some shared word or place ("The commanders were moved ..., according to SANA")."""
    t = m.t
    j = previous(m, i)
    if j is None or m.cluster_of[j] != k.id:
        return False
    if t.chain[j][:-1] == t.chain[i][:-1] or (t.pointer[i] and t.chain[i][0] in t.chain[j][1:-1]):
        # The same voice, or the channel of the claim before, pointed at by its kind ("OCP
        # said, citing medical workers, ..." then "the monitor said ...").
        return bool(set(t.tokens[i]).intersection(t.tokens[j]) or set(t.places[i]).intersection(t.places[j]))
    return refers_back(m, i, j)


def refers_back(m: Matcher, i: int, j: int) -> bool:
    """Row ``i``'s source is an unnamed pointer to row ``j``'s origin: "The sources said ..."
    after "local sources told NCNA ...", or a bare pronoun. A named source ("SANA also
    revealed ...") is a new statement, not a pointer."""
    nodes = m.t.nodes
    oi, oj = m.t.chain[i][0], m.t.chain[j][0]
    if nodes.is_pronoun(oi):
        return True
    if nodes.entities[oi] is not None or nodes.kinds[oi] not in _UNNAMED:
        return False
    words = content_words(nodes.labels[oi])
    return bool(words) and words[-1] in content_words(nodes.labels[oj])


def previous(m: Matcher, i: int) -> int | None:
    """The claim just before ``i`` in its article, passing over claims with no content words
    (an attribution whose content came out empty says nothing and must not break a run)."""
    t = m.t
    at = {t.n[j]: j for j in m.by_article.get(t.art[i], ())}
    n = t.n[i] - 1
    while n in at:
        if t.tokens[at[n]]:
            return at[n]
        n -= 1
    return at.get(t.n[i] - 1)


def repeats_count(m: Matcher, i: int, k: Cluster) -> bool:
    """The claim right after one of trail k in its article repeats one of k's counts ("killing
    at least 14", then a doctor: "we received fourteen bodies"): the same event, told by a
    second witness."""
    mine = {v for v, _ in m.t.counts[i]}
    return bool(mine) and any(v in mine for v, _ in k.counts)
