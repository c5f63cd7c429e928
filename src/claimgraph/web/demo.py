"""A small in-memory :class:`~claimgraph.store.base.Store` and a fictional demo dataset.

The web layer only talks to the Store protocol, so its tests (and ``claimgraph serve --demo``) can run
on this dictionary-backed store without a database file. Queries are linear scans: fine for the
few dozen records of the demo and tests, never meant for a real corpus.

Every outlet, person and event below is invented; the places are real towns used as scenery.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from ..models import Article, Citation, Claim, DateRef, EntityRef, Place, Trail, TrailOrigin
from ..store.base import ArticleFilter, ClaimFilter


def _in_range(day: str | None, start: str | None, end: str | None) -> bool:
    if start is None and end is None:
        return True
    if not day:
        return False
    # ISO dates compare as strings; a bare "YYYY-MM-DD" end includes the whole day.
    return (start is None or day[:10] >= start[:10]) and (end is None or day[:10] <= end[:10])


class MemoryStore:
    """Implements the Store protocol over dicts kept in insertion order."""

    def __init__(self) -> None:
        self.articles: dict[str, Article] = {}
        self.claims: dict[str, Claim] = {}
        self.status: dict[str, str] = {}
        self.trails: dict[str, Trail] = {}
        self.claim_trail: dict[str, str] = {}
        self.meta: dict[str, str] = {}
        self.hashes: dict[str, bytes] = {}

    def close(self) -> None:
        pass

    # --- articles ---
    def has_article(self, article_id: str) -> bool:
        return article_id in self.articles

    def add_articles(self, articles: Sequence[Article], minhashes: Mapping[str, bytes] | None = None) -> int:
        new = 0
        for a in articles:
            if a.id not in self.articles:
                self.articles[a.id] = a
                new += 1
                if minhashes and a.id in minhashes:
                    self.hashes[a.id] = minhashes[a.id]
        return new

    def mark_reprint(self, article_id: str, original_id: str | None) -> None:
        if article_id in self.articles:
            self.articles[article_id] = replace(self.articles[article_id], reprint_of=original_id)

    def get_article(self, article_id: str) -> Article | None:
        return self.articles.get(article_id)

    def _articles(self, flt: ArticleFilter | None) -> list[Article]:
        flt = flt or ArticleFilter()
        out = []
        for a in self.articles.values():
            if flt.search and flt.search.lower() not in f"{a.title}\n{a.text}".lower():
                continue
            if flt.outlet and a.outlet != flt.outlet:
                continue
            if flt.language and a.language != flt.language:
                continue
            if not _in_range(a.published, flt.date_from, flt.date_to):
                continue
            out.append(a)
        out.sort(key=lambda a: (a.published or "", a.id), reverse=True)
        return out

    def iter_articles(
        self, flt: ArticleFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> Iterator[Article]:
        rows = self._articles(flt)[offset:]
        return iter(rows if limit is None else rows[:limit])

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        return len(self._articles(flt))

    def iter_minhashes(self) -> Iterator[tuple[str, str | None, bytes]]:
        for aid, sig in self.hashes.items():
            yield aid, self.articles[aid].outlet, sig

    # --- claims ---
    def articles_to_attribute(self) -> Iterator[Article]:
        return iter([a for a in self.articles.values() if a.id not in self.status])

    def replace_claims(self, article_id: str, claims: Sequence[Claim], status: str) -> None:
        for cid in [c for c, v in self.claims.items() if v.article_id == article_id]:
            del self.claims[cid]
        for c in claims:
            self.claims[c.id] = c
        self.status[article_id] = status

    def article_status(self, article_id: str) -> str | None:
        return self.status.get(article_id)

    def get_claim(self, claim_id: str) -> Claim | None:
        return self.claims.get(claim_id)

    def _match(self, c: Claim, flt: ClaimFilter) -> bool:
        refs = [r for r in (c.source, c.channel, c.origin, *c.chain) if r is not None]
        if flt.search:
            hay = f"{c.sentence}\n{c.source.text}\n{c.content}".lower()
            if flt.search.lower() not in hay:
                return False
        if flt.article_id and c.article_id != flt.article_id:
            return False
        if flt.trail_id and self.claim_trail.get(c.id) != flt.trail_id:
            return False
        if flt.outlet and c.outlet != flt.outlet:
            return False
        if flt.group and not any(r.group == flt.group for r in refs):
            return False
        if flt.entity and not any(r.entity == flt.entity for r in refs):
            return False
        if flt.stance and c.stance != flt.stance:
            return False
        if flt.place and not any(flt.place.lower() == p.name.lower() for p in c.places):
            return False
        return _in_range(c.published, flt.date_from, flt.date_to)

    def _claims(self, flt: ClaimFilter | None) -> list[Claim]:
        flt = flt or ClaimFilter()
        out = [c for c in self.claims.values() if self._match(c, flt)]
        out.sort(key=lambda c: (c.published or "", c.article_id, -c.n), reverse=True)
        return out

    def iter_claims(
        self, flt: ClaimFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> Iterator[Claim]:
        rows = self._claims(flt)[offset:]
        return iter(rows if limit is None else rows[:limit])

    def count_claims(self, flt: ClaimFilter | None = None) -> int:
        return len(self._claims(flt))

    # --- trails ---
    def replace_trails(self, trails: Sequence[Trail]) -> None:
        for t in trails:
            self.trails[t.id] = t
            for cid in t.claim_ids:
                self.claim_trail[cid] = t.id

    def delete_trails(self, trail_ids: Sequence[str]) -> None:
        for tid in trail_ids:
            self.trails.pop(tid, None)
        self.claim_trail = {c: t for c, t in self.claim_trail.items() if t not in trail_ids}

    def get_trail(self, trail_id: str) -> Trail | None:
        return self.trails.get(trail_id)

    def _trails(self, search: str | None, order: str) -> list[Trail]:
        rows = [t for t in self.trails.values() if not search or search.lower() in t.summary.lower()]
        if order == "size":
            rows.sort(key=lambda t: (len(t.article_ids), t.last_seen or ""), reverse=True)
        else:
            rows.sort(key=lambda t: (t.last_seen or "", t.id), reverse=True)
        return rows

    def iter_trails(
        self, search: str | None = None, limit: int | None = None, offset: int = 0, order: str = "latest"
    ) -> Iterator[Trail]:
        rows = self._trails(search, order)[offset:]
        return iter(rows if limit is None else rows[:limit])

    def count_trails(self, search: str | None = None) -> int:
        return len(self._trails(search, "latest"))

    def trail_of_claim(self, claim_id: str) -> str | None:
        return self.claim_trail.get(claim_id)

    def get_meta(self, key: str) -> str | None:
        return self.meta.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self.meta[key] = value


# --- the demo dataset ----------------------------------------------------------------------------

_OUTLETS = {
    # outlet -> (name, group, country, ownership)
    "northwire.example": ("Northwire Agency", "Northwire Holdings", "RO", "state-controlled"),
    "harbourpost.example": ("The Harbour Post", "Northwire Holdings", "RO", "state-funded"),
    "plainsgazette.example": ("Plains Gazette", "Plains Media Trust", "BG", "private"),
    "eastbulletin.example": ("East Bulletin", "East Bulletin Ltd", "MD", "private"),
}
_CONSTANTA = Place("Constanța", 674531, "RO", 44.18, 28.65, "Constanța")
_VARNA = Place("Varna", 726050, "BG", 43.22, 27.92, "Varna")


def _outlet_ref(outlet: str, spans: tuple[tuple[int, int], ...] = ()) -> EntityRef:
    name, group, country, ownership = _OUTLETS[outlet]
    return EntityRef(name, "outlet", spans, outlet.split(".")[0], name, group, country, ownership)


def _claim(article: Article, n: int, source: EntityRef, cue: str, content: str, *,
           channel: EntityRef | None = None, stance: str = "assert",
           places: tuple[Place, ...] = ()) -> Claim:
    """A claim whose spans are found in the article text, so highlighting is exact."""
    text = article.text
    src_at = text.index(source.text)
    # Demo claims never cross a paragraph, so the paragraph stands in for the sentence.
    start = text.rfind("\n\n", 0, src_at)
    start = 0 if start < 0 else start + 2
    end = text.find("\n\n", src_at)
    end = len(text) if end < 0 else end
    cue_at = text.index(cue, start)
    content_at = text.index(content, start)
    src = EntityRef(source.text, source.kind, ((src_at, src_at + len(source.text)),), source.entity,
                    source.name, source.group, source.country, source.ownership)
    chain = (src,) if channel is None else (src, channel)
    return Claim(
        id=f"{article.id}:{n}", article_id=article.id, n=n, sentence=text[start:end],
        sentence_span=(start, end), source=src, cue=cue, content=content,
        source_spans=src.spans, cue_spans=((cue_at, cue_at + len(cue)),),
        content_spans=((content_at, content_at + len(content)),), channel=channel, chain=chain,
        stance=stance, outlet=article.outlet, published=article.published, origin=src,
        publisher=article.outlet, said_on=DateRef(article.published or "", "day"), places=places,
    )


def demo_records() -> tuple[list[Article], list[Claim], list[Trail]]:
    """Four fictional articles on one invented story (a grain-terminal closure), one denial."""
    a1 = Article(
        "demo-nw-1", "Grain terminal at Constanța to close for a month, port officials say",
        "Port officials told Northwire Agency that the western grain terminal at Constanța will close "
        "for a month from Monday.\n\nThe officials said the closure was needed to repair a damaged "
        "loading crane.\n\nShipping agents in the port could not be reached for comment.",
        "https://northwire.example/grain-terminal", "northwire.example", "Northwire Agency",
        "2026-03-02", "en", ("Ana Petrescu",), ("A loading crane at the terminal. (Northwire photo)",),
        ("Subscribe to our newsletter", "Share this story"), "html", "demo/nw-1.html",
    )
    a2 = Article(
        "demo-hp-1", "Constanța grain terminal shuts for repairs",
        "The western grain terminal at Constanța will close for a month, Northwire Agency reported, "
        "citing port officials.\n\nTraders in Varna expect some cargo to move through their port "
        "instead, according to a local broker.",
        "https://harbourpost.example/news/terminal", "harbourpost.example", "The Harbour Post",
        "2026-03-03", "en", (), (), ("Advertisement",), "html", "demo/hp-1.html",
    )
    a3 = Article(
        "demo-pg-1", "Varna brokers brace for diverted grain",
        "Northwire Agency said that the grain terminal at Constanța will close for a month.\n\n"
        "A spokesperson for the port operator denied that the terminal would close, saying only one "
        "berth is affected.",
        "https://plainsgazette.example/varna-grain", "plainsgazette.example", "Plains Gazette",
        "2026-03-04", "en", ("Dimitar Kolev",), (), (), "html", "demo/pg-1.html",
    )
    a4 = Article(
        "demo-eb-1", "Regional ports: a week of disruption",
        "Port officials said the grain terminal at Constanța will close for a month, according to "
        "Northwire Agency.\n\nAnalysts predicted that freight rates would rise in the spring.",
        "https://eastbulletin.example/ports-week", "eastbulletin.example", "East Bulletin",
        "2026-03-06", "en", (), (), ("Cookie notice",), "feed", "demo/eb-1.xml",
    )
    officials = EntityRef("Port officials", "government", (), "constanta-port", "Constanța port authority",
                          "Romanian state", "RO", "state-controlled")
    nw = _outlet_ref("northwire.example")
    claims = [
        _claim(a1, 1, officials, "told", "the western grain terminal at Constanța will close for a month "
               "from Monday", channel=nw, places=(_CONSTANTA,)),
        _claim(a1, 2, EntityRef("The officials", "government", (), "constanta-port",
                                "Constanța port authority", "Romanian state", "RO"),
               "said", "the closure was needed to repair a damaged loading crane", channel=nw),
        _claim(a2, 1, nw, "reported", "The western grain terminal at Constanța will close for a month",
               places=(_CONSTANTA,)),
        _claim(a2, 2, EntityRef("a local broker", "anonymous"), "according to",
               "Traders in Varna expect some cargo to move through their port instead", places=(_VARNA,)),
        _claim(a3, 1, nw, "said", "the grain terminal at Constanța will close for a month",
               places=(_CONSTANTA,)),
        _claim(a3, 2, EntityRef("A spokesperson for the port operator", "person"), "denied",
               "the terminal would close", stance="deny", places=(_CONSTANTA,)),
        _claim(a4, 1, officials, "said", "the grain terminal at Constanța will close for a month",
               channel=nw, places=(_CONSTANTA,)),
        _claim(a4, 2, EntityRef("Analysts", "group"), "predicted", "freight rates would rise in the spring",
               stance="predict"),
    ]
    ids = [c.id for c in claims]
    main = Trail(
        id="demo-terminal", summary="The western grain terminal at Constanța will close for a month",
        claim_ids=(ids[0], ids[2], ids[4], ids[5], ids[6]),
        article_ids=(a1.id, a2.id, a3.id, a4.id),
        outlets=tuple(_OUTLETS), first_seen="2026-03-02", last_seen="2026-03-06",
        origin=TrailOrigin("Port officials", "constanta-port", "Romanian state", "2026-03-02", a1.id),
        citations=(
            Citation("northwire.example", "constanta-port", "cites"),
            Citation("harbourpost.example", "northwire.example", "relays"),
            Citation("plainsgazette.example", "northwire.example", "relays"),
            Citation("eastbulletin.example", "northwire.example", "relays"),
        ),
        independent_groups=("Romanian state",), denials=(ids[5],), related=("demo-varna",),
        verdict="4 articles · 4 outlets · 1 origin (Port officials ← Northwire Agency) · "
                "0 independent confirmations · 1 denial",
    )
    side = Trail(
        id="demo-varna", summary="Grain cargo may be diverted through Varna",
        claim_ids=(ids[3],), article_ids=(a2.id,), outlets=("harbourpost.example",),
        first_seen="2026-03-03", last_seen="2026-03-03",
        origin=TrailOrigin("a local broker", None, None, "2026-03-03", a2.id),
        related=("demo-terminal",),
        verdict="1 article · 1 outlet · 1 origin (a local broker) · 0 independent confirmations · 0 denials",
    )
    return [a1, a2, a3, a4], claims, [main, side]


def fill(store: object, articles: Sequence[Article], claims: Sequence[Claim], trails: Sequence[Trail]) -> None:
    """Write records through the Store protocol (any backend)."""
    store.add_articles(articles)  # type: ignore[attr-defined]
    for a in articles:
        store.replace_claims(a.id, [c for c in claims if c.article_id == a.id], "attributed")  # type: ignore[attr-defined]
    store.replace_trails(trails)  # type: ignore[attr-defined]


def demo_store() -> MemoryStore:
    store = MemoryStore()
    fill(store, *demo_records())
    return store
