"""The resolve stage: every claim's sources to registry entries, its dates to the calendar and the
places its content names to the gazetteer."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

from ..models import ARTICLE_PLACE, Article, Claim, DateRef, EntityRef, Place, Span
from .dates import DateMention, find_dates, infer_anchor, parse_anchor, report_date_spans
from .names import normalise
from .places import Gazetteer
from .registry import Registry

# Nouns by which an article refers back to a source it has named, and the registry kinds they fit.
_NEWS = ("news agency", "outlet", "broadcaster")
_KIND_NOUNS: dict[str, tuple[str, ...]] = {
    "monitoring group": ("monitor/NGO",), "monitor": ("monitor/NGO",), "war monitor": ("monitor/NGO",),
    "watchdog": ("monitor/NGO", "international organization"), "observatory": ("monitor/NGO",),
    "rights group": ("monitor/NGO",), "charity": ("monitor/NGO",), "ngo": ("monitor/NGO",),
    "organization": ("monitor/NGO", "international organization"),
    "group": ("monitor/NGO", "armed group"), "militia": ("armed group",), "rebels": ("armed group",),
    "agency": ("news agency", "international organization"), "news agency": ("news agency",),
    "reporter": _NEWS, "correspondent": _NEWS, "channel": ("broadcaster",),
    "tv": ("broadcaster",), "television": ("broadcaster",), "broadcaster": ("broadcaster",),
    "newspaper": ("outlet",), "daily": ("outlet",), "website": _NEWS,
    "ministry": ("government body", "military"), "government": ("government body",),
    "authorities": ("government body",), "army": ("military",), "military": ("military",),
    "forces": ("military", "armed group"), "command": ("military",), "coalition": ("military",),
    "alliance": ("military", "armed group"),
}

# "accused the coalition of training fighters ... on December 16": a gerund complement has no
# tense of its own, so a date at its end dates the accusation, not the training.
_GERUND_COMPLEMENT = re.compile(r"\b(?:of|for|about)\s+\w+ing\b", re.I)
# "... SANA reported on Monday that Z" inside a content: the date of that report, not of Z.
# Not after "was"/"were": "airstrikes were reported late Saturday" dates the strikes.
_REPORT_BEFORE = re.compile(
    r"(?<!\bwas )(?<!\bwere )(?<!\bbeen )(?<!\bis )(?<!\bare )"
    r"\b(?:said|says|reported|reports|told|announced|stated|claimed|added|wrote|published|confirmed)"
    r"(?:\s+\w+)?\s*$", re.I)
_THAT_AFTER = re.compile(r"^\s*,?\s*that\b", re.I)


class Resolver:
    """Fills the resolve fields of claims. Build once per run with :meth:`from_settings`; the
    registry and gazetteer data are loaded once per process."""

    def __init__(self, registry: Registry, gazetteer: Gazetteer | None = None) -> None:
        self.registry = registry
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.load()

    @classmethod
    def from_settings(cls, settings: Any) -> Resolver:
        registry = Registry.load(getattr(settings, "registry", None),
                                 fuzzy_threshold=float(getattr(settings, "fuzzy_threshold", 90.0)))
        return cls(registry)

    # --- entry point ------------------------------------------------------------------------
    def resolve(self, article: Article, claims: tuple[Claim, ...], doc: Any = None) -> tuple[Claim, ...]:
        """The claims with source, channel, chain, origin, publisher, dates and places filled.
        ``doc`` (the spaCy parse) is accepted for the orchestrator's convenience and not needed."""
        anchor = parse_anchor(article.published)
        inferred = False
        if anchor is None:
            # Only the body counts: a caption's date belongs to the photo ("March 22, 2009").
            anchor = infer_anchor(article.text)
            inferred = anchor is not None
        publisher = self.publisher(article)
        out: list[Claim] = []
        recent: dict[str, EntityRef] = {}  # registry kind -> the last source of that kind named
        reports = report_date_spans(article.text)
        for c in claims:
            claim = self._claim(article, c, anchor, inferred, publisher, reports)
            claim = self._refer_back(article, claim, recent)
            for ref in (claim.origin, claim.channel, claim.source):
                if ref is not None and ref.entity:
                    recent[ref.kind] = ref
            out.append(claim)
        if out and not any(p.lat is not None for c in out for p in c.places):
            # No claim locates the incident: the title or the dateline did ("Airstrikes kill 12 in
            # Idlib"), and without it the link stage could not meet other reports of it. When
            # some claim does locate it, the link stage already lends its place to the rest.
            where = self.article_place(article)
            if where is not None:
                out = [dataclasses.replace(c, places=(*c.places, where)) for c in out]
        return tuple(out)

    def _refer_back(self, article: Article, claim: Claim, recent: dict[str, EntityRef]) -> Claim:
        """"the monitoring group", "the ministry", "the agency": a source named by its kind alone
        refers to the last source of that kind the article named, as a claim's source or in its
        text before the claim. Without one it stays unresolved."""
        source = claim.source
        if source.entity:
            return claim
        words = normalise(source.text).split()
        words = [w for w in words if w not in ("earlier", "later", "also", "then", "its", "their")]
        if not words or len(words) > 3:
            return claim
        kinds = _KIND_NOUNS.get(" ".join(words[-2:])) or _KIND_NOUNS.get(words[-1])
        if not kinds:
            return claim
        target = next((recent[k] for k in kinds if k in recent), None)
        if target is None:
            start = claim.sentence_span[0] if claim.sentence_span[1] > 0 else len(article.text)
            named = [e for _, e in self.registry.mentions(article.text[:start]) if e.kind in kinds]
            if not named:
                return claim
            e = named[-1]
            target = EntityRef(e.name, e.kind, entity=e.id, name=e.name, group=e.group,
                               country=e.country or None, ownership=e.ownership)
        resolved = dataclasses.replace(source, entity=target.entity, name=target.name, group=target.group,
                                       kind=target.kind, country=target.country, ownership=target.ownership)
        origin = resolved if claim.origin is claim.source or claim.origin == source else claim.origin
        # The chain holds the same mention: left unresolved there, the link stage (which reads the
        # chain) would still see an unnamed "monitor" instead of the monitor named before.
        chain = tuple(resolved if (r.text, r.spans) == (source.text, source.spans)
                      else r for r in claim.chain)
        return dataclasses.replace(claim, source=resolved, origin=origin, chain=chain)

    @staticmethod
    def _kind_noun_only(text: str, entry: Any) -> bool:
        words = normalise(text).split()
        raw = text.split()
        if raw and raw[0].lower() in ("the", "a", "an"):
            raw = raw[1:]
        if not words or len(words) > 3 or any(w != w.lower() for w in raw):
            return False
        if " ".join(words[-2:]) not in _KIND_NOUNS and words[-1] not in _KIND_NOUNS:
            return False
        own = " ".join(raw).lower()
        spelled = {a.lower().removeprefix("the ") for a in (*entry.aliases, entry.name)}
        return own not in spelled

    def resolve_ref(self, ref: EntityRef | None) -> EntityRef | None:
        """A source, channel or chain link with its registry facts; unmatched ones keep text and kind."""
        if ref is None:
            return None
        # A pronoun the attribution tied to a source named before keeps that name, and gets no
        # registry entry from it: doing so lowered FA-KES pipeline trail F1 from 0.176 to 0.166,
        # and now that the link stage finds the node of the name itself it adds nothing (0.355 ->
        # 0.356, both halves unchanged).
        entry = self.registry.match(ref.text)
        if entry is not None and self._kind_noun_only(ref.text, entry):
            # "the monitor" is not Al-Monitor: a kind noun in lower case is no name, unless an
            # entry gives it as its alias word for word ("the coalition"). _refer_back ties it to
            # the source of that kind named before.
            entry = None
            if self.registry.state_media_group(ref.text) is None:
                return ref
        if entry is not None:
            return dataclasses.replace(
                ref, entity=entry.id, name=entry.name, group=entry.group, kind=entry.kind,
                country=entry.country or None, ownership=entry.ownership,
            )
        state = self.registry.state_media_group(ref.text)
        if state is not None:
            group, country = state
            return dataclasses.replace(ref, group=group, country=country, ownership="state-controlled")
        return ref

    def main_place(self, article: Article) -> Place | None:
        """The place of the article's main event (its most mentioned town or region)."""
        return self.gazetteer.main_place(article.title, article.text, sources=self.registry.alias_keys())

    def article_place(self, article: Article) -> Place | None:
        """The article's main place, as its claims hold it when none of them names a place with
        coordinates: with no words (ARTICLE_PLACE) and no spans, since the claim does not name
        it, its article does. The link stage reads it as the article's area only."""
        place = self.main_place(article)
        if place is None or place.lat is None:
            return None  # a country locates no incident
        return dataclasses.replace(place, text=ARTICLE_PLACE, spans=())

    def publisher(self, article: Article) -> str | None:
        """The article's outlet by its registry name when known ("sana.sy" -> "Syrian Arab News Agency")."""
        entry = self.registry.match_domain(article.url or "") if article.url else None
        if entry is None and article.outlet:
            entry = self.registry.match_domain(article.outlet) or self.registry.match(article.outlet)
        if entry is None and article.outlet_name:
            entry = self.registry.match(article.outlet_name)
        if entry is not None:
            return entry.name
        return article.outlet_name or article.outlet

    # --- one claim --------------------------------------------------------------------------
    def _claim(self, article: Article, claim: Claim, anchor: date | None, inferred: bool,
               publisher: str | None, reports: list[tuple[int, int]] | None = None) -> Claim:
        source = self.resolve_ref(claim.source) or claim.source
        channel = self.resolve_ref(claim.channel)
        chain = tuple(r for r in (self.resolve_ref(link) for link in claim.chain) if r is not None)
        origin = chain[0] if chain else source
        said_on, event_date = self._dates(article, claim, anchor, inferred, reports or [])
        return dataclasses.replace(
            claim, source=source, channel=channel, chain=chain, origin=origin,
            publisher=publisher or claim.publisher, said_on=said_on, event_date=event_date,
            places=self._places(article, claim),
        )

    def _sentence(self, article: Article, claim: Claim) -> tuple[str, int]:
        start, end = claim.sentence_span
        if 0 <= start < end <= len(article.text) and article.text[start:end].strip():
            return article.text[start:end], start
        found = article.text.find(claim.sentence) if claim.sentence else -1
        return claim.sentence, max(found, 0)

    def _content_spans(self, article: Article, claim: Claim, sentence: str, base: int) -> tuple[Span, ...]:
        if claim.content_spans:
            return claim.content_spans
        at = sentence.find(claim.content) if claim.content else -1
        return ((base + at, base + at + len(claim.content)),) if at >= 0 else ()

    def _dates(self, article: Article, claim: Claim, anchor: date | None, inferred: bool,
               reports: list[tuple[int, int]]) -> tuple[DateRef | None, DateRef | None]:
        """When the claim was made (a date by its cue) and when its event happened (a date in its
        content). The article's header and datelines date the report and count as neither; a date
        in the content that dates a report there ("... SANA reported on Monday that Z") is when
        something was said, not the event."""
        sentence, base = self._sentence(article, claim)
        content = self._content_spans(article, claim, sentence, base)
        mentions = [d for d in find_dates(sentence, anchor, offset=base, inferred=inferred)
                    if not any(s <= d.start and d.end <= e for s, e in reports)]
        inside = [d for d in mentions if _overlaps((d.start, d.end), content)
                  and not _dates_a_report(article.text, d, content)]
        outside = [d for d in mentions if d not in inside]
        cue_end = max((e for _, e in claim.cue_spans), default=None)
        said = _nearest(outside, cue_end) if outside else None
        event = inside[0] if inside else None
        if said is None and event is not None and cue_end is not None:
            between = article.text[cue_end:event.start] if cue_end <= event.start else ""
            if _GERUND_COMPLEMENT.search(between) and " that " not in f" {between} ":
                said, event = event, (inside[1] if len(inside) > 1 else None)
        if said is None and event is not None and cue_end is None:
            text = sentence[: event.start - base]
            if _GERUND_COMPLEMENT.search(text[-200:]) and " that " not in text:
                said, event = event, (inside[1] if len(inside) > 1 else None)
        return (said.ref if said else None), (event.ref if event else None)

    def _places(self, article: Article, claim: Claim) -> tuple[Place, ...]:
        sentence, base = self._sentence(article, claim)
        spans = self._content_spans(article, claim, sentence, base)
        skip = [r.text for r in (claim.source, claim.channel, *claim.chain) if r is not None]
        found: list[Place] = []
        for start, end in spans:
            text = article.text[start:end] if 0 <= start < end <= len(article.text) else ""
            if not text:
                continue
            found.extend(self.gazetteer.find(text, offset=start, skip=skip, sources=self.registry.alias_keys()))
        # The same place named twice in discontinuous content is one place.
        seen: dict[tuple[str, int | None], Place] = {}
        for p in found:
            seen.setdefault((p.name, p.geoname_id), p)
        return tuple(seen.values())


def _dates_a_report(text: str, mention: DateMention, content: tuple[Span, ...]) -> bool:
    """A date right after a verb of reporting, or right before the "that" opening what was
    reported, when the content opens with them: the date belongs to a report, not the event."""
    start = next((s for s, e in content if s <= mention.start < e), mention.start)
    before = text[max(start, mention.start - 40):mention.start]
    if _REPORT_BEFORE.search(before):
        return True
    # Only at the content's start: "the raid on Tuesday that killed 20" is the event's own date.
    return not before.strip() and bool(_THAT_AFTER.match(text[mention.end:mention.end + 12]))


def _overlaps(span: tuple[int, int], spans: tuple[Span, ...]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def _nearest(mentions: list[DateMention], cue_end: int | None) -> DateMention:
    if cue_end is None:
        return mentions[0]
    return min(mentions, key=lambda d: abs(d.start - cue_end))
