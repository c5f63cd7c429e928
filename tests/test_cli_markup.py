"""Article, claim and source strings are untrusted: the terminal commands print rich markup in them
literally instead of styling text or planting hyperlinks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.models import Claim, EntityRef
from claimgraph.settings import load_settings
from claimgraph.store import open_store

TITLE = "[bold]Kessel[/bold] ferry [link=https://evil.example]halted[/link]"
PAGE = f"""<html><head><title>{TITLE} | Orsk Harbour Gazette</title></head>
<body><article><h1>{TITLE}</h1>
<p>The [bold]harbour office[/bold] said on Monday that the [red]Kessel[/] ferry would stay in port
until the storm over the Orsk strait had passed, and that no passengers had been hurt.</p>
<p>"We will not sail into [link=https://evil.example]that[/link] weather," a captain told the
gazette, adding that the crossing would resume within two days if the wind dropped.</p>
</article></body></html>
"""
REGISTRY = """[[source]]
id = "orsk-gazette"
name = "[bold]Orsk[/bold] Harbour Gazette"
kind = "outlet"
country = "NO"
ownership = "private"
group = "[link=https://evil.example]Orsk owners[/link]"
aliases = ["Orsk Harbour Gazette"]
domains = ["orsk-gazette.example"]
source = "claimgraph tests (fictional)"
"""


def _visible(output: str) -> str:
    # Tables wrap long cells over lines; joining the words back lets a marker be found whole.
    return "".join(output.split())


def _assert_literal(output: str, markers: tuple[str, ...]) -> None:
    assert "\x1b]8;" not in output, "a rich hyperlink escape reached the terminal"
    flat = _visible(output)
    for marker in markers:
        assert "".join(marker.split()) in flat, f"{marker!r} was not printed literally:\n{output}"


def test_articles_claims_and_sources_print_markup_literally(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    db = str(tmp_path / "m.db")
    runner = CliRunner(env={"COLUMNS": "400"})  # wide enough that no cell is cut
    ingested = runner.invoke(cli, ["ingest", str(page), "--db", db, "--no-attribute",
                                   "--url", "https://orsk-gazette.example/kessel", "--published", "2024-03-04"])
    assert ingested.exit_code == 0, ingested.output

    # A claim whose strings carry markup, written as the attribute stage would (no model needed).
    store = open_store(load_settings(db=db))
    try:
        article = next(iter(store.iter_articles()))
        sentence = article.paragraphs[0]
        claim = Claim(
            id=f"{article.id}:1", article_id=article.id, n=1, sentence=sentence,
            sentence_span=(0, len(sentence)), source=EntityRef("The [bold]harbour office[/bold]", "government"),
            cue="said", content="the [red]Kessel[/] ferry would stay in port",
            channel=EntityRef("[link=https://evil.example]gazette[/link]", "outlet"),
        )
        store.replace_claims(article.id, [claim], "attributed")
    finally:
        store.close()

    articles = runner.invoke(cli, ["articles", "--db", db])
    assert articles.exit_code == 0, articles.output
    # The table cuts titles at 70 characters, which keeps both markers of TITLE.
    _assert_literal(articles.output, ("[bold]Kessel[/bold]", "[link=https://evil.example]"))

    claims = runner.invoke(cli, ["claims", "--db", db])
    assert claims.exit_code == 0, claims.output
    _assert_literal(claims.output, ("[bold]harbour office[/bold]", "[red]Kessel[/]",
                                    "[link=https://evil.example]gazette[/link]"))

    registry = tmp_path / "registry.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    listed = runner.invoke(cli, ["sources", "Orsk", "--registry", str(registry)])
    assert listed.exit_code == 0, listed.output
    _assert_literal(listed.output, ("[bold]Orsk[/bold]", "[link=https://evil.example]"))
    shown = runner.invoke(cli, ["sources", "orsk-gazette", "--registry", str(registry)])
    assert shown.exit_code == 0, shown.output
    _assert_literal(shown.output, ("[bold]Orsk[/bold]", "[link=https://evil.example]Orsk owners[/link]"))


ESC_TITLE = "Kessel \x1b[31mferry\x1b[0m halted \x1b]8;;https://evil.example\x07here\x1b]8;;\x07"


def test_terminal_control_codes_never_reach_the_terminal(tmp_path: Path) -> None:
    import json

    records = tmp_path / "in.jsonl"
    records.write_text(json.dumps({
        "title": ESC_TITLE, "outlet": "orsk-gazette.example", "published": "2024-03-04",
        "text": "The harbour office said on Monday that the \x1b[2Jferry would stay in port until the storm "
                "over the Orsk strait had passed, and that no passengers had been hurt.\x9b6n"}) + "\n",
        encoding="utf-8")
    (tmp_path / "bad\x1b[31m.txt").write_bytes(b"")
    db = str(tmp_path / "m.db")
    runner = CliRunner(env={"COLUMNS": "400"})
    ingested = runner.invoke(cli, ["ingest", str(records), str(tmp_path / "bad\x1b[31m.txt"), "--db", db,
                                   "--no-attribute"])
    assert "\x1b" not in ingested.output and "bad[31m.txt" in ingested.output, ingested.output

    # Stored clean by the ingest stage ...
    store = open_store(load_settings(db=db))
    try:
        article = next(iter(store.iter_articles()))
        assert "\x1b" not in article.title + article.text and "\x9b" not in article.text
        assert article.title.startswith("Kessel [31mferry[0m halted")
        # ... and a claim written with control codes by some other route is still printed without them.
        claim = Claim(id=f"{article.id}:1", article_id=article.id, n=1, sentence="s", sentence_span=(0, 1),
                      source=EntityRef("The \x1b[5moffice", "government"), cue="said",
                      content="the \x1b]8;;https://evil.example\x07ferry\x1b]8;;\x07 stays")
        store.replace_claims(article.id, [claim], "attributed")
    finally:
        store.close()
    for args in (["articles"], ["claims"]):
        result = runner.invoke(cli, [*args, "--db", db])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output, (args, result.output)


@pytest.mark.slow
def test_markup_survives_the_whole_pipeline_into_claims(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    db = str(tmp_path / "m.db")
    runner = CliRunner(env={"COLUMNS": "400"})
    ingested = runner.invoke(cli, ["ingest", str(page), "--db", db, "--url", "https://orsk-gazette.example/k",
                                   "--published", "2024-03-04"])
    assert ingested.exit_code == 0, ingested.output
    claims = runner.invoke(cli, ["claims", "--db", db])
    assert claims.exit_code == 0, claims.output
    _assert_literal(claims.output, ("[red]Kessel[/]", "[link=https://evil.example]that[/link]"))


def test_error_messages_quoting_user_input_carry_no_control_codes(tmp_path: Path) -> None:
    db = str(tmp_path / "e.db")
    result = CliRunner().invoke(cli, ["export", "--format", "json", "--db", db, "--trail", "t\x1b[31mX"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "t[31mX" in result.output, result.output
