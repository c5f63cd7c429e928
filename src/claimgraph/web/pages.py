"""The pages and their ``.json`` twins. Each route builds one dict with :mod:`.views`; the twin returns
it as JSON and the page renders it with a template, so both always say the same thing.

The ``.json`` routes are registered before the page routes: ``/trails/{id}`` would otherwise also match
``/trails/x.json`` with ``id = "x.json"``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..store.base import Store
from . import views
from .app import render


def _store(request: Request) -> Store:
    return request.app.state.stores.get()


def _found(data: dict[str, Any] | None, what: str, ident: str) -> dict[str, Any]:
    if data is None:
        raise HTTPException(404, f"no {what} with id {ident!r} in this database")
    return data


def register(app: FastAPI) -> None:
    # --- home ---
    @app.get("/index.json", tags=["pages"], summary="Counts, latest and most-repeated trails")
    def home_json(request: Request) -> dict[str, Any]:
        return views.home(_store(request))

    app.add_api_route("/.json", home_json, methods=["GET"], include_in_schema=False)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home_page(request: Request) -> HTMLResponse:
        return render(request, "home.html", views.home(_store(request)), "claimgraph")

    # --- search ---
    def _search(request: Request, q: str, kind: str, outlet: str | None, group: str | None,
                 stance: str | None, place: str | None, date_from: str | None, date_to: str | None,
                 page: int, per_page: int) -> dict[str, Any]:
        params = views.SearchParams(q, kind, outlet, group, stance, place, date_from, date_to, page, per_page)
        return views.search(_store(request), params, request.app.state.registry)

    @app.get("/search.json", tags=["pages"], summary="Full-text search over claims, articles, trails, sources")
    def search_json(
        request: Request,
        q: str = Query("", max_length=500, description="words to find"),
        kind: str = Query("claims", description="claims | articles | trails | sources"),
        outlet: str | None = Query(None, max_length=200), group: str | None = Query(None, max_length=200),
        stance: str | None = Query(None, max_length=20), place: str | None = Query(None, max_length=200),
        date_from: str | None = Query(None, max_length=10, description="YYYY-MM-DD"),
        date_to: str | None = Query(None, max_length=10, description="YYYY-MM-DD"),
        page: int = Query(1, ge=1, le=100000), per_page: int = Query(views.PER_PAGE, ge=1, le=views.MAX_PER_PAGE),
    ) -> dict[str, Any]:
        return _search(request, q, kind, outlet, group, stance, place, date_from, date_to, page, per_page)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request, q: str = Query("", max_length=500), kind: str = "claims",
        outlet: str | None = Query(None, max_length=200), group: str | None = Query(None, max_length=200),
        stance: str | None = Query(None, max_length=20), place: str | None = Query(None, max_length=200),
        date_from: str | None = Query(None, max_length=10), date_to: str | None = Query(None, max_length=10),
        page: int = Query(1, ge=1, le=100000), per_page: int = Query(views.PER_PAGE, ge=1, le=views.MAX_PER_PAGE),
    ) -> HTMLResponse:
        data = _search(request, q, kind, outlet, group, stance, place, date_from, date_to, page, per_page)
        return render(request, "search.html", data, f"Search: {q}" if q else "Search")

    # --- trails ---
    @app.get("/trails/{trail_id:path}.json", tags=["pages"], summary="A trail: verdict, chart data, claims")
    def trail_json(request: Request, trail_id: str) -> dict[str, Any]:
        return _found(views.trail(_store(request), trail_id, request.app.state.registry), "trail", trail_id)

    @app.get("/trails/{trail_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def trail_page(request: Request, trail_id: str) -> HTMLResponse:
        data = _found(views.trail(_store(request), trail_id, request.app.state.registry), "trail", trail_id)
        return render(request, "trail.html", data, data["trail"]["summary"])

    # --- articles ---
    @app.get("/articles/{article_id:path}.json", tags=["pages"], summary="An article with its attributions")
    def article_json(request: Request, article_id: str) -> dict[str, Any]:
        return _found(views.article(_store(request), article_id), "article", article_id)

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        data = _found(views.article(_store(request), article_id), "article", article_id)
        return render(request, "article.html", data, data["article"]["title"])

    # --- sources ---
    @app.get("/sources/{source_id:path}.json", tags=["pages"], summary="A source: registry entry and its claims")
    def source_json(request: Request, source_id: str, page: int = Query(1, ge=1, le=100000)) -> dict[str, Any]:
        data = views.source(_store(request), source_id, request.app.state.registry, page)
        return _found(data, "source", source_id)

    @app.get("/sources/{source_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def source_page(request: Request, source_id: str, page: int = Query(1, ge=1, le=100000)) -> HTMLResponse:
        data = _found(views.source(_store(request), source_id, request.app.state.registry, page),
                      "source", source_id)
        return render(request, "source.html", data, data["name"])

    # --- claims ---
    @app.get("/claims/{claim_id:path}.json", tags=["pages"], summary="One claim, its chain and its trail")
    def claim_json(request: Request, claim_id: str) -> dict[str, Any]:
        return _found(views.claim(_store(request), claim_id), "claim", claim_id)

    @app.get("/claims/{claim_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def claim_page(request: Request, claim_id: str) -> HTMLResponse:
        data = _found(views.claim(_store(request), claim_id), "claim", claim_id)
        return render(request, "claim.html", data, f"Claim {data['claim']['id']}")
