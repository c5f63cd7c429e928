"""Row <-> dataclass helpers shared by the SQLite and PostgreSQL backends.

Each table keeps the full dataclass as JSON (so a new optional field never needs a migration) plus a
few plain columns copied out of it, only for what the filters and orderings need. The functions here
decide which values go into those columns, so both backends index exactly the same things.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import StoreError
from ..models import Article, Claim, EntityRef, Trail, to_dict

# --- a fast codec ----------------------------------------------------------------------------------
# models.to_dict/from_dict inspect the type hints on every call (~240 µs per Claim); the link stage
# reads every claim, so the store compiles one encoder and one decoder per class instead (~15x
# faster). The output is the same JSON, and from_dict still reads it (tests check the round trip).

Codec = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


@functools.cache
def _encoder(tp: Any) -> Codec:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            inner = _encoder(args[0])
            return lambda v: None if v is None else inner(v)
        return to_dict
    if origin is tuple:
        parts = typing.get_args(tp)
        if len(parts) == 2 and parts[1] is Ellipsis:
            item = _encoder(parts[0])
            if item is _identity:
                return list
            return lambda v: [item(x) for x in v]
        return list
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, _encoder(hints[f.name])) for f in dataclasses.fields(tp)]
        return lambda v: {name: enc(getattr(v, name)) for name, enc in fields}
    if tp in (str, int, float, bool):
        return _identity
    return to_dict  # dicts and anything unusual: the generic walk


@functools.cache
def _decoder(tp: Any) -> Codec:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            inner = _decoder(args[0])
            return lambda v: None if v is None else inner(v)
        return _identity
    if origin is tuple:
        parts = typing.get_args(tp)
        if len(parts) == 2 and parts[1] is Ellipsis:
            item = _decoder(parts[0])
            if item is _identity:
                return tuple
            return lambda v: tuple(item(x) for x in v)
        return tuple
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp)]
        cls: Any = tp

        def decode(v: Any) -> Any:
            if not isinstance(v, dict):
                return v
            # Unknown keys (rows written by a newer claimgraph) are ignored, as from_dict does.
            return cls(**{name: (None if v[name] is None else dec(v[name]))
                          for name, dec in fields if name in v})
        return decode
    return _identity


def dumps(obj: Any) -> str:
    """Compact JSON of a dataclass; non-ASCII kept as is (half the size for Arabic or Russian text)."""
    kind: Any = type(obj)
    return json.dumps(_encoder(kind)(obj), ensure_ascii=False, separators=(",", ":"))


def _loads(cls: type[Any], data: str | bytes | dict[str, Any], what: str,
           extra: dict[str, Any] | None = None) -> Any:
    try:
        raw = json.loads(data) if isinstance(data, (str, bytes)) else dict(data)
        if extra:
            raw.update(extra)
        kind: Any = cls
        return _decoder(kind)(raw)
    except (ValueError, TypeError, KeyError) as exc:
        raise StoreError(
            f"stored {what} cannot be read ({exc}); the database may be damaged or written by a "
            "newer claimgraph — re-ingest into a fresh database"
        ) from exc


def article_json(article: Article) -> str:
    """The article as JSON without title and text: those live in their own columns (for full-text
    search), and keeping them twice would double the size of the largest table."""
    kind: Any = Article
    raw = _encoder(kind)(article)
    del raw["title"], raw["text"]
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))


def load_article(data: str | bytes | dict[str, Any], title: str, text: str) -> Article:
    return _loads(Article, data, "article", {"title": title, "text": text})  # type: ignore[no-any-return]


def load_claim(data: str | bytes | dict[str, Any]) -> Claim:
    return _loads(Claim, data, "claim")  # type: ignore[no-any-return]


def load_trail(data: str | bytes | dict[str, Any]) -> Trail:
    return _loads(Trail, data, "trail")  # type: ignore[no-any-return]


def day(published: str | None) -> str | None:
    """The ``YYYY-MM-DD`` prefix of a date or datetime, so date filters compare like with like
    (``"2017-12-29T10:00"`` must pass ``date_to="2017-12-29"``)."""
    if not published:
        return None
    return published[:10]


def day_bound(value: str | None, upper: bool) -> str | None:
    """A filter bound as a comparable day string; a month or year bound covers the whole period."""
    if not value:
        return None
    value = value.strip()[:10]
    if upper and len(value) < 10:
        # "2017-12" as an upper bound means "up to the end of December"; "~" sorts after digits.
        return value + "~"
    return value


@dataclass(frozen=True)
class ArticleRow:
    id: str
    url: str | None
    outlet: str | None
    title: str
    text: str
    published: str | None
    pub_day: str | None
    language: str | None
    reprint_of: str | None
    data: str


def article_row(article: Article) -> ArticleRow:
    return ArticleRow(
        id=article.id, url=article.url, outlet=article.outlet, title=article.title or "",
        text=article.text or "", published=article.published, pub_day=day(article.published),
        language=article.language, reprint_of=article.reprint_of, data=article_json(article),
    )


@dataclass(frozen=True)
class ClaimRow:
    id: str
    article_id: str
    n: int
    outlet: str | None
    published: str | None
    pub_day: str | None
    stance: str
    kind: str
    sentence: str
    source_text: str
    content: str
    data: str


def claim_row(claim: Claim, outlet: str | None, published: str | None) -> ClaimRow:
    """``outlet``/``published`` are the article's, used when the claim does not carry its own copy."""
    outlet = claim.outlet or outlet
    published = claim.published or published
    return ClaimRow(
        id=claim.id, article_id=claim.article_id, n=claim.n, outlet=outlet, published=published,
        pub_day=day(published), stance=claim.stance, kind=claim.kind, sentence=claim.sentence or "",
        source_text=claim.source.text if claim.source else "", content=claim.content or "",
        data=dumps(claim),
    )


def claim_refs(claim: Claim) -> Iterator[tuple[str, str | None, str | None]]:
    """(role, entity id, group) of every resolved party of a claim, for the entity/group filters.

    The entity filter matches a claim whose source, channel, origin or any chain link is the entity
    ("everything SANA was involved in"); the group filter only looks at roles ``source`` and
    ``origin`` (who actually said it), see the backends' queries.
    """
    seen: set[tuple[str, str | None, str | None]] = set()
    parties: list[tuple[str, EntityRef | None]] = [
        ("source", claim.source), ("channel", claim.channel), ("origin", claim.origin),
    ]
    parties += [("chain", ref) for ref in claim.chain]
    for role, ref in parties:
        if ref is None or (ref.entity is None and ref.group is None):
            continue
        key = (role, ref.entity, ref.group)
        if key not in seen:
            seen.add(key)
            yield key


def claim_places(claim: Claim) -> Iterator[tuple[str, int | None, str | None]]:
    seen: set[str] = set()
    for place in claim.places:
        if place.name and place.name.lower() not in seen:
            seen.add(place.name.lower())
            yield place.name, place.geoname_id, place.country


@dataclass(frozen=True)
class TrailRow:
    id: str
    summary: str
    first_seen: str | None
    last_seen: str | None
    size: int
    n_claims: int
    search_text: str
    data: str


def trail_row(trail: Trail) -> TrailRow:
    # What trail search looks at: the summary, the verdict line and the outlets' names.
    search_text = " ".join([trail.summary or "", trail.verdict or "", " ".join(trail.outlets)])
    return TrailRow(
        id=trail.id, summary=trail.summary or "", first_seen=trail.first_seen,
        last_seen=trail.last_seen, size=len(trail.article_ids), n_claims=len(trail.claim_ids),
        search_text=search_text, data=dumps(trail),
    )


_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(text: str | None) -> list[str]:
    """The words of a user's search box; every backend ANDs them. Operators and punctuation are
    dropped on purpose: a stray quote or ``NEAR(`` must never turn into a syntax error."""
    if not text:
        return []
    return _WORD.findall(text.lower())[:32]


def fts5_query(text: str | None) -> str | None:
    """An FTS5 MATCH expression: every word quoted, the last one as a prefix (search-as-you-type)."""
    terms = search_terms(text)
    if not terms:
        return None
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


# --- filters as SQL, for both backends ------------------------------------------------------------

@dataclass(frozen=True)
class Dialect:
    """What differs between the backends' WHERE clauses; everything else is written once below."""

    ph: str  # parameter placeholder
    false: str  # a literal that selects nothing
    article_fts: str  # condition on alias ``a`` taking the full-text query
    claim_fts: str  # condition on alias ``c``
    fts_query: Callable[[str | None], str | None]  # the user's words -> the engine's query string
    ref_key: str  # column of claim_refs / claim_places pointing at claims.seq
    place_eq: str  # condition on claim_places.name taking the place name
    day_upper: str  # suffix for "pub_day <= bound" so that the ISO strings compare bytewise
    stance_hint: bool  # SQLite: keep off the 5-valued stance index when a narrower filter exists


def _dates(d: Dialect, col: str, date_from: str | None, date_to: str | None,
           where: list[str], params: list[Any]) -> None:
    lo, hi = day_bound(date_from, False), day_bound(date_to, True)
    if lo:
        where.append(f"{col} >= {d.ph}")
        params.append(lo)
    if hi:
        where.append(f"{col} <= {d.ph}{d.day_upper}")
        params.append(hi)


def search_clause(d: Dialect, text: str | None, fts_clause: str, where: list[str], params: list[Any]) -> None:
    query = d.fts_query(text)
    if text and text.strip() and query is None:
        where.append(d.false)  # a search of only punctuation finds nothing, rather than everything
    if query:
        where.append(fts_clause)
        params.append(query)


def joined(where: list[str], params: list[Any]) -> tuple[str, list[Any]]:
    return (" WHERE " + " AND ".join(where)) if where else "", params


def article_where(d: Dialect, flt: Any) -> tuple[str, list[Any]]:
    """The WHERE clause (alias ``a``) and parameters of an ArticleFilter."""
    where: list[str] = []
    params: list[Any] = []
    if flt is None:
        return "", params
    search_clause(d, flt.search, d.article_fts, where, params)
    for column, value in (("outlet", flt.outlet), ("language", flt.language)):
        if value:
            where.append(f"a.{column} = {d.ph}")
            params.append(value)
    _dates(d, "a.pub_day", flt.date_from, flt.date_to, where, params)
    return joined(where, params)


def claim_where(d: Dialect, flt: Any) -> tuple[str, list[Any]]:
    """The WHERE clause (alias ``c``) and parameters of a ClaimFilter."""
    where: list[str] = []
    params: list[Any] = []
    if flt is None:
        return "", params
    search_clause(d, flt.search, d.claim_fts, where, params)
    for column, value in (("article_id", flt.article_id), ("trail_id", flt.trail_id),
                          ("outlet", flt.outlet)):
        if value:
            where.append(f"c.{column} = {d.ph}")
            params.append(value)
    if flt.stance:
        narrower = flt.article_id or flt.trail_id or flt.outlet
        where.append(f"{'+' if d.stance_hint and narrower else ''}c.stance = {d.ph}")
        params.append(flt.stance)
    key = d.ref_key
    if flt.entity:  # any role: "everything this source said or relayed"
        where.append(f"c.seq IN (SELECT {key} FROM claim_refs WHERE entity = {d.ph})")
        params.append(flt.entity)
    if flt.group:  # only who said it (source, origin): a relaying channel's group is not the claim's
        where.append(f"c.seq IN (SELECT {key} FROM claim_refs WHERE grp = {d.ph} "
                     "AND role IN ('source', 'origin'))")
        params.append(flt.group)
    if flt.place:
        where.append(f"c.seq IN (SELECT {key} FROM claim_places WHERE {d.place_eq})")
        params.append(flt.place.strip())
    _dates(d, "c.pub_day", flt.date_from, flt.date_to, where, params)
    return joined(where, params)
