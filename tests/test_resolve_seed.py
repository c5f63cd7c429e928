"""The worked example of issue 4, on claims built by hand from the gold reading, so that it tests
the resolve stage alone (not the attribution model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.models import Article, Claim, EntityRef
from claimgraph.resolve import Resolver
from claimgraph.settings import Settings

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_0eec5a486a0ac0bb.txt"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not SEED.is_file(), reason=f"worked example not found at {SEED} (../shared absent)"),
]

# (n, sentence start, source, channel, cue, content) as the gold reading gives them.
GOLD = [
    (1, "On December 28, local sources", "local sources", "Syrian Arab News Agency (SANA)", "revealed",
     "helicopters of the US-led coalition evacuated commanders of ISIS from several positions in Deir "
     "Ezzor governorate and transferred them to its bases in al-Hasakah governorate on December 27"),
    (2, "The SANA also revealed", "The SANA", None, "revealed",
     "the US-led coalition evacuated 47 commander of ISIS earlier in December"),
    (3, "The commanders were moved", "SANA", None, "according to",
     "The commanders were moved to a US base near the al-Sad camp south of the city of al-Hasakah"),
    (4, "This was not the first time", "the media", None, "reported",
     "the US-led coalition is evacuating ISIS commanders"),
    (5, "The Russian state-run media outlet Sputnik", "The Russian state-run media outlet Sputnik", None,
     "said", "US helicopters have evacuated over 20 ISIS field commanders from Deir Ezzor to “safer regions”"),
    (6, "Later on November 7", "the Russian state-run media", None, "accused",
     "the United States of evacuating ISIS commanders from the city of Mayadin before it was liberated "
     "by the Syrian Army in October"),
    (7, "The pro-opposition Syrian Observatory", "The pro-opposition Syrian Observatory for Human Rights (SOHR)",
     None, "claiming", "the US evacuated dozens of ISIS commanders and some of its spies that had infiltrated ISIS"),
    (8, "Many Syrian pro-government activists", "Many Syrian pro-government activists", None, "argue",
     "US-led coalition is planning to re-use these experienced commanders later against the Syrian Arab Army (SAA)"),
    (9, "The Russian center for reconciliation", "The Russian center for reconciliation of the warring "
     "parties in Syria", None, "accused", "the US-led coalition of training former members of ISIS in refugee "
     "camps in al-Hasakah governorate on December 16"),
]


def _article() -> Article:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("On December 28"))
    end = next(i for i, line in enumerate(lines) if "December 16." in line)
    body = "\n\n".join(line.strip() for line in lines[start:end + 1] if line.strip())
    caption = next(line for line in lines if line.startswith("U.S. Soldiers"))
    return Article(id="seed", title="US-led Coalition Evacuated Another Group Of ISIS Commanders From Deir Ezzor – Report",
                   text=body, outlet="southfront.org", published="2017-12-29", captions=(caption,))


def _span(text: str, part: str, within: tuple[int, int]) -> tuple[int, int]:
    at = text.find(part, within[0], within[1])
    assert at >= 0, part
    return at, at + len(part)


def _claims(article: Article) -> tuple[Claim, ...]:
    text = article.text
    claims = []
    for n, opening, source, channel, cue, content in GOLD:
        s = text.find(opening)
        e = min(x for x in (text.find(". ", s) + 1, text.find(".\n", s) + 1, len(text)) if x > 0)
        if n == 1:  # its sentence runs past "on December 27."
            e = text.find("December 27.") + len("December 27.")
        sentence_span = (s, e)
        claims.append(Claim(
            id=f"seed:{n}", article_id="seed", n=n, sentence=text[s:e], sentence_span=sentence_span,
            source=EntityRef(source, "unknown", (_span(text, source, sentence_span),)),
            channel=EntityRef(channel, "outlet") if channel else None,
            chain=(EntityRef(source, "anonymous"), EntityRef(channel, "outlet")) if channel else (),
            cue=cue, content=content, cue_spans=(_span(text, cue, sentence_span),),
            content_spans=(_span(text, content, sentence_span),),
        ))
    return tuple(claims)


@pytest.fixture(scope="module")
def resolved() -> dict[int, Claim]:
    article = _article()
    out = Resolver.from_settings(Settings()).resolve(article, _claims(article))
    return {c.n: c for c in out}


def test_sources_resolve_with_kind_and_group(resolved):
    assert resolved[1].channel.entity == "sana" and resolved[1].channel.kind == "news agency"
    assert resolved[1].channel.group == "Syrian state"
    assert resolved[2].source.entity == "sana" and resolved[3].source.entity == "sana"
    assert resolved[5].source.entity == "sputnik"
    assert resolved[7].source.entity == "sohr" and resolved[7].source.kind == "monitor/NGO"
    assert resolved[9].source.entity == "ru-reconciliation-centre"
    assert resolved[5].source.group == resolved[9].source.group == "Russian state"
    assert resolved[6].source.entity is None and resolved[6].source.group == "Russian state"


def test_unmatched_sources_keep_text_and_kind(resolved):
    for n in (4, 8):
        assert resolved[n].source.entity is None
    assert resolved[1].origin.text == "local sources" and resolved[1].origin.kind == "anonymous"
    assert resolved[1].origin.entity is None


def test_publisher_is_the_outlet(resolved):
    assert all(c.publisher == "southfront.org" for c in resolved.values())


def test_dates(resolved):
    assert (resolved[1].said_on.date, resolved[1].event_date.date) == ("2017-12-28", "2017-12-27")
    assert resolved[2].event_date.date == "2017-12" and resolved[2].event_date.precision == "month"
    assert resolved[5].said_on.date == "2017-09-07"
    assert resolved[6].said_on.date == "2017-11-07" and resolved[6].event_date.date == "2017-10"
    assert resolved[7].said_on.date == "2017" and resolved[7].said_on.precision == "year"
    assert resolved[9].said_on.date == "2017-12-16" and resolved[9].event_date is None
    for n in (3, 4, 8):
        assert resolved[n].said_on is None and resolved[n].event_date is None


def test_places(resolved):
    names = {n: {p.name for p in c.places} for n, c in resolved.items()}
    assert {"Deir Ezzor", "al-Hasakah"} <= names[1]
    assert "Deir Ezzor" in names[5] and "Mayadin" in names[6] and "al-Hasakah" in names[9]
    for c in resolved.values():
        for p in c.places:
            if p.name in ("Deir Ezzor", "al-Hasakah", "Mayadin"):
                assert p.country == "SY" and p.lat is not None and p.lon is not None
    mayadin = next(p for p in resolved[6].places if p.name == "Mayadin")
    assert mayadin.geoname_id is not None


def test_caption_attaches_to_no_claim(resolved):
    for c in resolved.values():
        assert all(p.name != "Balad Ruz" and p.country != "IQ" for p in c.places)
        for d in (c.said_on, c.event_date):
            assert d is None or not d.date.startswith("2009")


def test_without_publication_date_the_latest_body_date_anchors(resolved):
    article = _article()
    article = Article(**{**article.__dict__, "published": None,
                         "text": article.text + "\n\nThe report was updated on December 30, 2017."})
    out = Resolver.from_settings(Settings()).resolve(article, _claims(article))
    first = out[0]
    assert first.said_on.date == "2017-12-28" and first.said_on.precision == "day+inferred"
