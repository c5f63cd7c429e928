"""The worked example: the seed page dump read with the outlet and date the user gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimgraph.ingest import IngestOptions, read_inputs
from claimgraph.models import Article
from claimgraph.settings import Settings

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_0eec5a486a0ac0bb.txt"
GOLD = SEED.with_name("000_0eec5a486a0ac0bb.gold.json")

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not SEED.exists(), reason=f"{SEED} is absent (../shared is not checked out)"),
]


@pytest.fixture(scope="module")
def article() -> Article:
    options = IngestOptions(outlet="southfront.org", published="2017-12-29")
    items = list(read_inputs([str(SEED)], options, Settings()))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def test_seed_metadata(article: Article) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["article"]
    assert article.title == gold["title"]
    assert "–" in article.title  # the first headline, with its en dash
    assert article.outlet == "southfront.org"
    assert article.published == "2017-12-29"
    assert article.language == "en"
    assert article.fmt == "text"


def test_seed_body_is_exactly_the_six_paragraphs(article: Article) -> None:
    paras = article.paragraphs
    assert len(paras) == 6
    assert paras[0].startswith("On December 28, local sources revealed")
    assert paras[-1].startswith("Many Syrian pro-government activists argue")
    assert "$" not in article.text
    assert "Do you like this content" not in article.text
    assert "DoD photo" not in article.text
    assert "Deir Ezzor - Report" not in article.text  # the second headline


def test_seed_caption_and_removed_lines(article: Article) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["article"]
    assert article.captions == (gold["caption"],)
    for rung in ("0 $", "2,500 $", "5,000 $", "1,698 $"):
        assert rung in article.removed
    assert "US-led Coalition Evacuated Another Group Of ISIS Commanders From Deir Ezzor - Report" in article.removed
    assert any("Do you like this content?" in r and "Consider helping us!" in r for r in article.removed)


def test_seed_id_is_stable(article: Article) -> None:
    again = next(iter(read_inputs([str(SEED)], IngestOptions(outlet="southfront.org"), Settings())))
    assert isinstance(again, Article) and again.id == article.id
