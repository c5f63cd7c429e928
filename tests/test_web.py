"""Every page and its JSON twin, in-process against the ASGI app, on both the in-memory demo store
and the SQLite backend; security headers; untrusted text stays text; the write endpoint's gates."""

from __future__ import annotations

import re
import warnings
from urllib.parse import quote

import pytest

from claimgraph.models import Article, Claim, EntityRef, Place, Trail, TrailOrigin
from claimgraph.settings import Settings
from claimgraph.web import create_app
from claimgraph.web.demo import MemoryStore, demo_records, fill

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PAGES = [
    "/", "/search?q=terminal", "/search?q=terminal&kind=articles", "/search?q=terminal&kind=trails",
    "/search?q=terminal&kind=sources", "/trails/demo-terminal", "/articles/demo-nw-1",
    "/sources/northwire", "/sources/harbourpost.example", "/claims/demo-nw-1%3A1",
]


def _twin(url: str) -> str:
    path, _, query = url.partition("?")
    path = "/index" if path == "/" else path
    return f"{path}.json" + (f"?{query}" if query else "")


def _store(kind: str, tmp_path):
    if kind == "memory":
        return MemoryStore()
    from claimgraph.store.sqlite import SQLiteStore

    return SQLiteStore(str(tmp_path / "web.db"))


@pytest.fixture(params=["memory", "sqlite"])
def client(request, tmp_path):
    store = _store(request.param, tmp_path)
    fill(store, *demo_records())
    app = create_app(Settings(db=str(tmp_path / "unused.db")), store_factory=lambda: store)
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("url", PAGES)
def test_page_and_json_twin(client, url) -> None:
    page = client.get(url)
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    twin = client.get(_twin(url))
    assert twin.status_code == 200, twin.text
    assert twin.headers["content-type"].startswith("application/json")
    assert isinstance(twin.json(), dict)


def test_home_counts_and_trails(client) -> None:
    data = client.get("/index.json").json()
    assert data["counts"] == {"articles": 4, "claims": 8, "trails": 2}
    assert data["most_repeated_trails"][0]["id"] == "demo-terminal"
    assert client.get("/.json").json() == data


def test_trail_twin_carries_chart_claims_denials_map(client) -> None:
    data = client.get("/trails/demo-terminal.json").json()
    assert data["trail"]["verdict"].endswith("1 denial")
    chart = data["chart"]
    assert len([p for p in chart["points"] if p["article_id"] and not p["y"].endswith("(origin)")]) == 4
    assert any(p["origin"] for p in chart["points"])
    assert chart["arrows"], "relaying outlets should point at the outlet they cite"
    assert [c["stance"] for c in data["denials"]] == ["deny"]
    assert data["map"]["dots"][0]["name"] == "Constanța"
    assert data["related"][0]["id"] == "demo-varna"
    html = client.get("/trails/demo-terminal").text
    assert 'id="timeline-data"' in html and "/static/trail.js" in html


def test_article_page_highlights_and_shows_boilerplate(client) -> None:
    data = client.get("/articles/demo-nw-1.json").json()
    classes = {s["cls"] for para in data["paragraphs"] for s in para}
    assert {"source", "cue", "content"} <= classes
    # The pieces put back together are exactly the text: offsets are never lost or doubled.
    assert "\n\n".join("".join(s["text"] for s in para) for para in data["paragraphs"]) == data["article"]["text"]
    html = client.get("/articles/demo-nw-1").text
    assert "Subscribe to our newsletter" in html and "A loading crane" in html


def test_search_filters_and_pagination(client) -> None:
    data = client.get("/search.json", params={"q": "terminal", "per_page": 1}).json()
    assert data["total"] >= 3 and data["pages"] == data["total"] and data["next"]
    second = client.get(data["next"].replace("/search?", "/search.json?")).json()
    assert second["page"] == 2 and second["results"][0]["id"] != data["results"][0]["id"]
    denials = client.get("/search.json", params={"stance": "deny"}).json()
    assert [c["stance"] for c in denials["results"]] == ["deny"]
    outlet = client.get("/search.json", params={"outlet": "plainsgazette.example"}).json()
    assert {c["outlet"] for c in outlet["results"]} == {"plainsgazette.example"}
    dated = client.get("/search.json", params={"date_from": "2026-03-05"}).json()
    assert {c["published"] for c in dated["results"]} == {"2026-03-06"}


def test_unknown_ids_are_404_in_both_forms(client) -> None:
    for url in ("/trails/nope", "/articles/nope", "/claims/nope", "/sources/nope"):
        assert client.get(url).status_code == 404
        r = client.get(url + ".json")
        assert r.status_code == 404 and "nope" in r.json()["detail"]


def test_security_headers_and_no_inline_script(client) -> None:
    for url in PAGES:
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self';" in csp
        assert "unsafe-eval" not in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        for tag in re.findall(r"<script\b[^>]*>", r.text):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
        assert "cdn" not in r.text.lower()


def test_plotly_and_openapi_are_local(client) -> None:
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    spec = client.get("/openapi.json").json()
    for path in ("/trails/{trail_id}.json", "/search.json", "/export/{fmt}", "/api/articles"):
        assert path in spec["paths"], path


def test_downloads(client) -> None:
    r = client.get("/export/claimreview", params={"trail": "demo-terminal"})
    assert r.status_code == 200 and r.json()["@type"] == "ClaimReview"
    assert 'filename="trail-demo-terminal.jsonld"' in r.headers["content-disposition"]
    assert client.get("/export/csv", params={"table": "articles"}).text.startswith("id,title,")
    assert client.get("/export/nope").status_code == 404
    assert client.get("/export/json", params={"trail": "nope"}).status_code == 404


# --- untrusted text ------------------------------------------------------------------------------

EVIL = '<script>alert("x")</script>'


def _evil_records() -> tuple[list[Article], list[Claim], list[Trail]]:
    text = f"Officials {EVIL} said that the bridge is closed.\n\nNothing else."
    a = Article("evil-1", f"Title {EVIL}", text, "javascript:alert(1)", "evil.example", f"Outlet {EVIL}",
                "2026-01-02", "en", (f"Author {EVIL}",), (f"Caption {EVIL}",), (f"Removed {EVIL}",))
    src = EntityRef(f"Officials {EVIL}", "government", ((0, 40),), f"ent{EVIL}", f"Name {EVIL}",
                    f"Group {EVIL}")
    cue_at = text.index("said")
    claim = Claim("evil-1:1", "evil-1", 1, text.split("\n\n")[0], (0, text.index("\n\n")), src, "said",
                  "the bridge is closed", source_spans=((0, 40),), cue_spans=((cue_at, cue_at + 4),),
                  content_spans=((cue_at + 10, cue_at + 30),), stance="assert", outlet="evil.example",
                  published="2026-01-02", places=(Place(f"Town {EVIL}", None, "FR", 45.0, 4.0),),
                  origin=src)
    trail = Trail("evil-t", f"Summary {EVIL}", ("evil-1:1",), ("evil-1",), ("evil.example",), "2026-01-02",
                  "2026-01-02", TrailOrigin(f"Origin {EVIL}", f"ent{EVIL}", f"Group {EVIL}", "2026-01-02",
                                            "evil-1"), verdict=f"Verdict {EVIL}")
    return [a], [claim], [trail]


def test_script_in_article_text_shows_as_text_on_every_page(tmp_path) -> None:
    store = MemoryStore()
    fill(store, *_evil_records())
    app = create_app(Settings(db=str(tmp_path / "unused.db")), store_factory=lambda: store)
    urls = ["/", "/search?q=bridge", "/search?q=Officials&kind=sources", "/search?q=Title&kind=articles",
            "/search?q=Summary&kind=trails", "/trails/evil-t", "/articles/evil-1", "/claims/evil-1%3A1",
            "/sources/" + quote(f"ent{EVIL}", safe=""), "/search?q=" + quote(EVIL)]
    with TestClient(app) as c:
        for url in urls:
            r = c.get(url)
            assert r.status_code == 200, (url, r.status_code)
            assert "<script>alert" not in r.text, url
            assert "&lt;script&gt;" in r.text or "\\u003cscript\\u003e" in r.text, url
            assert 'href="javascript:' not in r.text, url


# --- writes --------------------------------------------------------------------------------------

def _app(tmp_path, **settings):
    store = MemoryStore()
    return create_app(Settings(db=str(tmp_path / "unused.db"), **settings), store_factory=lambda: store)


def test_writes_are_off_without_a_token(tmp_path) -> None:
    with TestClient(_app(tmp_path)) as c:
        r = c.post("/api/articles", json={"title": "t", "text": "x"})
        assert r.status_code == 404 and "token" in r.json()["detail"]


def test_writes_need_the_right_bearer_token(tmp_path, monkeypatch) -> None:
    seen = {}

    def fake_ingest(documents, store, settings, options=None):
        seen["documents"] = documents
        seen["options"] = options
        return {"stored": len(documents)}

    monkeypatch.setattr("claimgraph.web.api.ingest_upload", fake_ingest)
    with TestClient(_app(tmp_path, token="s3cret")) as c:
        assert c.post("/api/articles", json={"title": "t"}).status_code == 401
        assert c.post("/api/articles", json={"title": "t"},
                      headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = c.post("/api/articles", json=[{"title": "t", "text": "x"}, {"title": "u", "text": "y"}],
                    headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json() == {"stored": 1}
        name, data = seen["documents"][0]
        assert name == "upload.jsonl" and data.count(b"\n") == 1
        up = c.post("/api/articles?outlet=a.example&bogus=1",
                    files={"file": ("a.html", b"<html><p>hi</p></html>", "text/html")},
                    headers={"Authorization": "Bearer s3cret"})
        assert up.status_code == 200 and seen["documents"] == [("a.html", b"<html><p>hi</p></html>")]
        assert seen["options"] == {"outlet": "a.example"}
        bad = c.post("/api/articles", content=b"{not json", headers={
            "Authorization": "Bearer s3cret", "content-type": "application/json"})
        assert bad.status_code == 400


def test_request_bodies_are_size_limited(tmp_path) -> None:
    with TestClient(_app(tmp_path, token="s3cret", max_upload_bytes=1000)) as c:
        r = c.post("/api/articles", content=b"x" * 5000, headers={
            "Authorization": "Bearer s3cret", "content-type": "application/json"})
        assert r.status_code == 413
        assert "content-security-policy" in r.headers

        def chunks():
            for _ in range(10):
                yield b"y" * 500

        streamed = c.post("/api/articles", content=chunks(), headers={
            "Authorization": "Bearer s3cret", "content-type": "application/json"})
        assert streamed.status_code == 413


def test_upload_is_ingested_like_the_cli(tmp_path) -> None:
    from claimgraph.store.sqlite import SQLiteStore

    store = SQLiteStore(str(tmp_path / "up.db"))
    settings = Settings(db=str(tmp_path / "up.db"), token="s3cret", attribute=False)
    app = create_app(settings, store_factory=lambda: store)
    record = {"title": "Ferry service resumes", "text": "The ferry resumed on Tuesday, the operator said.\n\n"
              "Passengers welcomed the news.", "outlet": "lakeside.example", "published": "2026-02-01"}
    with TestClient(app) as c:
        r = c.post("/api/articles", json=record, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["stored"] == 1 and body["errors"] == []
        page = c.get(body["articles"][0])
        assert page.status_code == 200 and "Ferry service resumes" in page.text
        again = c.post("/api/articles", json=record, headers={"Authorization": "Bearer s3cret"})
        assert again.json()["duplicates"] == 1


# --- the CLI ---------------------------------------------------------------------------------------

def test_serve_help_is_light() -> None:
    import subprocess
    import sys

    code = ("import sys; from claimgraph.cli import serve_cmd; "
            "print(any(m.startswith(('fastapi', 'uvicorn', 'pyarrow')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    from click.testing import CliRunner

    from claimgraph.cli import cli

    r = CliRunner().invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0 and "127.0.0.1" in r.output and "Example" in r.output


def test_loopback_server_refuses_foreign_host_headers(tmp_path) -> None:
    from claimgraph.web.app import LOOPBACK_HOSTS

    store = MemoryStore()
    fill(store, *demo_records())
    app = create_app(Settings(db=str(tmp_path / "unused.db")), store_factory=lambda: store,
                     allowed_hosts=LOOPBACK_HOSTS)
    with TestClient(app, base_url="http://127.0.0.1:8080") as c:
        assert c.get("/").status_code == 200
        evil = c.get("/", headers={"host": "attacker.example"})
        assert evil.status_code == 400 and "content-security-policy" in evil.headers


def test_empty_database_pages(tmp_path) -> None:
    store = MemoryStore()
    app = create_app(Settings(db=str(tmp_path / "unused.db")), store_factory=lambda: store)
    with TestClient(app) as c:
        home = c.get("/")
        assert home.status_code == 200 and "No trails yet" in home.text
        assert c.get("/index.json").json()["counts"] == {"articles": 0, "claims": 0, "trails": 0}
        assert c.get("/search", params={"q": "anything"}).status_code == 200
        assert c.get("/export/parquet").status_code == 200
