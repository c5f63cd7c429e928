"""Compact per-claim features for linking.

A million claims must fit in memory, so a claim is not kept as its dataclass while linking: its
features go into parallel columns of :class:`ClaimTable` (small tuples of interned ints and strings),
and the :class:`~claimgraph.models.Claim` can be dropped as soon as it has been read.

The source nodes of attribution chains (origins, channels, publishers) are interned in a
:class:`NodeTable`, so that "SANA" in ten thousand claims is one entry.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass, field
from typing import TypeVar

from ..errors import InputError
from ..models import Article, Claim, DateRef, EntityRef
from .incidents import MAX_SPOTS, Spot, kinds_of, spot
from .text import WORD, Count, content_words, counts_in, negated, said_not_happened

_T = TypeVar("_T")
_PRONOUNS = frozenset(f"t:{w}" for w in "it he she they we i you this that who".split())
# Outlets that copy an article are recognised by their domain's first label ("sana.sy" -> "sana").
_DOMAIN_SUFFIX = re.compile(r"^(?:www\.)?([^./]+)\..*$")


# "accused the coalition of a double game": the content is the accused and the charge, which
# reads as a headline once the cue's participle stands between them ("The coalition accused of
# a double game"). Only where the preposition is the cue's own ("criticized the lack of action"
# is one noun phrase, not accused and charge). The charge starts at the first such preposition
# before a gerund ("the Ministry of Defence of lying"), else at the only one; the accused is a
# short plain noun phrase.
_CHARGE_WORDS = {"accused": "of", "suspected": "of", "blamed": "for", "criticized": "for", "criticised": "for",
                 "condemned": "for", "faulted": "for", "slammed": "for", "charged": "with"}
_CHARGE_WORD = re.compile(r"\s(of|for|with)\s+(?=(\S+))")
_PARTICIPLE = re.compile(r"\b([a-z]+ed)$", re.IGNORECASE)
_ACCUSED_WORDS = 6
_NOT_PLAIN = re.compile(r"[,;:\"“”\-–—]")  # an accused with these is a clause or a quote, not a name


def charge_headline(claim: Claim) -> str | None:
    """An accusation's content in headline form, or None when it is not "<accused> of <charge>"."""
    if claim.stance != "accuse":  # most claims: no regex on the link stage's hot path
        return None
    cue = _PARTICIPLE.search(claim.cue.strip())
    participle = cue.group(1).lower() if cue else ""
    prep = _CHARGE_WORDS.get(participle)
    if prep is None:
        return None
    content = " ".join(claim.content.split())
    marks = [m for m in _CHARGE_WORD.finditer(content) if m.group(1).lower() == prep]
    gerund = [m for m in marks if m.group(2).lower().endswith("ing")]
    m = gerund[0] if gerund else (marks[0] if len(marks) == 1 else None)
    if m is None:
        return None
    accused, charge = content[: m.start()], content[m.end():]
    if not accused or _NOT_PLAIN.search(accused) or len(accused.split()) > _ACCUSED_WORDS or not charge:
        return None
    return f"{accused} {participle} {prep} {charge}"


def day_number(iso: str | None) -> int | None:
    """Proleptic ordinal of the day an ISO date or datetime starts with; None when unreadable."""
    if not iso or len(iso) < 10:
        return None
    try:
        return _dt.date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def date_range(ref: DateRef | None) -> tuple[int, int] | None:
    """The days a DateRef may mean, as an inclusive ordinal range: a day, a month or a year."""
    if ref is None or not ref.date:
        return None
    text = ref.date
    try:
        if len(text) >= 10:
            d = _dt.date.fromisoformat(text[:10]).toordinal()
            return d, d
        if len(text) == 7:
            y, m = int(text[:4]), int(text[5:7])
            start = _dt.date(y, m, 1)
            end = _dt.date(y + (m == 12), m % 12 + 1, 1)
            return start.toordinal(), end.toordinal() - 1
        if len(text) == 4:
            y = int(text)
            return _dt.date(y, 1, 1).toordinal(), _dt.date(y, 12, 31).toordinal()
    except ValueError:
        return None
    return None


def iso_of(day: int | None) -> str | None:
    return _dt.date.fromordinal(day).isoformat() if day else None


def outlet_base(outlet: str | None) -> str:
    """"sana.sy" -> "sana"; a plain name is lower-cased."""
    if not outlet:
        return ""
    text = outlet.strip().lower()
    m = _DOMAIN_SUFFIX.match(text)
    return m.group(1) if m else text


_PREPOSITION = re.compile(r"\s(?:at|in|of|from|near|with|for|on|inside|close)\s", re.IGNORECASE)


@functools.lru_cache(maxsize=65536)  # a source's words recur in claim after claim
def described(text: str) -> str:
    """The kind of person a source's words describe, when they describe rather than name it:
    the stemmed content words before the first preposition ("medical workers at the Illéla
    hospital" -> "medic worker"); "" for a name ("Dr. Halima Sani Ganda", "OCP")."""
    head = _PREPOSITION.split(f" {text.strip()} ", maxsplit=1)[0].split()
    if not head or any(w[:1].isupper() or w[:1].isdigit() for w in head[1:]) or head[0].isupper():
        return ""
    return " ".join(content_words(" ".join(head)))


def _words(text: str) -> str:
    words = " ".join(WORD.findall(text.lower()))
    return words[4:] if words.startswith("the ") else words


def _is_name(text: str) -> bool:
    """Words that name a source rather than describe it: a capital past a leading "The"."""
    words = text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return any(ch.isupper() for w in words for ch in w[:1])


@dataclass
class NodeTable:
    """Interned sources: key -> index, with a label, registry entity, group and kind per node."""

    index: dict[str, int] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    entities: list[str | None] = field(default_factory=list)
    groups: list[str | None] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    # How the texts citing it describe the source, when they describe rather than name it
    # ("medical workers at the town's hospital" -> "medic worker"): see described().
    described_as: list[frozenset[str]] = field(default_factory=list)

    def intern(self, key: str, label: str, entity: str | None, group: str | None, kind: str) -> int:
        i = self.index.get(key)
        if i is not None and entity and self.entities[i] is None:
            # First met as a publisher, now cited as a registry source: keep the registry's facts.
            self.labels[i], self.entities[i], self.groups[i], self.kinds[i] = label, entity, group, kind
        if i is None:
            i = len(self.keys)
            self.index[key] = i
            self.keys.append(key)
            self.labels.append(label)
            self.entities.append(entity)
            self.groups.append(group)
            self.kinds.append(kind)
            self.described_as.append(frozenset())
        return i

    def ref(self, ref: EntityRef, via: int | None = None) -> int:
        """The node of an EntityRef (see :meth:`_ref`), with the description its words give."""
        i = self._ref(ref, via)
        kind = described(ref.text)
        if kind and kind not in self.described_as[i]:
            self.described_as[i] = self.described_as[i] | {kind}
        return i

    def _ref(self, ref: EntityRef, via: int | None = None) -> int:
        """The node of an EntityRef. A resolved source is its registry entity; an unresolved one is
        its words, and an anonymous one also its channel ("local sources" via SANA is not
        "local sources" via Reuters), so two unnamed sources are never taken for one."""
        if ref.entity:
            key = f"e:{ref.entity.lower()}"
            label = ref.name or ref.text
            if key not in self.index and ref.name:
                # Met before as a publisher under its registry name: one node, so that an outlet
                # quoting itself adds no edge and counts once.
                known = self.index.get(f"n:{ref.name.lower()}")
                if known is not None:
                    self.index[key] = known
            i = self.intern(key, label, ref.entity, ref.group, ref.kind)
            if ref.name:
                self.index.setdefault(f"n:{ref.name.lower()}", i)
            if _is_name(ref.text):
                # A pronoun later tied to these words ("he" for "Rami Abdel Rahman") finds it.
                self.index.setdefault(f"t:{_words(ref.text)}", i)
            return i
        else:
            if ref.name and ref.name != ref.text:
                # A pronoun the attribution tied to a source named before ("he" -> "Rami Abdel
                # Rahman"): that source's node, not one "he" shared by every unnamed speaker.
                key = f"t:{_words(ref.name)}"
                known = self.index.get(f"n:{ref.name.lower()}", self.index.get(key))
                if known is not None:
                    return known
                return self.intern(key, ref.name.strip(), None, ref.group, ref.kind)
            key = f"t:{_words(ref.text)}"
            label = ref.text.strip()
            if ref.kind in ("anonymous", "vague", "group", "unknown") and via is not None:
                key += f"@{self.keys[via]}"
                # Unnamed sources count as one group per channel: "local sources via SANA".
                return self.intern(key, label, None, f"{label} via {self.labels[via]}", ref.kind)
        return self.intern(key, label, ref.entity, ref.group, ref.kind)

    def publisher(self, outlet: str, name: str | None = None) -> int:
        """The node of an article's outlet: the registered source of that name (resolve sets
        ``Claim.publisher`` to it), else the source whose registry id is the domain's first label
        ("sana.sy" -> "sana"), else a node of its own."""
        for key in (f"n:{name.lower()}" if name else "", f"e:{outlet_base(outlet)}"):
            if key in self.index:
                return self.index[key]
        i = self.intern(f"p:{outlet.lower()}", outlet, None, None, "outlet")
        self.index.setdefault(f"e:{outlet_base(outlet)}", i)
        if name:
            self.index.setdefault(f"n:{name.lower()}", i)
        return i

    def group_of(self, i: int) -> str:
        return self.groups[i] or self.entities[i] or self.keys[i]

    def is_vague(self, i: int) -> bool:
        """A source that names no one ("the media", or a pronoun the attribution left
        unresolved): it can relay but never counts as an origin or a group of its own."""
        return self.kinds[i] == "vague" or self.is_pronoun(i)

    def is_pronoun(self, i: int) -> bool:
        return self.keys[i].split("@")[0] in _PRONOUNS


@dataclass
class ClaimTable:
    """Parallel columns, one row per claim (see :meth:`add`)."""

    nodes: NodeTable = field(default_factory=NodeTable)
    vocab: dict[str, int] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)
    df: list[int] = field(default_factory=list)  # claims holding each word, for IDF weights
    article_index: dict[str, int] = field(default_factory=dict)
    article_ids: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)  # per article
    publishers: list[str | None] = field(default_factory=list)  # per article
    # The article's incident (see incidents.py): the spots of its claims' places, the kinds of event
    # its claims name (a bit set).
    art_spots: list[tuple[Spot, ...]] = field(default_factory=list)
    art_kinds: list[int] = field(default_factory=list)
    # The headline's content words (vocab ids; not counted in ``df``): what the article is about,
    # which its claims, each one voice's part of the story, often do not say in words of their own.
    art_title: list[tuple[int, ...]] = field(default_factory=list)

    ids: list[str] = field(default_factory=list)
    art: list[int] = field(default_factory=list)
    n: list[int] = field(default_factory=list)
    tokens: list[tuple[int, ...]] = field(default_factory=list)  # sorted distinct vocab ids
    text: list[str] = field(default_factory=list)  # content, for rapidfuzz and the summary
    # The summary's wording where it is not the content (see charge_headline); few rows have one.
    summaries: dict[int, str] = field(default_factory=dict)
    nums: list[frozenset[int]] = field(default_factory=list)
    counts: list[frozenset[Count]] = field(default_factory=list)
    when: list[tuple[int, int] | None] = field(default_factory=list)  # days the event may be on
    pub: list[int | None] = field(default_factory=list)
    places: list[tuple[str, ...]] = field(default_factory=list)
    spots: list[tuple[Spot, ...]] = field(default_factory=list)  # the coordinates of its places
    kinds: list[int] = field(default_factory=list)  # the kinds of event it names (a bit set)
    chain: list[tuple[int, ...]] = field(default_factory=list)  # origin first, publisher last
    act: list[tuple[int, ...]] = field(default_factory=list)  # see actors()
    # Equal small values (dates, place sets, chains) are stored once: a million claims repeat them.
    _shared: dict[object, object] = field(default_factory=dict, repr=False)
    said_on: list[str | None] = field(default_factory=list)
    deny: list[bool] = field(default_factory=list)
    # The source is named by its kind alone, in lower case ("the monitor said"): a pointer back to
    # a source named before, unlike a name ("SANA also revealed ..."), which opens a new statement.
    pointer: list[bool] = field(default_factory=list)
    # The claim names who passed it on ("residents told Agence Nord"), even when that is its own
    # publisher and so drops out of ``chain`` as a repeat.
    relayed: list[bool] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def _keep(self, value: _T) -> _T:
        return self._shared.setdefault(value, value)  # type: ignore[return-value]

    def _article(self, article_id: str, claim: Claim, article: Article | None) -> int:
        i = self.article_index.get(article_id)
        if i is None:
            i = len(self.article_ids)
            self.article_index[article_id] = i
            self.article_ids.append(article_id)
            # Trails list outlets by domain (what a reader recognises and FA-KES counts); the
            # registry name resolve puts in ``publisher`` ties the outlet to the sources it cites.
            outlet = claim.outlet or (article.outlet if article else None) or claim.publisher
            self.outlets.append(outlet or "unknown outlet")
            self.publishers.append(claim.publisher)
            self.art_spots.append(())
            title = content_words(article.title) if article is not None and isinstance(article.title, str) else []
            self.art_title.append(self._keep(tuple(sorted({self._intern(w) for w in title}))))
            # The headline names the kind of event even when no claim of the article does
            # ("Dozens of casualties in Aleppo bomb blast" over claims about the wounded).
            self.art_kinds.append(kinds_of(title))
        return i

    def _intern(self, w: str) -> int:
        t = self.vocab.get(w)
        if t is None:
            t = len(self.words)
            self.vocab[w] = t
            self.words.append(w)
            self.df.append(0)
        return t

    def _token_ids(self, words: list[str]) -> tuple[int, ...]:
        ids = set()
        for w in words:  # _intern inlined: this runs for every word of every claim
            t = self.vocab.get(w)
            if t is None:
                t = len(self.words)
                self.vocab[w] = t
                self.words.append(w)
                self.df.append(0)
            ids.add(t)
        for t in ids:
            self.df[t] += 1
        return tuple(sorted(ids))

    def add(self, claim: Claim, article: Article | None = None) -> int:
        """Read one claim into the columns; returns its row. Raises InputError, with the columns
        untouched, when a field is not what the models say (a damaged or foreign record)."""
        try:
            values = self._read(claim, article)
        except (AttributeError, TypeError, ValueError) as exc:
            raise InputError(
                f"claim {getattr(claim, 'id', '?')!r}", f"cannot be linked ({exc})",
                "re-attribute its article (claimgraph attribute) or report the record",
            ) from exc
        words, a, when, pub, places, chain, said_on, relayed, self_named = values
        nodes = self.nodes
        self.ids.append(claim.id)
        self.art.append(a)
        self.n.append(claim.n)
        self.tokens.append(self._token_ids(words))
        self.text.append(claim.content)
        head = charge_headline(claim)
        if head is not None:
            self.summaries[len(self.text) - 1] = head
        counts = self._keep(counts_in(claim.content))
        self.counts.append(counts)
        self.nums.append(self._keep(frozenset(v for v, _ in counts)))
        self.when.append(self._keep(when) if when else None)
        self.pub.append(self._keep(pub) if pub else None)
        self.places.append(self._keep(places))
        own = self._keep(tuple(dict.fromkeys(
            s for s in (spot(p.lat, p.lon) for p in claim.places if not p.from_article)
            if s is not None))[:MAX_SPOTS])
        self.spots.append(own)
        found = own or tuple(s for s in (spot(p.lat, p.lon) for p in claim.places) if s is not None)
        if found and len(self.art_spots[a]) < MAX_SPOTS:
            self.art_spots[a] = self._keep(tuple(dict.fromkeys((*self.art_spots[a], *found)))[:MAX_SPOTS])
        kinds = kinds_of(words)
        self.kinds.append(kinds)
        self.art_kinds[a] |= kinds
        chain = self._keep(chain)
        self.chain.append(chain)
        # The publisher is an actor when the claim itself names it as a party ("The Observatory
        # has received reports from medical workers that ..." in the Observatory's own statement):
        # the relays that cite the Observatory then share that actor with it.
        actors = chain if self_named else chain[:-1]
        self.act.append(self._keep(tuple(x for x in actors if not nodes.is_vague(x))))
        self.said_on.append(said_on)
        self.deny.append(claim.stance == "deny" or (claim.stance == "assert" and negated(claim.content)))
        text = claim.source.text.strip()
        self.pointer.append(bool(text) and text == text.lower() and len(text.split()) <= 3)
        self.relayed.append(relayed)
        return len(self.ids) - 1

    def _read(self, claim: Claim, article: Article | None) -> tuple[
        list[str], int, tuple[int, int] | None, int | None, tuple[str, ...], tuple[int, ...], str | None, bool,
        bool,
    ]:
        if not isinstance(claim.id, str) or not isinstance(claim.content, str) or not isinstance(claim.n, int):
            raise TypeError("id, n or content has the wrong type")
        words = content_words(claim.content)
        # Only the event's date can contradict: relays quote a statement on later days, and a
        # denial is said days after the event it denies.
        when = date_range(claim.event_date) if not said_not_happened(claim) else None
        places = tuple(sorted({str(p.geoname_id) if p.geoname_id else (p.name or "").lower()
                               for p in claim.places if not p.from_article} - {""}))
        pub = day_number(claim.published or (article.published if article else None))
        said_on = claim.said_on.date if claim.said_on else None
        refs: tuple[EntityRef, ...] = claim.chain
        if not refs:
            refs = (claim.source, claim.channel) if claim.channel else (claim.source,)
        if claim.origin is not None:
            refs = (claim.origin, *refs[1:])
        for ref in refs:
            if not isinstance(ref.text, str):
                raise TypeError("a source has no text")
        a = self._article(claim.article_id, claim, article)
        nodes = self.nodes
        # Intern from the outermost link inward: an anonymous origin's key needs its channel.
        chain_rev: list[int] = [nodes.publisher(self.outlets[a], self.publishers[a])]
        self_named = False
        for ref in reversed(refs):
            node = nodes.ref(ref, via=chain_rev[-1])
            if node != chain_rev[-1]:
                chain_rev.append(node)
            elif len(chain_rev) == 1 and len(refs) > 1:
                self_named = True  # the publisher named as the relay of someone else's word
        return (words, a, when, pub, places, tuple(reversed(chain_rev)), said_on, len(refs) > 1,
                self_named)

    def actors(self, i: int) -> tuple[int, ...]:
        """Source nodes of a claim except its publisher and vague sources ("the media")."""
        return self.act[i]

    def area(self, i: int) -> tuple[Spot, ...]:
        """Where a claim's event is: its own places, else those of its article."""
        return self.spots[i] or self.art_spots[self.art[i]]

    def day(self, i: int) -> int | None:
        """The day a claim is filed under for blocking: publication, else its own date."""
        p = self.pub[i]
        if p is not None:
            return p
        w = self.when[i]
        return w[0] if w else None
