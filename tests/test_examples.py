"""The bundled example corpus is well-formed and agrees with examples/expected.json.

These tests read only files of the repository (no model, no network). They check that every file
parses with the library the ingest stage uses for its format, that the corpus has what the later
stages' tests rely on (reprints, chains, denials, a related pair, unrelated stories), and that
expected.json points at text that really is in the articles, so a typo there cannot pass silently.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import pytest
from warcio.archiveiterator import ArchiveIterator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPUS = EXAMPLES / "corpus"
EXPECTED = EXAMPLES / "expected.json"


@cache
def expected() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def articles() -> list[dict[str, Any]]:
    return list(expected()["articles"])


def by_key() -> dict[str, dict[str, Any]]:
    return {a["key"]: a for a in articles()}


def norm(text: str) -> str:
    """Whitespace and typographic quotes folded, so expected snippets match however the page spells them."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


# --- reading each format with the library ingestion uses ----------------------------------------

@cache
def warc_records() -> list[tuple[str, str | None, str | None, bytes]]:
    """(record type, target URI, HTTP content type, payload) of every record of the example WARC."""
    out = []
    with (CORPUS / "crawl-2025-11-12.warc.gz").open("rb") as fh:
        for rec in ArchiveIterator(fh):
            ctype = rec.http_headers.get_header("Content-Type") if rec.http_headers else None
            out.append((rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"), ctype,
                        rec.content_stream().read()))
    return out


@cache
def feed(name: str) -> Any:
    return feedparser.parse(str(CORPUS / name))


def html_text(raw: bytes | str) -> str:
    return str(lxml.html.fromstring(raw).text_content())


def article_text(a: dict[str, Any]) -> str:
    """The whole text of one expected article (body plus page furniture), for "is this snippet there" checks."""
    path = EXAMPLES / a["file"]
    if a["format"] == "html":
        return norm(html_text(path.read_bytes()))
    if a["format"] == "text":
        return norm(path.read_text(encoding="utf-8"))
    if a["format"] == "jsonl":
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["id"] == a["record"]:
                return norm(row["title"] + "\n" + row["text"])
        raise AssertionError(f"{a['key']}: no JSONL row with id {a['record']!r}")
    if a["format"] == "feed":
        for entry in feed(path.name).entries:
            if entry.link == a["record"]:
                body = entry.content[0].value if "content" in entry else entry.summary
                return norm(entry.title + "\n" + html_text("<div>" + body + "</div>"))
        raise AssertionError(f"{a['key']}: no feed entry with link {a['record']!r}")
    if a["format"] == "warc":
        for rtype, uri, _ctype, payload in warc_records():
            if rtype == "response" and uri == a["record"]:
                return norm(html_text(payload))
        raise AssertionError(f"{a['key']}: no WARC response for {a['record']!r}")
    raise AssertionError(f"{a['key']}: unknown format {a['format']!r}")


def body_words(a: dict[str, Any]) -> int:
    """Words of the article body only (the <p>s of <article>, the feed entry, the JSONL text, the dump)."""
    path = EXAMPLES / a["file"]
    if a["format"] in ("html", "warc"):
        raw = path.read_bytes() if a["format"] == "html" else next(
            p for t, u, _c, p in warc_records() if t == "response" and u == a["record"])
        doc = lxml.html.fromstring(raw)
        paras = doc.xpath("//article//p[not(ancestor::figure)]")
        return sum(len(p.text_content().split()) for p in paras)
    return len(article_text(a).split())


# --- the corpus as a whole ------------------------------------------------------------------------

def test_expected_json_refers_to_existing_files_and_keys() -> None:
    data = expected()
    keys = [a["key"] for a in articles()]
    assert len(keys) == len(set(keys)), "article keys repeat"
    for a in articles():
        assert (EXAMPLES / a["file"]).is_file(), f"{a['key']}: {a['file']} is missing"
        if a["reprint_of"]:
            assert a["reprint_of"] in keys
        if "attributions_same_as" in a:
            assert a["attributions_same_as"] in keys
    trail_ids = {t["id"] for t in data["trails"]}
    for t in data["trails"]:
        for k in t["articles"] + t["may_include"]:
            assert k in keys, f"trail {t['id']}: unknown article {k}"
        for r in t["reprints"]:
            assert r["article"] in keys and r["of"] in keys
        for d in t["denials"]:
            assert d["article"] in t["articles"], f"trail {t['id']}: denial outside the trail"
        assert set(t["related"]) <= trail_ids
        assert t["origin"]["article"] in t["articles"]
    for a in articles():
        assert set(a["trails"]) <= trail_ids
        for at in a["attributions"]:
            assert at["trail"] is None or at["trail"] in trail_ids
    # every file of the corpus is described, so nothing is ingested that no test expects
    described = {(EXAMPLES / a["file"]).resolve() for a in articles()}
    on_disk = {p.resolve() for p in CORPUS.iterdir() if p.is_file()}
    assert on_disk == described


def test_counts_and_spread_match_the_brief() -> None:
    arts = articles()
    assert len(arts) >= 18
    fmts = [a["format"] for a in arts]
    assert len(list(CORPUS.glob("*.html"))) >= 6
    assert len(list(CORPUS.glob("*.txt"))) >= 3
    assert fmts.count("warc") >= 3 and fmts.count("jsonl") >= 3 and fmts.count("feed") >= 4
    assert [a["language"] for a in arts].count("en") == len(arts) - 1
    dates = sorted(a["published"] for a in arts if a["published"] >= "2025-11")
    assert dates[0] == "2025-11-05" and dates[-1] >= "2025-11-12"


def test_trails_have_reprints_chains_and_denials() -> None:
    trails = {t["id"]: t for t in expected()["trails"]}
    full = [t for t in trails.values() if t["reprints"] and t["denials"]]
    assert len(full) >= 2
    for t in full:
        chained = [at for k in t["articles"] for at in by_key()[k]["attributions"]
                   if at["trail"] == t["id"] and len(at["chain"]) >= 2]
        assert chained, f"trail {t['id']} has no citation chain"
        assert any(c["kind"] == "reprints" for c in t["citations"])
    pair = expected()["related_pairs"][0]["trails"]
    assert pair[1] in trails[pair[0]]["related"] and pair[0] in trails[pair[1]]["related"]
    in_trails = {k for t in trails.values() for k in t["articles"] + t["may_include"]}
    unrelated = [k for m in expected()["must_not_join"] for k in m.get("articles", [])]
    assert unrelated and not set(unrelated) & in_trails


def test_article_lengths() -> None:
    for a in articles():
        words = body_words(a)
        if a.get("summary_only"):
            assert 40 <= words < 150, f"{a['key']}: {words} words"
        else:
            assert 150 <= words <= 450, f"{a['key']}: {words} words"


def test_everything_named_is_fictional() -> None:
    """Every URL, e-mail and domain in the corpus is under .example, so no real outlet is named."""
    files = [p for p in EXAMPLES.rglob("*") if p.is_file() and p.suffix != ".gz"]
    texts = [p.read_text(encoding="utf-8") for p in files]
    texts += [payload.decode("utf-8", "replace") for _t, _u, _c, payload in warc_records()]
    texts += [uri for _t, uri, _c, _p in warc_records() if uri]
    hosts = set()
    for text in texts:
        hosts |= set(re.findall(r"https?://([^/\s\"'<>?#]+)", text))
        hosts |= set(re.findall(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)", text))
    allowed = {"schema.org", "ogp.me", "purl.org", "www.w3.org", "netpreserve.org"}  # vocabularies, not outlets
    bad = sorted(h for h in hosts if not h.endswith(".example") and h not in allowed)
    assert not bad, f"non-fictional hosts: {bad}"


# --- per format -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.html")), ids=lambda p: p.name)
def test_html_pages_are_realistic_and_parse(path: Path) -> None:
    doc = lxml.html.fromstring(path.read_bytes())
    a = next(x for x in articles() if x["file"] == f"corpus/{path.name}")
    title = doc.findtext(".//title")
    assert title and " | " in title, "title is 'Headline | Outlet'"
    assert doc.xpath("//link[@rel='canonical']/@href") == [a["url"]]
    assert doc.xpath("//meta[@property='og:url']/@content") == [a["url"]]
    published = doc.xpath("//meta[@property='article:published_time']/@content")
    assert published and published[0].startswith(a["published"])
    assert norm(doc.xpath("string(//h1)")) == norm(a["title"])
    assert len(doc.xpath("//article//p")) >= 5
    assert doc.xpath("//figure/figcaption") and doc.xpath("//nav") and doc.xpath("//footer")
    assert doc.xpath("//aside//a"), "related-links sidebar"
    captions = [norm(c.text_content()) for c in doc.xpath("//figcaption")]
    assert [norm(c) for c in a["captions"]] == captions


def test_feeds_parse_with_full_and_summary_entries() -> None:
    for name, version in (("meridianwire-africa.rss.xml", "rss20"), ("horizondaily-world.atom.xml", "atom10")):
        parsed = feed(name)
        assert not parsed.bozo, f"{name}: {parsed.get('bozo_exception')}"
        assert parsed.version == version and len(parsed.entries) >= 2
        full = [e for e in parsed.entries if "content" in e]
        summary_only = [e for e in parsed.entries if "content" not in e]
        assert full and summary_only
        expected_links = {a["record"] for a in articles() if a["file"] == f"corpus/{name}"}
        assert {e.link for e in parsed.entries} == expected_links
        for e in summary_only:
            assert by_record(e.link).get("summary_only")


def by_record(record: str) -> dict[str, Any]:
    return next(a for a in articles() if a["record"] == record)


def test_warc_has_html_non_html_and_revisit_records() -> None:
    recs = warc_records()
    html = [(u, p) for t, u, c, p in recs if t == "response" and c and c.startswith("text/html")]
    other = [u for t, u, c, _p in recs if t == "response" and not (c and c.startswith("text/html"))]
    revisits = [u for t, u, _c, _p in recs if t == "revisit"]
    assert len(html) == 3 and len(other) >= 1 and len(revisits) == 1
    assert {u for u, _p in html} == {a["record"] for a in articles() if a["format"] == "warc"}
    assert revisits[0] in {u for u, _p in html}
    for uri, payload in html:
        doc = lxml.html.fromstring(payload)
        assert doc.xpath("//link[@rel='canonical']/@href") == [uri]
    skipped = expected()["counts"]["warc_skipped_records"]
    assert sum(1 for t, *_ in recs if t == "request") == skipped["request"]
    assert len(other) == skipped["non_html_response"]
    with gzip.open(CORPUS / "crawl-2025-11-12.warc.gz") as gz:  # a clean gzip stream end to end
        assert gz.read().startswith(b"WARC/1.0")


def test_warc_is_rebuilt_identically_from_its_sources(tmp_path: Path) -> None:
    """The committed WARC is what scripts/make_example_warc.py makes from examples/warc_src/ now."""
    spec = importlib.util.spec_from_file_location("make_example_warc", ROOT / "scripts" / "make_example_warc.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    rebuilt = module.build(tmp_path / "crawl-2025-11-12.warc.gz")  # the name is in the warcinfo record
    assert rebuilt.read_bytes() == (CORPUS / "crawl-2025-11-12.warc.gz").read_bytes(), \
        "run: .venv/bin/python scripts/make_example_warc.py"


def test_jsonl_rows() -> None:
    rows = [json.loads(line) for line in (CORPUS / "wires-and-briefs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 3
    for row in rows:
        assert row["text"].strip() and {"id", "title", "url", "outlet", "published"} <= set(row)
        a = by_record(row["id"])
        assert (row["url"], row["outlet"], row["published"], row["title"]) == (
            a["url"], a["outlet"], a["published"], a["title"])


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_text_dumps_carry_boilerplate_like_the_seed(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    lines = [ln.strip() for ln in raw.splitlines()]
    a = next(x for x in articles() if x["file"] == f"corpus/{path.name}")
    assert a["title"] in lines
    for line in a["removed_includes"] + a["captions"]:
        assert line in lines, f"{path.name}: {line!r} is not a line of the dump"
    # the headline comes twice, the second time with another dash or case
    doubles = [ln for ln in lines if ln != a["title"] and norm(ln.replace("–", "-").replace("—", "-")).lower()
               == norm(a["title"].replace("–", "-").replace("—", "-")).lower()]
    assert doubles, f"{path.name}: no repeated headline"
    paragraphs = [ln for ln in lines if len(ln.split()) >= 8 and ln != a["title"] and ln not in a["removed_includes"]
                  and ln not in a["captions"]]
    assert len(paragraphs) == a["body_paragraphs"]


# --- expected.json agrees with the text ----------------------------------------------------------

@pytest.mark.parametrize("key", [a["key"] for a in articles()])
def test_expected_snippets_are_in_the_article(key: str) -> None:
    a = by_key()[key]
    text = article_text(a)
    assert norm(a["title"]) in text
    for at in a["attributions"]:
        if at["source"]:
            assert norm(at["source"]) in text, f"source {at['source']!r}"
        for part in at["cue"].split(" ... "):
            assert re.search(rf"\b{re.escape(part)}\b", text, re.IGNORECASE), f"cue {at['cue']!r}"
        for word in at["content_keywords"]:
            assert norm(word) in text, f"keyword {word!r}"
        for hedge in at["hedges"]:
            assert hedge in text
    for sentence in a["not_attributions"]:
        assert norm(sentence) in text, f"not-attribution {sentence!r}"


def test_reprints_are_near_verbatim_and_others_are_not() -> None:
    def shingles(key: str) -> set[str]:
        a = by_key()[key]
        words = re.findall(r"\w+", body_only(a).lower())
        return {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}

    def jaccard(x: str, y: str) -> float:
        a, b = shingles(x), shingles(y)
        return len(a & b) / len(a | b)

    reprints = [(a["key"], a["reprint_of"]) for a in articles() if a["reprint_of"]]
    assert len(reprints) >= 3
    for copy, original in reprints:
        assert jaccard(copy, original) > 0.85, (copy, original)
    pairs = {frozenset(p) for p in reprints}
    keys = [a["key"] for a in articles()]
    for i, x in enumerate(keys):
        for y in keys[i + 1:]:
            if frozenset((x, y)) not in pairs:
                assert jaccard(x, y) < 0.3, (x, y)


def body_only(a: dict[str, Any]) -> str:
    """The body without page furniture, so that two pages of one outlet do not look alike."""
    if a["format"] in ("html", "warc"):
        raw = (EXAMPLES / a["file"]).read_bytes() if a["format"] == "html" else next(
            p for t, u, _c, p in warc_records() if t == "response" and u == a["record"])
        doc = lxml.html.fromstring(raw)
        return " ".join(p.text_content() for p in doc.xpath("//article//p[not(ancestor::figure)]"))
    if a["format"] == "text":
        return " ".join(ln for ln in (EXAMPLES / a["file"]).read_text(encoding="utf-8").splitlines()
                        if ln.strip() not in a.get("removed_includes", []))
    return article_text(a)


# --- the registry snippet -------------------------------------------------------------------------

def test_registry_snippet_covers_the_outlets_and_groups() -> None:
    data = tomllib.loads((EXAMPLES / "registry.toml").read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in data["source"]}
    domains = {d: e for e in entries.values() for d in e.get("domains", [])}
    for a in articles():
        assert a["outlet"] in domains, f"{a['outlet']} has no registry entry"
    groups: dict[str, set[str]] = {}
    for e in entries.values():
        groups.setdefault(e["group"], set()).add(e["id"])
    assert {"ex-ncna", "ex-crescent-tv"} <= groups["Northern Crescent state"]
    assert {"ex-vta", "ex-varkossa-today", "ex-varkossa-mod"} <= groups["Varkossan state"]
    for t in expected()["trails"]:
        if t["origin"]["entity"]:
            assert entries[t["origin"]["entity"]]["group"] == t["origin"]["group"]


def test_registry_snippet_follows_the_registry_schema() -> None:
    schema = pytest.importorskip("claimgraph.resolve.schema", reason="the resolve stage is not installed")
    text = (EXAMPLES / "registry.toml").read_text(encoding="utf-8")
    raws, problems = schema.parse_registry(text, "examples/registry.toml")
    assert not problems, [str(p) for p in problems]
    assert len(raws) >= 20


def test_readme_lists_every_file() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for path in sorted(CORPUS.iterdir()):
        assert path.name in readme, f"examples/README.md does not list {path.name}"


def test_expected_attributions_use_the_models_vocabulary() -> None:
    from claimgraph.models import ATTRIBUTION_KINDS, SOURCE_KINDS, STANCES

    date = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
    for a in articles():
        for at in a["attributions"]:
            where = f"{a['key']}: {at['source']!r} {at['cue']!r}"
            assert at["source_kind"] in SOURCE_KINDS, where
            assert at["stance"] in STANCES, where
            assert at["kind"] in ATTRIBUTION_KINDS, where
            for key in ("said_on", "event_date"):
                assert at[key] is None or date.match(at[key]), where
            if at["said_on"] and len(at["said_on"]) == 10 and a["published"]:
                assert at["said_on"] <= a["published"], where


def test_make_demo_ends_with_the_trails_of_the_examples() -> None:
    """`make demo` ingests the bundled corpus and its last command lists the trails (issue #5);
    tests/test_link_examples.py runs that same listing on the same corpus."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    # Commands run, not the closing hint that names `claimgraph serve` in an echo.
    commands = [ln.strip() for ln in recipe.splitlines()[1:] if "/claimgraph " in ln and "echo" not in ln]
    assert "ingest examples/corpus/" in commands[0] and "--db $(DEMO_DB)" in commands[0]
    assert commands[-1].split("claimgraph ", 1)[1].startswith("trails --db $(DEMO_DB)")
