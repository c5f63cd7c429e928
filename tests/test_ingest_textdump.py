"""The text-dump cleaner: each line rule alone (table-driven), then whole dumps of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.ingest.lines import (
    is_call_to_action,
    is_caption,
    is_crumb,
    is_dateline,
    is_headline,
    is_money,
    normalise_heading,
    parse_byline,
    parse_date,
)
from claimgraph.ingest.textdump import clean_dump

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.mark.parametrize("line", ["0 $", "2,500 $", "$5,000", "1 698 €", "USD 10", "Raised: 1 240 € of 3 000 €", "75%"])
def test_money_ladder_rungs(line: str) -> None:
    assert is_money(line)


@pytest.mark.parametrize("line", ["In 2017, the army lost 5,000 $ worth of fuel.", "Chapter 3", "2017 budget"])
def test_not_money(line: str) -> None:
    assert not is_money(line)


@pytest.mark.parametrize("line", [
    "Do you like this content? Consider helping us!",
    "Do you enjoy our reporting? Support us on Patreon!",
    "Sign up for our daily newsletter",
    "Follow us on Telegram",
    "Share this article",
    "Share",
    "Tweet",
    "Read also: Ceasefire Talks Resume in Lunaport",
    "Tags: militia, Sorvik, Brena",
    "12 comments",
    "© 2024 Northwind Wire. All rights reserved.",
    "Trending: Election Results Delayed in Three Provinces",
])
def test_calls_to_action(line: str) -> None:
    assert is_call_to_action(line)


@pytest.mark.parametrize("line", [
    "The group urged its followers on Telegram to share the video, which the ministry called a fake, "
    "and said it would subscribe to no ceasefire that left its fighters exposed to attack in the valley.",
    "Officials said the newsletter of the ministry had been hacked.",
])
def test_prose_mentioning_furniture_words_is_kept(line: str) -> None:
    assert not is_call_to_action(line)


@pytest.mark.parametrize("line", [
    "U.S. Soldiers wait near Balad, March 22, 2009. (DoD photo by Specialist Jane Roe, U.S. Navy/Released)",
    "FILE IMAGE: Armoured vehicles on a road near Sorvik.",
    "FILE PHOTO: A checkpoint in Orsk.",
    "Workers repair a pump on March 3, 2024. REUTERS/Lena Ostrova",
    "Photo: Keldar Blog archive",
    "Photo : archives du Courrier de la Lize",
    "(Photo courtesy of the Ministry of Defence)",
    "A view of the port. AFP PHOTO / Karl Brenner",
    "Smoke rises over the hills. Getty Images",
    "The Halvik dam in 2021. (Northwind Wire photo by Pavel Dunn)",
])
def test_captions_and_credits(line: str) -> None:
    assert is_caption(line)


@pytest.mark.parametrize("line", [
    "Reuters reported on Monday that the talks had stalled.",
    "The agency said the photo was taken in 2016, not last week as the channel claimed.",
    "Prices rose 5/10 of a percent, the AP reported.",
])
def test_prose_about_photos_or_agencies_is_no_caption(line: str) -> None:
    assert not is_caption(line)


@pytest.mark.parametrize("line", ["Home » World » Middle East", "Accueil / Monde / Europe", "News | Politics | Syria"])
def test_crumbs(line: str) -> None:
    assert is_crumb(line)


def test_headline_shape() -> None:
    assert is_headline("US-led Coalition Evacuated Another Group Of ISIS Commanders From Deir Ezzor – Report")
    assert is_headline("Will the Truce Hold?")
    assert not is_headline("The army said it had withdrawn.")
    assert not is_headline("Share")


def test_bylines_and_dates() -> None:
    assert parse_byline("By Mira Kostadinova and Tomas Ferreira") == ("Mira Kostadinova", "Tomas Ferreira")
    assert parse_byline("by admin") is None
    assert parse_byline("By the way, the army said nothing.") is None
    assert is_dateline("March 4, 2024 10:32 AM")
    assert is_dateline("Posted on 12.05.2023 by admin")
    assert not is_dateline("On March 4, 2024 the plant closed for repairs after the flood.")
    assert parse_date("Posted on 12.05.2023") == "2023-05-12"
    assert parse_date("29 December 2017") == "2017-12-29"
    assert parse_date("31.02.2020") is None


def test_heading_normalisation_ignores_dashes_case_and_quotes() -> None:
    a = "US-led Coalition Evacuated Another Group – Report"
    assert normalise_heading(a) == normalise_heading("US-LED COALITION EVACUATED ANOTHER GROUP - REPORT")
    assert normalise_heading(a) == normalise_heading("US-led Coalition Evacuated Another Group — Report")


def _dump(name: str):
    return clean_dump((FIXTURES / name).read_text(encoding="utf-8"))


def test_wire_dump() -> None:
    d = _dump("dump_wire.txt")
    assert d.title == "Port Valera Water Plant Back Online After Three-Day Outage"
    assert len(d.paragraphs) == 4
    assert d.paragraphs[2] == '"We have no evidence of any outside interference," Velikova said.'
    assert d.captions == ("Workers repair a pumping station outside Port Valera on March 3, 2024. REUTERS/Lena Ostrova",)
    assert d.authors == ("Mira Kostadinova", "Tomas Ferreira")
    assert d.published == "2024-03-04"
    for line in ("Home » World » Middle East", "Share", "Follow us on Telegram", "Related",
                 "Harbour Strike Enters Second Week as Talks Stall", "© 2024 Northwind Wire. All rights reserved."):
        assert line in d.removed
    assert not any("Storm Warning" in p for p in d.paragraphs)


def test_blog_dump_with_hard_wrapped_paragraphs_and_euro_widget() -> None:
    d = _dump("dump_blog.txt")
    assert d.title == "MILITIA CLAIMS CONTROL OF HILLTOP VILLAGE NEAR SORVIK"
    assert len(d.paragraphs) == 2
    assert d.paragraphs[0].startswith("The Eastern Volunteer Militia said on Friday that its fighters had taken full")
    assert d.paragraphs[0].endswith("posted on its channel.")
    assert "Militia Claims Control of Hilltop Village Near Sorvik" in d.removed  # the headline again
    assert {"10 €", "Raised: 1 240 € of 3 000 €", "Read also: Ceasefire Talks Resume in Lunaport"} <= set(d.removed)
    assert d.captions == ("FILE IMAGE: Armoured vehicles on a road near Sorvik.", "Photo: Keldar Blog archive")
    assert d.published == "2023-05-12"


def test_single_newline_dump_with_a_trending_line_on_top() -> None:
    d = _dump("dump_lines.txt")
    assert d.title == "Ministry Denies Reports of Troop Build-up on Northern Border"
    assert len(d.paragraphs) == 3
    assert "Trending: Election Results Delayed in Three Provinces" in d.removed
    assert d.captions == ("(Photo courtesy of the Ministry of Defence)",)


def test_headline_repeated_with_other_dash_and_case() -> None:
    d = _dump("dump_hyphen_headline.txt")
    assert d.title == "Rebels Say They Downed Drone Near Orsk - Army Denies"
    assert "REBELS SAY THEY DOWNED DRONE NEAR ORSK — ARMY DENIES" in d.removed
    assert len(d.paragraphs) == 2
    assert "Subscribe" in d.removed


def test_non_english_dump() -> None:
    d = _dump("dump_fr.txt")
    assert d.title.startswith("Inondations")
    assert len(d.paragraphs) == 2
    assert d.captions == ("Photo : archives du Courrier de la Lize",)


def test_every_line_lands_somewhere() -> None:
    for path in sorted(FIXTURES.glob("dump_*.txt")):
        text = path.read_text(encoding="utf-8")
        d = clean_dump(text)
        kept = " ".join([d.title, *d.paragraphs, *d.captions, *d.removed])
        for line in text.splitlines():
            for word in line.split():
                assert word in kept, f"{path.name}: {word!r} was lost"


def test_degenerate_inputs() -> None:
    assert clean_dump("") .paragraphs == ()
    assert clean_dump("\n\n\n").title == ""
    d = clean_dump("Just one sentence of text that ends properly.")
    assert d.paragraphs == ("Just one sentence of text that ends properly.",)


def test_question_headline_meta_line_footer_and_permalink() -> None:
    d = _dump("dump_footer.txt")
    assert d.title == "The Orsk Radio Mast – What Really Happened On Sunday Night?"
    assert len(d.paragraphs) == 3
    assert d.published == "2024-05-14"  # from "Analysis | 14 May 2024 | Tolvan Herald Desk"
    assert d.url == "https://tolvanherald.com/analysis/orsk-mast"
    assert d.captions == ("The radio mast above the town of Orsk in 2020. (Herald archive photo)",)
    # below the widgets: the appeal and the "about us" note, though written as sentences
    assert "The Tolvan Herald is owned by its readers and accepts no state money." in d.removed
    assert "Independent journalism needs you. Become a supporter today!" in d.removed


def test_short_paragraphs_between_long_ones_survive_a_mid_article_widget() -> None:
    long = ("The regional council met on Tuesday to discuss the new budget for schools, which opposition "
            "members said did too little for the mountain districts where classes are largest.")
    text = f"Council Debates School Budget\n\n{long}\n\nShare\nTweet\n\n\"We need teachers,\" she said.\n\n{long}\n"
    d = clean_dump(text)
    assert '"We need teachers," she said.' in d.paragraphs
    assert len(d.paragraphs) == 3


def test_three_word_sentences_are_body_text() -> None:
    d = clean_dump("Army Denies Losing Drone Near Orsk\n\nThe army said on Monday that no aircraft had been lost.\n\n"
                   "\u201cNo,\u201d he said.\n\nThe rebels insisted.\n\nRead More.\n")
    assert d.paragraphs[1:] == ("\u201cNo,\u201d he said.", "The rebels insisted.")
    assert d.removed == ("Read More.",)


def test_broadcaster_dump_with_widgets_between_headline_and_body() -> None:
    d = _dump("dump_broadcaster.txt")
    assert d.title == "Lunaport: Talks on prisoner exchange stall, both sides say"
    assert len(d.paragraphs) == 4 and d.paragraphs[-1] == "Mediators said they would try again next week."
    assert d.captions == ("Image caption, Delegates arrive at the conference hall in Lunaport on Thursday",
                          "Image source, Getty Images")
    for line in ("We use cookies to improve your experience. Accept all cookies", "Listen to this article",
                 "4 min read", "5 minutes ago", "Advertisement", "Who Are the Southern Front?",
                 "Copyright 2024 LBS. The LBS is not responsible for the content of external sites."):
        assert line in d.removed
