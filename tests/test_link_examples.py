"""End to end over the bundled examples: ingest, attribute, resolve, link; then the trails.

Checks what the link stage owes the story told in examples/README.md, at the level of articles
(the attribution stage decides how each article splits into claims): the Arlit airlift and the Illéla
strike form two separate trails, each gathering its relays and reprints; the unrelated stories join
neither; every claim lands in exactly one trail; linking again changes nothing.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (EXAMPLES / "expected.json").is_file(), reason="examples/ not present"),
]


@cache
def linked(tmp: str) -> tuple[dict, dict, dict]:
    db = str(Path(tmp) / "examples.db")
    result = CliRunner().invoke(cli, [
        "ingest", str(EXAMPLES / "corpus"), "--recursive", "--registry", str(EXAMPLES / "registry.toml"),
        "--db", db,
    ])
    assert result.exit_code == 0, result.output
    from claimgraph.store.sqlite import SQLiteStore

    expected = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
    store = SQLiteStore(db)
    try:
        key_of = {}
        for article in store.iter_articles():
            for e in expected["articles"]:
                if (e["url"] and e["url"] == article.url) or e["title"] == article.title:
                    key_of[article.id] = e["key"]
        trails = {t.id: t for t in store.iter_trails()}
        claims = {c.id: c for c in store.iter_claims()}
    finally:
        store.close()
    return {"db": db, "expected": expected}, key_of, {"trails": trails, "claims": claims}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return linked(str(tmp_path_factory.mktemp("examples")))


def _articles(trail, key_of) -> set[str]:
    return {key_of.get(a, a) for a in trail.article_ids}


def _trail_with(trails, key_of, keys: set[str]):
    """The trail holding claims of the most of ``keys``."""
    return max(trails.values(), key=lambda t: len(_articles(t, key_of) & keys))


def test_two_stories_two_trails(run) -> None:
    _, key_of, data = run
    trails = data["trails"]
    airlift = _trail_with(trails, key_of, {"ncna-airlift", "vta-airlift", "easterngazette-airlift"})
    strike = _trail_with(trails, key_of, {"meridian-illela-strike", "horizondaily-illela-strike",
                                          "crescenttv-illela-brief"})
    assert {"ncna-airlift", "vta-airlift", "easterngazette-airlift"} <= _articles(airlift, key_of)
    assert {"meridian-illela-strike", "horizondaily-illela-strike", "crescenttv-illela-brief"} <= _articles(
        strike, key_of)
    assert airlift.id != strike.id
    assert airlift.origin is not None and airlift.origin.source.lower() == "local sources"
    assert airlift.first_seen == "2025-11-05"
    assert "varkossatoday-tahoua-september" not in _articles(airlift, key_of)


def test_unrelated_stories_join_no_trail_of_the_stories(run) -> None:
    info, key_of, data = run
    story = {a["key"] for a in info["expected"]["articles"] if a["trails"]}
    unrelated = {k for item in info["expected"]["must_not_join"] for k in item.get("articles", [])}
    for trail in data["trails"].values():
        keys = _articles(trail, key_of)
        assert not (keys & unrelated and keys & story), (trail.id, keys)


def test_every_claim_in_one_trail_and_denials_kept_apart(run) -> None:
    _, _, data = run
    seen: dict[str, str] = {}
    for trail in data["trails"].values():
        for cid in (*trail.claim_ids, *trail.denials):
            assert cid not in seen, f"{cid} in {seen.get(cid)} and {trail.id}"
            seen[cid] = trail.id
        assert not set(trail.claim_ids) & set(trail.denials)
    assert set(seen) == set(data["claims"])
    assert any(t.denials for t in data["trails"].values())


def test_linking_again_changes_nothing(run) -> None:
    info, _, data = run
    result = CliRunner().invoke(cli, ["link", "--db", info["db"]])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"0 new claims linked ({len(data['claims'])} in all)")
    assert ", 0 written, 0 deleted" in result.output


def _by_key(trails, key_of, key: str):
    """The trail holding most of the article's asserting claims (its main trail)."""
    counts: dict[str, int] = {}
    for t in trails.values():
        counts[t.id] = sum(1 for c in t.claim_ids if key_of.get(c.rsplit(":", 1)[0]) == key)
    return trails[max(counts, key=lambda k: counts[k])]


def test_verdicts_of_the_two_stories(run) -> None:
    """The verdict lines read like examples/README.md tells the stories: the Arlit airlift has one
    origin (NCNA ← local sources) and one independent group however many outlets relay it, the
    denial attached and both reprints listed; the Illéla strike has two independent groups (the
    monitor and the hospital) and its denials."""
    _, key_of, data = run
    trails = data["trails"]
    airlift = _by_key(trails, key_of, "ncna-airlift")
    assert airlift.independent_groups == ("Northern Crescent state",)
    assert airlift.origin is not None and airlift.origin.source == "local sources"
    assert airlift.origin.entity == "ex-ncna" and airlift.origin.group == "Northern Crescent state"
    assert "1 origin (Northern Crescent News Agency ← local sources)" in airlift.verdict
    assert "1 independent group" in airlift.verdict
    assert {"easterngazette-airlift", "horizondaily-airlift-denial"} <= {key_of.get(a) for a in airlift.reprints}
    assert len(airlift.denials) >= 1
    assert {key_of.get(c.rsplit(":", 1)[0]) for c in airlift.denials} >= {"meridian-airlift-denial"}
    assert {"vta-airlift", "dunedispatch-airlift", "varkossatoday-mod-airlift",
            "meridian-airlift-denial"} <= _articles(airlift, key_of)

    strike = _by_key(trails, key_of, "ocp-illela-statement")
    assert strike.id == _by_key(trails, key_of, "meridian-illela-strike").id
    assert len(strike.independent_groups) == 2
    assert set(strike.independent_groups) == {"Observatory for Civilian Protection", "Illéla district hospital"}
    assert strike.origin is not None and strike.origin.group == "Observatory for Civilian Protection"
    assert "2 independent groups" in strike.verdict
    # The hospital's staff, worded two ways by reports of the monitor's statement, is one origin;
    # the doctor Meridian Wire quotes is the other.
    assert "2 origins (" in strike.verdict
    assert len(strike.denials) >= 1
    assert [key_of.get(a) for a in strike.reprints] == ["horizondaily-illela-strike"]


def test_the_september_airlift_is_related_not_joined(run) -> None:
    """Trail C (more than 20 commanders near Tahoua, in September) stays apart from A and is
    linked to it as related."""
    _, key_of, data = run
    trails, claims = data["trails"], data["claims"]
    airlift = _by_key(trails, key_of, "ncna-airlift")
    september = [t for t in trails.values()
                 if any("more than 20" in claims[c].content for c in t.claim_ids)]
    assert september and all(t.id != airlift.id for t in september)
    assert any(t.id in airlift.related and airlift.id in t.related for t in september)


def test_the_demo_listing_opens_with_the_two_stories(run) -> None:
    """What `make demo` prints last: the trails, biggest first, the airlift and the Illéla strike
    on top with their verdict lines."""
    info, key_of, data = run
    result = CliRunner().invoke(cli, ["trails", "--db", info["db"], "--order", "size", "--limit", "12"])
    assert result.exit_code == 0, result.output
    airlift = _by_key(data["trails"], key_of, "ncna-airlift")
    strike = _by_key(data["trails"], key_of, "meridian-illela-strike")
    rows = [ln for ln in result.output.splitlines() if ln.strip().startswith("t")]
    assert rows[0].split()[0] == airlift.id and rows[1].split()[0] == strike.id
    assert "independent group" in result.output and result.output.rstrip().endswith("12 trails")
