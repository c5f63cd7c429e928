"""Registry: schema of every shipped entry, matching steps, fuzzy threshold, user files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.errors import RegistryError
from claimgraph.resolve.registry import Registry, shipped_path
from claimgraph.resolve.schema import KINDS, OWNERSHIPS, check_entry, parse_registry


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load()


def test_shipped_registry_follows_the_schema():
    text = shipped_path().read_text(encoding="utf-8")
    raws, problems = parse_registry(text, "registry.toml")
    assert problems == []
    assert len(raws) >= 1000
    for raw in raws:
        assert check_entry(raw) == [], raw["id"]
        assert raw["kind"] in KINDS and raw["ownership"] in OWNERSHIPS
        assert re.fullmatch(r"([A-Z]{2})?", raw["country"]), raw["id"]
        assert raw["group"] and raw["source"], raw["id"]


def test_every_entry_names_where_its_facts_come_from(reg):
    sources = {e.source.split(":")[0].split(";")[0] for e in reg.entries.values()}
    assert sources <= {"State Media Matrix (ASD at GMF, MIT)", "claimgraph editors (general knowledge)"}


@pytest.mark.parametrize("text, entry_id, method", [
    ("SANA", "sana", "exact"),
    ("The SANA", "sana", "normalised"),
    ("the SANA's", "sana", "normalised"),
    ("Syrian Arab News Agency (SANA)", "sana", "parenthesis"),
    ("sana.sy", "sana", "domain"),
    ("Sputniknews", "sputnik", "exact"),
    ("Russian Centre for Reconciliation", "ru-reconciliation-centre", "exact"),
    ("the Russian center for reconciliation of the warring parties in Syria", "ru-reconciliation-centre", "normalised"),
    ("Russian Defense Ministry", "ru-mod", "exact"),
    ("Russia’s Defence Ministry", "ru-mod", "normalised"),
    ("The Russian state-run media outlet Sputnik", "sputnik", "words"),
    ("Russian Defence Ministry spokesman Igor Konashenkov", "ru-mod", "words"),
    ("the U.S.-led coalition", "cjtf-oir", "normalised"),
    ("Al-Manar reporter", "al-manar", "words"),
    ("SANAs correspondent", "sana", "words"),
    ("Pentagon officials", "us-dod", "words"),
    ("Al Jazeera", "al-jazeera", "exact"),
    ("Médecins Sans Frontières", "msf", "exact"),
    ("Medecins sans Frontieres", "msf", "normalised"),
    ("Hayat Tahrir al-Sham", "hts", "exact"),
    ("Tahrir Sham", "hts", "normalised"),
])
def test_match_steps(reg, text, entry_id, method):
    found = reg.explain(text)
    assert found is not None and found.entry.id == entry_id and found.method == method


# Labelled names for the fuzzy step: (text, expected id or None); they calibrate the threshold
# (see Registry._fuzzy): near misses score at most 78.6, misspellings at least 93.
FUZZY_CASES = [
    ("Sputnick", "sputnik"), ("Syrain Arab News Agency", "sana"), ("Syrian Arab News Agancy", "sana"),
    ("Syrian Observatory for Human Right", "sohr"), ("Syrian Observatory of Human Rights", "sohr"),
    ("Anadolou Agency", "anadolu"), ("Al Jazeerah", "al-jazeera"), ("Al-Jazira", "al-jazeera"),
    ("Reuter", "reuters"), ("Associated Pres", "ap"), ("Agence France Press", "afp"),
    ("Human Right Watch", "hrw"), ("Amnesty Internatonal", "amnesty"), ("Xinhua Newsagency", "xinhua"),
    ("Hezbolla", "hezbollah"), ("Hizbolah", "hezbollah"), ("Syrian Democratic Force", "sdf"),
    ("World Health Organisaton", "who"), ("Organisation for the Prohibition of Chemical Weapon", "opcw"),
    ("Russian Centre for Reconcilliation", "ru-reconciliation-centre"), ("Tasnim News Agancy", "tasnim"),
    ("Al-Ikhbariya", "al-ekhbariya"), ("Press-TV", "press-tv"), ("Al Arabiyya", "al-arabiya"),
    ("Asharq al Awsat", "asharq-al-awsat"), ("Syrian Civil Defence", "white-helmets"),
    # near misses: sources the registry does not hold
    ("local sources", None), ("the media", None), ("Syrian pro-government activists", None),
    ("a military source", None), ("residents", None), ("activists", None), ("eyewitnesses", None),
    ("a field source", None), ("medical sources", None), ("opposition activists", None),
    ("a security source", None), ("Syrian Arab Airlines", None), ("Arab Spring", None),
    ("Syrian refugees", None), ("Russian diplomats", None), ("Turkish diplomats", None),
    ("the Observer", None), ("analysts", None), ("the ministry", None), ("witnesses", None),
]


@pytest.mark.parametrize("text, expected", FUZZY_CASES)
def test_fuzzy_threshold(reg, text, expected):
    found = reg.match(text)
    if expected is None:
        assert found is None, (text, found.id)
    else:
        assert found is not None and found.id == expected, (text, found and found.id)


def test_unmatched_and_empty(reg):
    assert reg.match("") is None and reg.match(None) is None
    assert reg.match("IS") is not None  # the whole text is the alias
    assert reg.match("said it IS true") is None  # a two-letter word is no acronym inside text


def test_match_domain(reg):
    assert reg.match_domain("https://www.sana.sy/en/?p=123").id == "sana"
    assert reg.match_domain("http://english.ahram.org.eg/News/1.aspx").id == "ahram"
    assert reg.match_domain("https://www.bbc.co.uk/news/world").id == "bbc"
    assert reg.match_domain("example.invalid") is None


def test_state_media_descriptors(reg):
    assert reg.state_media_group("Russian state-run media") == ("Russian state", "RU")
    assert reg.state_media_group("Syrian state television") == ("Syrian state", "SY")
    assert reg.state_media_group("Iranian state TV") == ("Iranian state", "IR")
    assert reg.state_media_group("the pro-opposition media") is None


def test_one_group_counts_once(reg):
    ids = ["sputnik", "rt", "tass", "ria-novosti", "ru-mod", "ru-reconciliation-centre"]
    assert {reg.get(i).group for i in ids} == {"Russian state"}
    assert {reg.get(i).group for i in ["sana", "sy-army", "sy-mfa"]} == {"Syrian state"}


def test_matching_is_fast(reg):
    import time

    names = [t for t, _ in FUZZY_CASES] * 20
    start = time.perf_counter()
    for n in names:
        reg.match(n)
    assert (time.perf_counter() - start) / len(names) < 0.002  # well under a millisecond each


def test_user_file_layers_over_shipped(tmp_path: Path):
    user = tmp_path / "mine.toml"
    user.write_text(
        '[[source]]\nid = "sana"\naliases = ["Syria\'s official agency"]\n\n'
        '[[source]]\nid = "valley-post"\nname = "The Valley Post"\nkind = "outlet"\ncountry = "SY"\n'
        'ownership = "private"\naliases = ["Valley Post"]\ndomains = ["valleypost.example"]\n',
        encoding="utf-8",
    )
    reg = Registry.load(str(user))
    assert reg.match("Syria's official agency").id == "sana"
    assert reg.get("sana").domains == ("sana.sy",)
    assert reg.match("Valley Post").id == "valley-post"
    assert reg.match_domain("https://valleypost.example/a").id == "valley-post"


def test_bad_user_file_raises_with_lines(tmp_path: Path):
    user = tmp_path / "bad.toml"
    user.write_text('[[source]]\nid = "x"\nname = "X"\nkind = "blog"\n', encoding="utf-8")
    with pytest.raises(RegistryError, match=r"bad.toml:4: kind 'blog'"):
        Registry.load(str(user))
    broken = tmp_path / "broken.toml"
    broken.write_text('[[source]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(RegistryError, match="not valid TOML"):
        Registry.load(str(broken))


def test_cli_sources(tmp_path: Path):
    runner = CliRunner()
    out = runner.invoke(cli, ["sources", "sana"])
    assert out.exit_code == 0 and "Syrian Arab News Agency" in out.output
    out = runner.invoke(cli, ["sources", "Russian state", "--json"])
    assert out.exit_code == 0 and '"id": "sputnik"' in out.output
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nid = "x"\nname = "X"\nkind = "outlet"\ncountry = "Syria"\n', encoding="utf-8")
    out = runner.invoke(cli, ["sources", "--check", str(bad)])
    assert out.exit_code == 1 and "bad.toml:5: country 'Syria'" in out.output
    good = tmp_path / "good.toml"
    good.write_text('[[source]]\nid = "sana"\naliases = ["SANA English"]\n', encoding="utf-8")
    out = runner.invoke(cli, ["sources", "--check", str(good)])
    assert out.exit_code == 0 and "1 entries ok" in out.output
