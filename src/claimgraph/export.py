"""Exports of the stored claims, articles and trails, for other tools and for fact-checkers.

    json         {"articles": [...], "claims": [...], "trails": [...]} (models.to_dict rows)
    csv          one table (claims or articles), flat columns
    parquet      the same table, typed columns (pyarrow)
    claimreview  schema.org ClaimReview JSON-LD per trail; the rating is left empty for a person
    graphml      the citation graph: outlets and sources as nodes, "relays"/"cites" as weighted edges
    prov         W3C PROV-JSON: articles and claims as entities, sources and outlets as agents

Everything streams from the store, so a whole database exports in bounded memory (the ClaimReview,
GraphML and PROV documents hold one trail's records, or the graph's edges, at a time).
``write_export`` is the one entry point the CLI and the web server call; ``export_to_file`` wraps it
for a named output file.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO, Any
from urllib.parse import quote

from .errors import InputError, OutputError
from .models import Article, Claim, EntityRef, Trail, to_dict
from .store.base import ClaimFilter, Store

FORMATS = ("json", "csv", "parquet", "claimreview", "graphml", "prov")
TABLES = ("claims", "articles")
MEDIA_TYPES = {
    "json": "application/json", "csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet",
    "claimreview": "application/ld+json", "graphml": "application/graphml+xml", "prov": "application/json",
}
EXTENSIONS = {"json": "json", "csv": "csv", "parquet": "parquet", "claimreview": "jsonld",
              "graphml": "graphml", "prov": "prov.json"}

CLAIM_COLUMNS = (
    "id", "article_id", "n", "outlet", "published", "source", "source_kind", "source_entity", "source_group",
    "channel", "channel_entity", "origin", "origin_entity", "origin_group", "cue", "content", "stance", "kind",
    "hedges", "said_on", "event_date", "places", "sentence", "sentence_start", "sentence_end",
)
ARTICLE_COLUMNS = (
    "id", "title", "outlet", "outlet_name", "published", "language", "url", "authors", "fmt", "origin",
    "fetched", "reprint_of", "captions", "text",
)
_INT_COLUMNS = {"n", "sentence_start", "sentence_end"}
_BATCH = 2000  # rows per Parquet row group / per store page: big enough to be fast, small in memory


# --- selection ---------------------------------------------------------------------------------

class Selection:
    """The records an export covers: the whole store, or one trail and what it touches."""

    def __init__(self, store: Store, trail_id: str | None = None) -> None:
        self.store = store
        self.trail: Trail | None = None
        if trail_id is not None:
            self.trail = store.get_trail(trail_id)
            if self.trail is None:
                raise InputError(f"trail {trail_id}", "no such trail in the database",
                                 "list the trails with `claimgraph trails`")

    def trails(self) -> Iterator[Trail]:
        if self.trail is not None:
            yield self.trail
            return
        offset = 0
        while True:
            page = list(self.store.iter_trails(limit=_BATCH, offset=offset))
            yield from page
            if len(page) < _BATCH:
                return
            offset += _BATCH

    def claims(self) -> Iterator[Claim]:
        if self.trail is not None:
            found = list(self.store.iter_claims(ClaimFilter(trail_id=self.trail.id)))
            if not found:
                found = [c for c in map(self.store.get_claim, self.trail.claim_ids) if c is not None]
            yield from found
            return
        yield from self.store.iter_claims()

    def articles(self) -> Iterator[Article]:
        if self.trail is not None:
            ids = dict.fromkeys([*self.trail.article_ids, *(c.article_id for c in self.claims())])
            for aid in ids:
                a = self.store.get_article(aid)
                if a is not None:
                    yield a
            return
        yield from self.store.iter_articles()


# --- flat tables -------------------------------------------------------------------------------

def _join(values: Iterable[str]) -> str:
    return "; ".join(v for v in values if v)


def _ref(ref: EntityRef | None, attr: str) -> str | None:
    return None if ref is None else getattr(ref, attr)


def claim_record(claim: Claim) -> dict[str, Any]:
    """The ``claimgraph claims --json`` record of one claim: the documented keys first (issue 4's
    source/channel/chain entities, origin, publisher, dates, places), spans grouped at the end."""
    def entity(ref: EntityRef | None) -> dict[str, Any] | None:
        return None if ref is None else dict(to_dict(ref))

    return {
        "id": claim.id,
        "article_id": claim.article_id,
        "n": claim.n,
        "outlet": claim.outlet,
        "published": claim.published,
        "sentence": claim.sentence,
        "source": entity(claim.source),
        "channel": entity(claim.channel),
        "chain": [entity(link) for link in claim.chain],
        "cue": claim.cue,
        "content": claim.content,
        "kind": claim.kind,
        "stance": claim.stance,
        "hedges": list(claim.hedges),
        "spans": {
            "sentence": list(claim.sentence_span),
            "source": [list(s) for s in claim.source_spans],
            "cue": [list(s) for s in claim.cue_spans],
            "content": [list(s) for s in claim.content_spans],
        },
        "origin": entity(claim.origin),
        "publisher": claim.publisher,
        "said_on": to_dict(claim.said_on),
        "event_date": to_dict(claim.event_date),
        "places": to_dict(claim.places),
    }


def claim_row(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id, "article_id": c.article_id, "n": c.n, "outlet": c.outlet, "published": c.published,
        "source": c.source.text, "source_kind": c.source.kind, "source_entity": c.source.entity,
        "source_group": c.source.group, "channel": _ref(c.channel, "text"),
        "channel_entity": _ref(c.channel, "entity"), "origin": _ref(c.origin, "text"),
        "origin_entity": _ref(c.origin, "entity"), "origin_group": _ref(c.origin, "group"), "cue": c.cue,
        "content": c.content, "stance": c.stance, "kind": c.kind, "hedges": _join(c.hedges),
        "said_on": c.said_on.date if c.said_on else None,
        "event_date": c.event_date.date if c.event_date else None,
        "places": _join(p.name for p in c.places), "sentence": c.sentence,
        "sentence_start": c.sentence_span[0], "sentence_end": c.sentence_span[1],
    }


def article_row(a: Article) -> dict[str, Any]:
    return {
        "id": a.id, "title": a.title, "outlet": a.outlet, "outlet_name": a.outlet_name,
        "published": a.published, "language": a.language, "url": a.url, "authors": _join(a.authors),
        "fmt": a.fmt, "origin": a.origin, "fetched": a.fetched, "reprint_of": a.reprint_of,
        "captions": " | ".join(a.captions), "text": a.text,
    }


def table_rows(sel: Selection, table: str) -> tuple[tuple[str, ...], Iterator[dict[str, Any]]]:
    if table == "claims":
        return CLAIM_COLUMNS, map(claim_row, sel.claims())
    if table == "articles":
        return ARTICLE_COLUMNS, map(article_row, sel.articles())
    raise InputError(f"table {table}", "unknown table", f"use one of {', '.join(TABLES)}")


def _csv_safe(value: Any) -> Any:
    # Spreadsheets run a cell that starts with = + - @ as a formula; article text is untrusted, so
    # such cells get a leading apostrophe (OWASP's advice), which spreadsheets hide.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(columns: tuple[str, ...], rows: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=columns)
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: _csv_safe(v) for k, v in row.items()})
        n += 1
    text.detach()  # leave ``out`` open for the caller
    return n


def write_parquet(columns: tuple[str, ...], rows: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.int64() if c in _INT_COLUMNS else pa.string()) for c in columns])
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def write_json(sel: Selection, out: IO[bytes]) -> int:
    """One JSON document, written record by record so a large store never sits in memory whole."""
    n = 0
    out.write(b"{")
    for i, (key, rows) in enumerate((("articles", sel.articles()), ("claims", sel.claims()),
                                     ("trails", sel.trails()))):
        out.write((', ' if i else '') .encode() + json.dumps(key).encode() + b": [")
        for j, obj in enumerate(rows):
            out.write((b",\n" if j else b"\n") + json.dumps(to_dict(obj), ensure_ascii=False).encode("utf-8"))
            n += 1
        out.write(b"]")
    out.write(b"}\n")
    return n


# --- ClaimReview -------------------------------------------------------------------------------

_PERSON_KINDS = {"person", "anonymous", "named"}


def _work(a: Article) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "NewsArticle", "headline": a.title}
    if a.url:
        work["url"] = a.url
    if a.published:
        work["datePublished"] = a.published
    if a.outlet or a.outlet_name:
        work["publisher"] = {"@type": "Organization", "name": a.outlet_name or a.outlet}
    return work


def claimreview(trail: Trail, claims: Iterable[Claim], articles: Iterable[Article]) -> dict[str, Any]:
    """schema.org ClaimReview of one trail. ``reviewRating`` is present but empty on purpose: the
    trail says who said it and through whom, never whether it is true; a fact-checker fills it."""
    arts = sorted(articles, key=lambda a: (a.published or "9999", a.id))
    by_id = {a.id: a for a in arts}
    origin = trail.origin
    origin_kind = "unknown"
    for c in claims:
        if origin is not None and c.origin is not None and c.origin.text == origin.source:
            origin_kind = c.origin.kind
            break
    first = by_id.get(origin.article_id or "") if origin else None
    first = first or (arts[0] if arts else None)
    item: dict[str, Any] = {"@type": "Claim", "appearance": [_work(a) for a in arts]}
    if first is not None:
        item["firstAppearance"] = _work(first)
    if origin is not None:
        item["author"] = {"@type": "Person" if origin_kind in _PERSON_KINDS else "Organization",
                          "name": origin.source}
    said = (origin.said_on if origin else None) or trail.first_seen
    if said:
        item["datePublished"] = said
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": trail.id,
        "claimReviewed": trail.summary,
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "ratingValue": None, "alternateName": None,
                         "ratingExplanation": None},
    }


def write_claimreview(sel: Selection, out: IO[bytes]) -> int:
    docs = []
    for t in sel.trails():
        one = Selection(sel.store, t.id)
        docs.append(claimreview(t, list(one.claims()), list(one.articles())))
    body: Any = docs[0] if sel.trail is not None else docs
    out.write(json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
    return len(docs)


# --- GraphML -----------------------------------------------------------------------------------

_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def citation_graph(trails: Iterable[Trail]) -> tuple[dict[str, dict[str, str]], Counter[tuple[str, str, str]]]:
    nodes: dict[str, dict[str, str]] = {}
    edges: Counter[tuple[str, str, str]] = Counter()
    for t in trails:
        # A publisher is whoever relays (or reprints); citations name it by label, trails by domain.
        outlets = set(t.outlets) | {c.src for c in t.citations if c.kind in ("relays", "reprints")}
        for cit in t.citations:
            for end in (cit.src, cit.dst):
                node = nodes.setdefault(end, {"label": end, "kind": "source", "group": ""})
                if end in outlets:
                    node["kind"] = "outlet"
                if t.origin and end in (t.origin.entity, t.origin.source):
                    node["group"] = node["group"] or (t.origin.group or "")
                    node["label"] = t.origin.source if end == t.origin.entity else node["label"]
            edges[(cit.src, cit.dst, cit.kind)] += 1
    return nodes, edges


def write_graphml(sel: Selection, out: IO[bytes]) -> int:
    nodes, edges = citation_graph(sel.trails())
    ET.register_namespace("", _GRAPHML_NS)
    root = ET.Element(f"{{{_GRAPHML_NS}}}graphml")
    keys = (("label", "node"), ("kind", "node"), ("group", "node"), ("relation", "edge"), ("weight", "edge"))
    for name, domain in keys:
        ET.SubElement(root, f"{{{_GRAPHML_NS}}}key", {
            "id": name, "for": domain, "attr.name": name, "attr.type": "int" if name == "weight" else "string"})
    graph = ET.SubElement(root, f"{{{_GRAPHML_NS}}}graph", {"id": "citations", "edgedefault": "directed"})
    for node_id, attrs in nodes.items():
        node = ET.SubElement(graph, f"{{{_GRAPHML_NS}}}node", {"id": node_id})
        for key, value in attrs.items():
            ET.SubElement(node, f"{{{_GRAPHML_NS}}}data", {"key": key}).text = value
    for i, ((src, dst, kind), weight) in enumerate(sorted(edges.items())):
        edge = ET.SubElement(graph, f"{{{_GRAPHML_NS}}}edge", {"id": f"e{i}", "source": src, "target": dst})
        ET.SubElement(edge, f"{{{_GRAPHML_NS}}}data", {"key": "relation"}).text = kind
        ET.SubElement(edge, f"{{{_GRAPHML_NS}}}data", {"key": "weight"}).text = str(weight)
    out.write(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")
    return len(edges)


# --- PROV-JSON ---------------------------------------------------------------------------------

def _local(text: str) -> str:
    # PROV-N qualified names cannot hold spaces, quotes or most punctuation: percent-encode them.
    return quote(text, safe="-_.")


def _qn(name: str) -> dict[str, str]:
    """A qualified-name value (PROV-JSON writes a bare string as a string literal)."""
    return {"$": name, "type": "prov:QUALIFIED_NAME"}


def _agent_id(ref: EntityRef) -> str:
    return f"cg:source/{_local(ref.entity)}" if ref.entity else f"cg:mention/{_local(ref.text)}"


def prov_document(sel: Selection) -> dict[str, Any]:
    """PROV-JSON of the selection: articles, claims and what their sources said as entities; sources
    and outlets as agents.

    PROV-DM's derivation subtypes are written the PROV-JSON way, as ``wasDerivedFrom`` records typed
    ``prov:Quotation`` (PROV-O's wasQuotedFrom: a direct quote) or ``prov:PrimarySource`` (PROV-O's
    hadPrimarySource: the origin's statement); record ids spell the PROV-O name. A made-up
    top-level key would make the document unreadable to PROV tools (the ``prov`` library checks).
    """
    entity: dict[str, Any] = {}
    agent: dict[str, Any] = {}
    derived: dict[str, Any] = {}
    attributed: dict[str, Any] = {}
    for a in sel.articles():
        entity[f"cg:article/{_local(a.id)}"] = {"prov:type": _qn("schema:NewsArticle"), "prov:label": a.title,
                                        **({"schema:datePublished": a.published} if a.published else {})}
        if a.outlet or a.outlet_name:
            outlet = f"cg:outlet/{_local(a.outlet or a.outlet_name or '')}"
            agent.setdefault(outlet, {"prov:type": _qn("prov:Organization"), "prov:label": a.outlet_name or a.outlet})
            attributed[f"_:wasAttributedTo/article/{a.id}"] = {"prov:entity": f"cg:article/{_local(a.id)}",
                                                              "prov:agent": outlet}
    for c in sel.claims():
        cid = f"cg:claim/{_local(c.id)}"
        entity[cid] = {"prov:type": _qn("cg:Claim"), "prov:value": c.content, "cg:stance": c.stance,
                       "cg:cue": c.cue}
        # The article carries the claim: the article is derived from it, not the other way round.
        derived[f"_:wasDerivedFrom/{c.id}"] = {"prov:generatedEntity": f"cg:article/{_local(c.article_id)}",
                                               "prov:usedEntity": cid}
        chain = list(c.chain) or [c.source]
        for ref in chain:
            agent.setdefault(_agent_id(ref), {"prov:type": _qn("prov:Agent"), "prov:label": ref.name or ref.text,
                                              **({"cg:group": ref.group} if ref.group else {})})
        attributed[f"_:wasAttributedTo/claim/{c.id}"] = {"prov:entity": cid, "prov:agent": _agent_id(c.source)}
        speaker = c.origin or chain[0]
        said = f"cg:statement/{_local(c.id)}"
        entity[said] = {"prov:type": _qn("cg:Statement"), "prov:label": f"what {speaker.text} said"}
        agent.setdefault(_agent_id(speaker), {"prov:type": _qn("prov:Agent"), "prov:label": speaker.name or speaker.text})
        attributed[f"_:wasAttributedTo/statement/{c.id}"] = {"prov:entity": said, "prov:agent": _agent_id(speaker)}
        link = {"prov:generatedEntity": cid, "prov:usedEntity": said}
        if c.kind == "direct":
            derived[f"_:wasQuotedFrom/{c.id}"] = {**link, "prov:type": _qn("prov:Quotation")}
        derived[f"_:hadPrimarySource/{c.id}"] = {**link, "prov:type": _qn("prov:PrimarySource")}
    return {
        "prefix": {"cg": "urn:claimgraph:", "schema": "https://schema.org/"},
        "entity": entity, "agent": agent, "wasAttributedTo": attributed, "wasDerivedFrom": derived,
    }


def write_prov(sel: Selection, out: IO[bytes]) -> int:
    doc = prov_document(sel)
    out.write(json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
    return len(doc["entity"])


# --- entry point -------------------------------------------------------------------------------

def write_export(store: Store, fmt: str, out: IO[bytes], trail_id: str | None = None,
                 table: str = "claims") -> int:
    """Write one export to a binary stream; returns how many records (rows, documents, edges) went out.

    Raises :class:`InputError` for an unknown format, table or trail.
    """
    if fmt not in FORMATS:
        raise InputError(f"format {fmt}", "unknown export format", f"use one of {', '.join(FORMATS)}")
    sel = Selection(store, trail_id)
    if fmt in ("csv", "parquet"):
        columns, rows = table_rows(sel, table)
        return (write_csv if fmt == "csv" else write_parquet)(columns, rows, out)
    writer = {"json": write_json, "claimreview": write_claimreview, "graphml": write_graphml,
              "prov": write_prov}[fmt]
    return writer(sel, out)


def export_bytes(store: Store, fmt: str, trail_id: str | None = None, table: str = "claims") -> bytes:
    buf = io.BytesIO()
    write_export(store, fmt, buf, trail_id, table)
    return buf.getvalue()


def export_to_file(store: Store, fmt: str, path: str, trail_id: str | None = None,
                   table: str = "claims") -> int:
    """Write one export to the file ``path``; returns how many records went out.

    The export goes to a temporary file next to ``path``, renamed over it at the end, so a failed
    export never leaves half a file nor destroys an earlier good one. Raises :class:`OutputError`
    when the file cannot be written, :class:`InputError` as :func:`write_export` does.
    """
    import os
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".export-", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write there ({exc.strerror or exc}); "
                          f"check that the folder {folder} exists and is writable") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            n = write_export(store, fmt, fh, trail_id, table)
        # mkstemp makes the file private (0600); an export is an ordinary file, so it gets the mode
        # any new file gets under the user's umask (read back by setting it: there is no getter).
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise OutputError(f"{path}: writing the export failed ({exc.strerror or exc}); "
                          "check the free space and the permissions of the folder") from exc
    except BaseException:
        _discard(tmp)
        raise
    return n


def _discard(path: str) -> None:
    import os

    try:
        os.unlink(path)
    except OSError:  # already gone: nothing is left behind either way
        pass
