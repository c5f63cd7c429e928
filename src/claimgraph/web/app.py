"""The web application: ``create_app(settings)`` returns a FastAPI app serving the pages, their
``.json`` twins, the exports and (with a token) ``POST /api/articles``.

Security, since article text is untrusted: Jinja2 autoescaping everywhere, a Content-Security-Policy
with no inline or eval'd script, request bodies capped at ``settings.max_upload_bytes`` before they
are read, writes off unless ``settings.token`` is set.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import ClaimgraphError
from ..settings import Settings
from ..store.base import Store
from .registry import RegistryView

HERE = Path(__file__).resolve().parent

# plotly.js sets inline ``style`` attributes and adds CSS rules at run time, so style-src needs
# 'unsafe-inline'; script-src stays 'self' only (no inline script, no eval), which the browser test
# checks with the chart drawn. Maps are server-drawn SVG, so no tile or topojson host is needed.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
]


class SecurityMiddleware:
    """Adds the security headers to every response and refuses bodies over the size limit.

    Pure ASGI (not BaseHTTPMiddleware) so that the limit is enforced while the body streams in:
    a client that lies about Content-Length or sends chunks is cut off at the limit, not after.
    """

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _too_large(send, self.max_body)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _BodyTooLarge()
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            if not started:
                await _too_large(send, self.max_body)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"detail": "request body over {limit} bytes; send a smaller file or raise max_upload_bytes"}}'
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body.encode()})


class StorePool:
    """Opens the store on first use and shares it: the SQLite backend gives every thread its own read
    connection and serialises writes itself, so one store serves the whole thread pool."""

    def __init__(self, factory: Callable[[], Store]) -> None:
        self.factory = factory
        self.store: Store | None = None
        self.lock = threading.Lock()

    def get(self) -> Store:
        if self.store is None:
            with self.lock:
                if self.store is None:
                    self.store = self.factory()
        return self.store

    def close(self) -> None:
        with self.lock:
            if self.store is not None:
                try:
                    self.store.close()
                except Exception:  # noqa: BLE001 - closing at shutdown must not raise
                    pass
                self.store = None


def plotly_js_path() -> Path | None:
    """plotly.min.js from the installed plotly package: served locally, never from a CDN."""
    try:
        import plotly
    except ImportError:
        return None
    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]


def create_app(settings: Settings, store_factory: Callable[[], Store] | None = None,
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """The ASGI app. ``store_factory`` opens the store (default: ``open_store(settings)``, on first use).

    ``allowed_hosts`` restricts the Host header (``claimgraph serve`` passes the loopback names when
    bound to 127.0.0.1, so a web page on another site cannot reach the UI by DNS rebinding)."""
    if store_factory is None:
        from ..store import open_store

        def store_factory() -> Store:
            return open_store(settings)

    pool = StorePool(store_factory)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        lifespan=lifespan,
        title="claimgraph",
        summary="Who said what, through whom: attributed news claims and their trails.",
        version=_version(),
        docs_url=None, redoc_url=None,  # the docs UIs load scripts from a CDN; /openapi.json stays
    )
    app.state.settings = settings
    app.state.stores = pool
    app.state.registry = RegistryView.load(settings)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True  # every template, whatever its extension
    app.state.templates = templates
    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    # Added last, so it runs first: even a refused Host or an oversized body gets the headers.
    app.add_middleware(SecurityMiddleware, max_body=settings.max_upload_bytes)

    plotly_js = plotly_js_path()

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_script() -> Response:
        if plotly_js is None:
            return Response("/* plotly is not installed: charts are off */", media_type="text/javascript")
        return FileResponse(plotly_js, media_type="text/javascript",
                            headers={"cache-control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from . import api, pages

    pages.register(app)
    api.register(app)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(ClaimgraphError)
    async def claimgraph_error(request: Request, exc: ClaimgraphError) -> Response:
        # A database that cannot be read (damaged, locked, gone) is the operator's to fix: the full
        # message, with the file's path, goes to the server log; the visitor gets a page, not a 500.
        logging.getLogger("claimgraph.web").error("%s %s: %s", request.method, request.url.path, exc)
        return error_response(request, 503, "the database cannot be read right now; the server's log says why")

    return app


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or request.url.path.startswith(("/api/", "/export"))


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                      status_code=status)


def render(request: Request, template: str, data: dict[str, Any], title: str) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request, template, {"data": data, "title": title, "json_url": _json_url(request)})


def _json_url(request: Request) -> str:
    path = request.url.path.rstrip("/") or "/index"
    query = request.url.query
    return f"{path}.json" + (f"?{query}" if query else "")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("claimgraph")
    except Exception:  # noqa: BLE001
        return "0"
