"""Every reader on our own fictional inputs, and every kind of bad input as one error line."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from claimgraph.errors import InputError, TooLargeError
from claimgraph.ingest import IngestOptions, IngestStats, article_id, count_inputs, read_inputs
from claimgraph.ingest.detect import sniff_format
from claimgraph.ingest.html import strip_site_name
from claimgraph.models import Article
from claimgraph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def read(*paths: str | Path, settings: Settings | None = None, stats: IngestStats | None = None,
         **opts: object) -> list[Article | InputError]:
    return list(read_inputs([str(p) for p in paths], IngestOptions(**opts), settings or Settings(), stats))


def only_article(items: list[Article | InputError]) -> Article:
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


# --- HTML ----------------------------------------------------------------------------------------

def test_html_page_with_canonical_url() -> None:
    a = only_article(read(FIXTURES / "page_wire.html"))
    assert a.title == "Officials Deny Reports of Dam Damage Near Halvik"  # the <h1>, not "… | Northwind Wire"
    assert a.outlet == "northwindwire.news"
    assert a.outlet_name == "Northwind Wire"
    assert a.url == "https://www.northwindwire.news/world/dam-halvik-denial"
    assert a.published == "2024-06-11"
    assert a.authors == ("Ines Aldana",)
    assert a.language == "en" and a.fmt == "html"
    assert len(a.paragraphs) == 4
    assert a.captions == ("The Halvik dam seen from the river bank in 2021. (Northwind Wire photo by Pavel Dunn)",)
    assert "photo by" not in a.text and "All rights reserved" not in a.text and "Harbour strike" not in a.text


def test_html_page_in_windows_1252_without_canonical_takes_options() -> None:
    a = only_article(read(FIXTURES / "page_blog.html", outlet="keldarblog.net", published="2024-06-10"))
    assert a.title == 'Dam near Halvik "leaking", militia says'  # " – Keldar Blog" stripped
    assert a.outlet == "keldarblog.net" and a.published == "2024-06-10"
    assert "café" in a.text  # decoded from windows-1252
    assert "Stay safe" not in a.text  # comments are not the article
    assert a.captions == ("Photo: militia channel (screenshot)",)


@pytest.mark.parametrize(("title", "sites", "expected"), [
    ("Story of the day | Northwind Wire", ["Northwind Wire"], "Story of the day"),
    ("Story of the day – Northwind Wire", ["northwindwire.news"], "Story of the day"),
    ("Northwind Wire - Story of the day", ["Northwind Wire"], "Story of the day"),
    ("Drone Downed Near Orsk – Report", ["Tolvan Herald"], "Drone Downed Near Orsk – Report"),
    ("Story | World | Northwind Wire", ["Northwind Wire"], "Story"),
])
def test_strip_site_name(title: str, sites: list[str], expected: str) -> None:
    assert strip_site_name(title, sites) == expected


def test_html_option_url_gives_outlet_when_page_has_none(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html><body><article><h1>Harbour Strike Ends After Nine Days</h1><p>"
                    + "The harbour workers' union said on Friday that the strike had ended after nine days. " * 3
                    + "</p></article></body></html>", encoding="utf-8")
    a = only_article(read(page, url="https://www.valera-portnews.org/strike-ends"))
    assert a.outlet == "valera-portnews.org" and a.url == "https://www.valera-portnews.org/strike-ends"


# --- text, feeds, JSON Lines ---------------------------------------------------------------------

def test_text_dump_through_read_inputs() -> None:
    a = only_article(read(FIXTURES / "dump_wire.txt", outlet="northwindwire.news"))
    assert a.fmt == "text" and a.outlet == "northwindwire.news"
    assert a.published == "2024-03-04"  # the dump's own dateline
    assert len(a.removed) > 5 and len(a.captions) == 1


def test_non_english_text_keeps_its_language() -> None:
    a = only_article(read(FIXTURES / "dump_fr.txt"))
    assert a.language == "fr"


def test_rss_feed() -> None:
    items = read(FIXTURES / "feed.rss")
    assert all(isinstance(i, Article) for i in items) and len(items) == 2
    first, second = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.title == "Army denies losing drone near Orsk"
    assert first.outlet == "tolvanherald.com" and first.outlet_name == "Tolvan Herald"
    assert first.published == "2024-05-13" and first.authors == ("Lea Marsh",)
    assert first.captions == ("A surveillance drone on display in 2019.",)
    assert len(first.paragraphs) == 2 and first.fmt == "feed"
    assert first.origin.endswith("feed.rss#entry-1")
    assert second.text.startswith("The regional council approved")


def test_atom_feed() -> None:
    a = only_article(read(FIXTURES / "feed.atom"))
    assert a.outlet == "lunaport-observer.net" and a.outlet_name == "Lunaport Observer"
    assert a.published == "2024-02-01" and a.authors == ("Sofia Brandt",)


def test_jsonl_good_and_bad_lines() -> None:
    items = read(FIXTURES / "records.jsonl")
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article", "InputError", "InputError"]
    first, _, third = items[:3]
    assert isinstance(first, Article) and isinstance(third, Article)
    assert first.title == "Harbour strike continues" and first.outlet == "valera-portnews.org"
    assert first.published == "2024-04-05" and len(first.paragraphs) == 2
    assert third.id == "vpa-0001" and third.outlet == "Valera Press Agency"
    assert all(str(e).startswith(str(FIXTURES / "records.jsonl") + ":") for e in items if isinstance(e, InputError))
    assert 'no "text"' in str(items[1])


def test_pretty_printed_json_array_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"text": "One article about the harbour strike in Port Valera."},
                                {"text": "Another article about the storm warning."}], indent=2))
    items = read(path, fmt="jsonl")
    assert len(items) == 2 and all(isinstance(i, Article) for i in items)


# --- WARC ------------------------------------------------------------------------------------------

def _warc(path: Path, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "claimgraph tests"}))

    def response(uri: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))

    writer.write_record(writer.create_warc_record(
        "https://www.northwindwire.news/world/dam-halvik-denial", "request",
        payload=io.BytesIO(b"GET /world/dam-halvik-denial HTTP/1.1\r\nHost: www.northwindwire.news\r\n\r\n")))
    response("https://www.northwindwire.news/world/dam-halvik-denial",
             (FIXTURES / "page_wire.html").read_bytes(), "text/html; charset=utf-8")
    response("https://www.northwindwire.news/img/dam.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
    response("https://www.northwindwire.news/missing", b"<html><body>Not found</body></html>", "text/html", "404 Not Found")
    writer.write_record(writer.create_revisit_record(
        "https://www.northwindwire.news/world/dam-halvik-denial", digest="sha1:AAAA",
        refers_to_uri="https://www.northwindwire.news/world/dam-halvik-denial", refers_to_date="2024-06-11T10:00:00Z"))
    response("https://keldarblog.net/dam-leaking", (FIXTURES / "page_blog.html").read_bytes(), "text/html")
    data = buf.getvalue()
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_responses_become_articles(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _warc(path, gz)
    stats = IngestStats()
    items = read(path, stats=stats)
    assert [type(i).__name__ for i in items] == ["Article", "Article"], items
    wire, blog = items
    assert isinstance(wire, Article) and isinstance(blog, Article)
    assert wire.fmt == "warc" and wire.outlet == "northwindwire.news" and wire.fetched
    assert blog.url == "https://keldarblog.net/dam-leaking" and blog.outlet == "keldarblog.net"
    assert "#record-" in wire.origin
    assert stats.skipped == 3 and stats.reasons == {"non_html_response": 1, "http_404": 1, "revisit": 1}
    assert stats.ignored == 2 and stats.ignored_kinds == {"warcinfo": 1, "request": 1}
    assert not hasattr(read_inputs, "last_stats"), "counts belong to the caller's stats, not to the reader"


def test_truncated_warc_keeps_complete_records(tmp_path: Path) -> None:
    full = _warc(tmp_path / "full.warc", gz=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(full[:-300])  # inside the last (blog) record
    stats = IngestStats()
    items = read(cut, stats=stats)
    assert [type(i).__name__ for i in items] == ["Article"]
    assert stats.reasons.get("truncated") == 1


def test_truncated_gzip_warc_reports_one_error_after_the_good_records(tmp_path: Path) -> None:
    full = _warc(tmp_path / "full.warc.gz", gz=True)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(full[:-200])
    items = read(cut)
    assert isinstance(items[0], Article)
    assert isinstance(items[-1], InputError) and "truncated" in str(items[-1])
    assert sum(isinstance(i, InputError) for i in items) == 1


# --- bad input -------------------------------------------------------------------------------------

def test_bad_inputs_each_give_one_error_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n \t\n")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 8)
    packed = gzip.compress("".join(f"Sentence number {i} of the text. " for i in range(2000)).encode())
    (tmp_path / "cut.txt.gz").write_bytes(packed[: len(packed) // 2])
    (tmp_path / "bad.gz").write_bytes(b"\x1f\x8b" + b"not really gzip at all" * 3)
    (tmp_path / "nohtml.html").write_text("<html><body><nav>Home</nav></body></html>")
    (tmp_path / "zz_good.txt").write_text("A Headline For The Good File\n\nThe good file is read even after the bad ones.\n")
    items = read(tmp_path, str(tmp_path / "missing.txt"))
    errors = [i for i in items if isinstance(i, InputError)]
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) == 1 and articles[0].title == "A Headline For The Good File"
    by_file = {Path(e.where).name: e for e in errors}
    assert set(by_file) == {"empty.txt", "blank.txt", "binary.bin", "cut.txt.gz", "bad.gz", "nohtml.html", "missing.txt"}
    assert "empty" in by_file["empty.txt"].reason
    assert "binary" in by_file["binary.bin"].reason
    assert "truncated" in by_file["cut.txt.gz"].reason
    assert all(e.hint for e in errors)  # each says what to do


def test_oversized_document(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("A Headline\n\n" + "Word and more words. " * 200)
    items = read(big, settings=Settings(max_document_bytes=1000))
    assert len(items) == 1 and isinstance(items[0], TooLargeError)
    gz = tmp_path / "big.txt.gz"
    gz.write_bytes(gzip.compress(big.read_bytes()))
    items = read(gz, settings=Settings(max_document_bytes=1000))
    assert len(items) == 1 and isinstance(items[0], TooLargeError)


def test_mis_encoded_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    text = ("Армия опровергает сообщения о потере беспилотника\n\n"
            "Представитель армии заявил в понедельник, что никакой самолёт не был потерян возле города.\n")
    path.write_bytes(text.encode("cp1251"))
    a = only_article(read(path))
    assert a.language == "ru" and "беспилотника" in a.title


def test_unknown_format_option() -> None:
    items = read(FIXTURES / "dump_wire.txt", fmt="pdf")
    assert len(items) == 1 and isinstance(items[0], InputError)


def test_forced_format_overrides_detection() -> None:
    a = only_article(read(FIXTURES / "page_wire.html", fmt="text"))
    assert a.fmt == "text"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FIXTURES / "dump_lines.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(gzip.compress(data))))
    a = only_article(read("-", outlet="stdin-news.org"))
    assert a.origin == "-" and a.outlet == "stdin-news.org" and len(a.paragraphs) == 3


def test_folders_recursive_or_not(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Top Level Article Headline\n\nThe first article is at the top level.\n")
    (tmp_path / "sub" / "b.txt").write_text("Nested Article Headline Here\n\nThe second article is in a folder.\n")
    (tmp_path / ".hidden.txt").write_text("Hidden Article Headline Here\n\nThis file is hidden and skipped.\n")
    assert len(read(tmp_path)) == 1
    assert len(read(tmp_path, recursive=True)) == 2
    assert count_inputs([str(tmp_path)], IngestOptions(recursive=True)) == 2


def test_count_inputs() -> None:
    assert count_inputs([str(FIXTURES / "records.jsonl")], IngestOptions()) == 5
    assert count_inputs([str(FIXTURES / "feed.rss")], IngestOptions()) is None
    assert count_inputs(["-"], IngestOptions()) is None
    assert count_inputs([str(FIXTURES / "dump_wire.txt"), str(FIXTURES / "page_wire.html")], IngestOptions()) == 2


@pytest.mark.parametrize(("head", "name", "fmt"), [
    (b"WARC/1.0\r\n", "x", "warc"),
    (b'<?xml version="1.0"?><rss version="2.0">', "x", "feed"),
    (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "x", "feed"),
    (b"<!DOCTYPE html><html>", "x.txt", "html"),
    (b'{"text": "a"}\n', "x", "jsonl"),
    (b"Plain words only.", "x", "text"),
    (b"Plain words only.", "x.html", "html"),
])
def test_sniff_format(head: bytes, name: str, fmt: str) -> None:
    assert sniff_format(head, name) == fmt


def test_article_id_is_stable_and_outlet_sensitive() -> None:
    a = article_id("sana.sy", "Some  text\nhere.")
    assert a == article_id("SANA.sy", "some text here.")
    assert a != article_id("tass.com", "Some text here.")
    assert len(a) == 16


def test_text_dump_permalink_gives_outlet() -> None:
    a = only_article(read(FIXTURES / "dump_footer.txt"))
    assert a.url == "https://tolvanherald.com/analysis/orsk-mast" and a.outlet == "tolvanherald.com"


@pytest.mark.parametrize(("url", "domain"), [
    ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
    ("https://www.ncna.example/a", "ncna.example"),  # a suffix the public list does not know
    ("sana.sy", "sana.sy"),
    ("http://10.0.0.1/x", "10.0.0.1"),
    ("Valera Press Agency", None),
    ("", None),
])
def test_registered_domain(url: str, domain: str | None) -> None:
    from claimgraph.ingest.article import registered_domain

    assert registered_domain(url) == domain


def test_malformed_html_still_gives_the_article(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_bytes(b"<html><head><title>Broken page</title><body><div><p>The harbour workers' union said on "
                     b"Friday that the strike would go on <b>until wages rise<p>Port authorities said cargo was "
                     b"piling up on the quays of Port Valera</div></span></td>\x00<p>")
    a = only_article(read(page))
    assert "strike would go on" in a.text


def test_invalid_published_option_is_an_input_error() -> None:
    items = read(FIXTURES / "dump_lines.txt", published="last tuesday")
    assert len(items) == 1 and isinstance(items[0], InputError) and "YYYY-MM-DD" in items[0].hint


def test_warc_http_charset_is_used(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    body = ("<html><body><article><h1>Café owners protest new tax in Port Valera</h1><p>"
            + "The owners of the café on the harbour front said the new tax would close them down. " * 3
            + "</p></article></body></html>").encode("cp1252")
    path = tmp_path / "c.warc"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=windows-1252")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://valera-portnews.org/cafe", "response",
                                                      payload=io.BytesIO(body), http_headers=http))
    a = only_article(read(path))
    assert a.title.startswith("Café owners") and "café on the harbour" in a.text


def test_html_body_furniture_goes_to_removed(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    body = "The harbour workers' union said on Friday that the strike would continue until wages rise. " * 2
    page.write_text(f"<html><body><article><h1>Harbour Strike Goes On In Port Valera</h1><p>Economy</p>"
                    f"<p>(updated 11:02)</p><p>{body}</p><p>Port authorities said cargo was piling up.</p>"
                    "<p>Like this story? Share it with a friend!</p></article></body></html>", encoding="utf-8")
    a = only_article(read(page))
    assert len(a.paragraphs) == 2
    assert set(a.removed) == {"Economy", "(updated 11:02)", "Like this story? Share it with a friend!"}


def test_feed_content_naming_a_local_file_is_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text('<rss version="2.0"><channel><title>Leak</title><item><title>Secret entry</title>'
                      "<description>This must never be read through another file.</description></item></channel></rss>")
    decoy = tmp_path / "decoy.rss"
    decoy.write_bytes(str(secret).encode())
    items = read(decoy, fmt="feed")
    assert not any(isinstance(i, Article) for i in items)


def test_importing_ingest_stays_light() -> None:
    import subprocess

    code = ("import sys, claimgraph.ingest, claimgraph.ingest.dedup; "
            "print([m for m in ('trafilatura', 'spacy', 'lingua', 'datasketch', 'lxml') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_compact_json_array_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps([{"text": "One article about the harbour strike."}, {"text": "Another one."}]))
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "Article"]
