"""The data that passes between the pipeline's stages.

Every stage takes and returns these small frozen dataclasses, so a stage can be tested alone and the
store can serialise any of them with :func:`to_dict` / :func:`from_dict` without knowing the stage.

Spans are ``(start, end)`` character offsets into ``Article.text`` (end exclusive), so every claim can
be highlighted in the stored text.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

Span = tuple[int, int]

# Kinds of source, as the attribution stage types them before the registry is consulted.
SOURCE_KINDS = (
    "named",  # a person or organisation named in the text ("Talal Barazi", "the WHO")
    "outlet",  # a news organisation ("SANA", "Sputnik")
    "outlet_group",  # several outlets at once ("Russian state-run media")
    "government",  # a government body, ministry, military, official
    "organization",  # NGOs, monitors, companies
    "anonymous",  # an unnamed source that exists ("local sources", "a military source")
    "vague",  # no identifiable source ("the media", "reports")
    "group",  # a group of people ("activists", "residents")
    "person",  # a named or described person
    "unknown",
)
STANCES = ("assert", "accuse", "deny", "opinion", "predict")
ATTRIBUTION_KINDS = ("direct", "indirect", "according_to", "mixed")


@dataclass(frozen=True)
class Article:
    """One clean news article, as the ingest stage leaves it."""

    id: str  # stable: derived from outlet + normalised text, so re-ingesting finds the same id
    title: str
    text: str  # body paragraphs joined by "\n\n"; captions and boilerplate are not in it
    url: str | None = None
    outlet: str | None = None  # registered domain ("sana.sy") or a name when no domain is known
    outlet_name: str | None = None  # human name when known (feed title, site name)
    published: str | None = None  # ISO date "YYYY-MM-DD" (or a datetime) of publication
    language: str | None = None  # ISO 639-1 code from lingua, None when undetectable
    authors: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()  # photo captions and credits, kept apart from the body
    removed: tuple[str, ...] = ()  # every line removed as boilerplate, so nothing is silently lost
    fmt: str = ""  # html | text | warc | feed | jsonl
    origin: str = ""  # where it came from: a path, "path#record-3", "-" for stdin
    fetched: str | None = None  # WARC fetch date, ISO
    reprint_of: str | None = None  # id of the earlier near-identical article under another outlet

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class EntityRef:
    """A source, channel or chain link: its words in the text and, once resolved, its registry entry."""

    text: str
    kind: str = "unknown"  # one of SOURCE_KINDS (before resolution), or the registry kind after it
    spans: tuple[Span, ...] = ()
    entity: str | None = None  # registry id, e.g. "sana"
    name: str | None = None  # canonical registry name
    group: str | None = None  # controlling owner; sources sharing a group count once
    country: str | None = None  # ISO 3166-1 alpha-2
    ownership: str | None = None  # state-controlled | state-funded | public service | private | unknown


@dataclass(frozen=True)
class DateRef:
    """A calendar date with how precisely the text gives it."""

    date: str  # "2017-12-28" (day), "2017-12" (month), "2017" (year)
    precision: str  # "day" | "month" | "year"; "+inferred" suffix when no publication date anchored it
    text: str = ""  # the words it came from ("On December 28")


# The words of a place lent to a claim by its article (see Place).
ARTICLE_PLACE = "(article)"


@dataclass(frozen=True)
class Place:
    """A gazetteer place a claim is about.  ``text == ARTICLE_PLACE`` marks a place the claim holds
    only because its article names it (title or dateline): the link stage reads it as the article's
    area, not as a place the claim itself names."""

    name: str
    geoname_id: int | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    text: str = ""  # the words as written ("Deir Ezzor governorate")
    spans: tuple[Span, ...] = ()

    @property
    def from_article(self) -> bool:
        return self.text == ARTICLE_PLACE


@dataclass(frozen=True)
class Claim:
    """One attribution relation: who said what, through whom, with what stance.

    ``chain`` is ordered origin first: "TASS reported, citing SANA, that residents said X" gives
    (residents, SANA, TASS). ``origin`` is ``chain[0]`` resolved; ``publisher`` is the article's outlet.
    The resolve stage fills the fields after ``hedges``; attribution leaves them empty.
    """

    id: str  # f"{article_id}:{n}"
    article_id: str
    n: int  # 1-based position of the claim in its article
    sentence: str
    sentence_span: Span
    source: EntityRef
    cue: str
    content: str
    source_spans: tuple[Span, ...] = ()
    cue_spans: tuple[Span, ...] = ()
    content_spans: tuple[Span, ...] = ()
    channel: EntityRef | None = None
    chain: tuple[EntityRef, ...] = ()
    kind: str = "indirect"  # one of ATTRIBUTION_KINDS
    stance: str = "assert"  # one of STANCES
    hedges: tuple[str, ...] = ()  # hedging words the writer adds ("supposed", "alleged")
    outlet: str | None = None  # denormalised from the article, for linking without a join
    published: str | None = None
    # --- filled by resolve ---
    origin: EntityRef | None = None
    publisher: str | None = None
    said_on: DateRef | None = None
    event_date: DateRef | None = None
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Citation:
    src: str  # who cites: an outlet or entity id / text
    dst: str  # whom it cites
    kind: str  # "relays" (publisher -> channel), "cites" (channel -> origin), "reprints"


@dataclass(frozen=True)
class TrailOrigin:
    source: str
    entity: str | None = None
    group: str | None = None
    said_on: str | None = None
    article_id: str | None = None


@dataclass(frozen=True)
class Trail:
    """One claim followed across articles."""

    id: str  # stable across incremental runs
    summary: str
    claim_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    origin: TrailOrigin | None
    citations: tuple[Citation, ...] = ()
    reprints: tuple[str, ...] = ()  # article ids that are reprints of another article in the trail
    independent_groups: tuple[str, ...] = ()
    denials: tuple[str, ...] = ()  # claim ids that deny the trail's claim
    related: tuple[str, ...] = ()  # ids of trails about the same actors and places but another event
    verdict: str = ""  # "14 articles · 9 outlets · 1 origin (SANA ← local sources) · ..."
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


# --- serialisation -------------------------------------------------------------------------------

def to_dict(obj: Any) -> Any:
    """A JSON-ready dict of a dataclass (tuples become lists, nested dataclasses dicts)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


T = TypeVar("T")


@functools.cache
def _field_types(cls: type) -> tuple[tuple[str, Any], ...]:
    # get_type_hints re-evaluates every string annotation on each call (about 0.2 ms per class);
    # the store rebuilds thousands of objects per page, so the answer is computed once per class.
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a dataclass from :func:`to_dict` output; unknown keys are ignored (older rows)."""
    kwargs = {}
    for name, tp in _field_types(cls):  # type: ignore[arg-type]
        if name in data:
            kwargs[name] = _convert(tp, data[name])
    return cls(**kwargs)


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(members[0], value) if len(members) == 1 else value
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in value)
        return tuple(_convert(a, v) for a, v in zip(args, value, strict=False))
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        return from_dict(tp, value)  # type: ignore[arg-type]
    return value
