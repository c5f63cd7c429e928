"""Downloads (the exports of :mod:`claimgraph.export`) and the one write: ``POST /api/articles``.

Writes are off unless ``settings.token`` is set; then they need ``Authorization: Bearer <token>``.
An upload is ingested exactly as the CLI ingests files (``pipeline.ingest_documents``), so the web
never has its own reading rules.
"""

from __future__ import annotations

import hmac
import json
import tempfile
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from .. import export
from ..errors import ClaimgraphError, InputError

SPOOL_BYTES = 16 * 1024 * 1024


def _safe_name(text: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in text)
    return keep.strip("-.")[:80] or "export"


def register(app: FastAPI) -> None:
    @app.get("/export/{fmt}", tags=["exports"], summary="Download an export of the database or of one trail",
             responses={200: {"content": {"application/octet-stream": {}}}})
    def download(
        request: Request, fmt: str,
        trail: str | None = Query(None, max_length=300, description="only this trail"),
        table: str = Query("claims", description="csv/parquet: claims | articles"),
    ) -> Response:
        if fmt not in export.FORMATS:
            raise HTTPException(404, f"unknown export format {fmt!r}; use one of {', '.join(export.FORMATS)}")
        if table not in export.TABLES:
            raise HTTPException(400, f"unknown table {table!r}; use claims or articles")
        # Spooled: a trail's export stays in memory, a whole 100k-article database goes to disk
        # instead of holding a gigabyte; either way it is complete before the first byte is sent,
        # so a failure is a clean error status rather than a truncated download.
        buf = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        try:
            export.write_export(request.app.state.stores.get(), fmt, buf, trail, table)
        except InputError as exc:
            buf.close()
            raise HTTPException(404, str(exc)) from exc
        buf.seek(0)
        stem = _safe_name(f"trail-{trail}" if trail else "claimgraph")
        if fmt in ("csv", "parquet"):
            stem += f"-{table}"
        filename = f"{stem}.{export.EXTENSIONS[fmt]}"
        return StreamingResponse(iter(lambda: buf.read(1 << 16), b""), media_type=export.MEDIA_TYPES[fmt],
                                 headers={"content-disposition": f'attachment; filename="{filename}"'},
                                 background=BackgroundTask(buf.close))

    @app.post("/api/articles", tags=["write"], summary="Ingest articles (needs the token)",
              description="Send a JSON object or list of objects (read as JSON Lines records: title, text, "
                          "url, outlet, published...) or multipart files (any format the CLI reads); query "
                          "parameters fmt, outlet, url, published act as the CLI's ingest options. "
                          "Needs `Authorization: Bearer <token>`; off when no token is configured.")
    async def post_articles(request: Request) -> JSONResponse:
        settings = request.app.state.settings
        if not settings.token:
            raise HTTPException(404, "writes are off: start the server with a token (CLAIMGRAPH_TOKEN) to enable them")
        auth = request.headers.get("authorization", "")
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.token.encode()):
            raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})
        documents = await _documents(request)
        if not documents:
            raise HTTPException(400, "no documents: send JSON records or multipart files")
        from starlette.concurrency import run_in_threadpool

        try:
            result = await run_in_threadpool(ingest_upload, documents, request.app.state.stores.get(), settings,
                                             _options(request))
        except ClaimgraphError as exc:
            raise HTTPException(422, str(exc)) from exc
        return JSONResponse(result)


async def _documents(request: Request) -> list[tuple[str, bytes]]:
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form()
        docs = []
        for _, value in form.multi_items():
            if hasattr(value, "read"):
                docs.append((getattr(value, "filename", None) or "upload", await value.read()))
        return docs
    body = await request.body()
    if ctype.startswith("application/json"):
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise HTTPException(400, f"request body is not valid JSON ({exc}); send an object or a list") from exc
        records = data if isinstance(data, list) else [data]
        if not all(isinstance(r, dict) for r in records):
            raise HTTPException(400, "each JSON record must be an object with title/text fields")
        # JSON records become one JSON Lines document: the CLI's JSONL reader decides what they mean.
        lines = b"\n".join(json.dumps(r, ensure_ascii=False).encode("utf-8") for r in records)
        return [("upload.jsonl", lines)] if records else []
    return [("upload", body)] if body else []


_OPTION_NAMES = ("fmt", "outlet", "url", "published")  # the string-valued IngestOptions fields


def _options(request: Request) -> dict[str, str]:
    """The CLI's ingest options, given as query parameters (``?outlet=sana.sy&published=2017-12-29``)."""
    return {k: v[:300] for k, v in request.query_params.items() if k in _OPTION_NAMES and v}


def ingest_upload(documents: list[tuple[str, bytes]], store: Any, settings: Any,
                  options: dict[str, str] | None = None) -> dict[str, Any]:
    """Run the pipeline on uploaded documents and report like the CLI does."""
    try:
        from ..ingest import IngestOptions  # type: ignore[attr-defined]
        from ..pipeline import ingest_documents
    except ImportError as exc:
        raise HTTPException(503, f"ingestion is not available in this build ({exc})") from exc
    summary, errors = ingest_documents(documents, IngestOptions(**dict(options or {})), settings, store)  # type: ignore[arg-type]
    ing = summary.ingest
    return {
        "stored": ing.stored, "duplicates": ing.duplicates, "reprints": ing.reprints, "failed": ing.failed,
        "article_ids": list(ing.article_ids), "articles": [f"/articles/{quote(a, safe='')}" for a in ing.article_ids],
        "summary": ing.line() + ("; " + summary.attribute.line() if summary.attribute else ""),
        "errors": errors,
    }
