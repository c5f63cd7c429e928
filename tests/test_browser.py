"""Real-browser checks of what only a browser shows: the plotly chart draws under the strict CSP,
links and search work. ``claimgraph serve`` runs as a real subprocess on a demo database.

Needs Debian's chromium at /usr/bin/chromium (``apt-get install chromium``) and Playwright.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is absent: apt-get install chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from claimgraph.store.sqlite import SQLiteStore
    from claimgraph.web.demo import demo_records, fill

    db = tmp_path_factory.mktemp("browser") / "demo.db"
    store = SQLiteStore(str(db))
    fill(store, *demo_records())
    store.close()
    port = _free_port()
    env = {**os.environ, "CLAIMGRAPH_TOKEN": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimgraph", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/index.json", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"claimgraph serve did not start: {out}")
            time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        pg.csp_errors = []  # type: ignore[attr-defined]
        pg.on("console", lambda m: pg.csp_errors.append(m.text)  # type: ignore[attr-defined]
              if m.type == "error" else None)
        pg.on("pageerror", lambda e: pg.csp_errors.append(str(e)))  # type: ignore[attr-defined]
        yield pg
        browser.close()


def test_trail_chart_draws_under_csp_and_links_work(server, page) -> None:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page.goto(f"{server}/trails/demo-terminal")
    page.wait_for_selector("#timeline[data-drawn='1'] svg.main-svg", timeout=20000)
    assert page.locator("#timeline svg.main-svg").count() >= 1
    assert page.locator("#timeline .scatterlayer .point").count() >= 4
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "trail.png"), full_page=True)
    assert not [e for e in page.csp_errors if "Content Security Policy" in e or "unsafe-eval" in e], \
        page.csp_errors
    assert outside == [], f"the page reached outside the server: {outside}"

    page.locator("a.article-link").first.click()
    page.wait_for_url(f"{server}/articles/**")
    assert page.locator("mark.hl-cue").count() >= 1
    assert page.locator("h1").inner_text()


def test_search_from_the_header(server, page) -> None:
    page.goto(f"{server}/")
    page.fill(".top-search input[name=q]", "terminal")
    page.press(".top-search input[name=q]", "Enter")
    page.wait_for_url(f"{server}/search?**")
    assert page.locator("article.claim").count() >= 1
    page.locator(".tabs a", has_text="articles").click()
    assert page.locator("table.list tbody a").count() >= 1
