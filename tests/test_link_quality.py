"""What a trail's verdict counts: origins and independent groups from the claim itself, unnamed
sources standing for who vouches for them, denials found through their article, restatements in
one article merged. Hand-built claims about fictional outlets and events; no model needed."""

from __future__ import annotations

from claimgraph.link import build_trails
from claimgraph.link.text import counts_differ, counts_in, negated, said_not_happened
from claimgraph.models import Claim, DateRef, EntityRef, Place
from test_link import MINISTRY, article, claim

TARTU = Place("Tartu", 588335, "EE")
HERALD = EntityRef("Baltic Herald Agency", "news agency", entity="bha", name="Baltic Herald Agency",
                   group="ee-state")
WATCH = EntityRef("Harbour Watch", "monitor/NGO", entity="hw", name="Harbour Watch", group="Harbour Watch")
DOCTOR = EntityRef("Dr. Mari Kask", "person", entity="kask", name="Mari Kask", group="Tartu clinic")
FERRY = EntityRef("Ferry Line", "company", entity="ferryline", name="Ferry Line", group="Ferry Line")


def _by_claim(trails):
    return {c: t for t in trails for c in (*t.claim_ids, *t.denials)}


def test_datelines_and_compound_number_words() -> None:
    assert counts_in("TARTU, Nov. 5 (BHA) - three boats sank") == counts_in("three boats sank")
    assert {v for v, _ in counts_in("we counted thirty-one wounded and fourteen dead")} == {31, 14}
    # Rounded or qualified counts are not a contradiction; another number of the same thing is.
    assert not counts_differ(counts_in("more than 30 wounded"), counts_in("31 wounded"))
    assert not counts_differ(counts_in("14 people died"), counts_in("31 wounded people"))
    assert counts_differ(counts_in("20 boats sank"), counts_in("45 boats sank"))


def test_negated_claims_and_report_dates() -> None:
    assert negated("that none of its ferries had sailed that night")
    assert negated('"There was no such collision," he said')
    assert negated("the company did not operate the route")
    assert not negated("that the rescue lasted an hour and that no one was hurt")
    assert not negated("This is not the first such accident")
    a = article("d1", "x.example", "2024-05-09")
    dated = claim(a, 1, "TARTU, May 9 (BHA) - a ferry hit the pier on Tuesday", HERALD, event="2024-05-09")
    dated = Claim(**{**dated.__dict__, "event_date": DateRef("2024-05-09", "day", "May 9")})
    assert said_not_happened(dated)
    reported = Claim(**{**dated.__dict__, "content": "The agency reported on Thursday that a ferry sank",
                        "event_date": DateRef("2024-05-09", "day", "on Thursday")})
    assert said_not_happened(reported)
    happened = Claim(**{**dated.__dict__, "content": "a ferry hit the pier on Tuesday",
                        "event_date": DateRef("2024-05-07", "day", "on Tuesday")})
    assert not said_not_happened(happened)


SANK = "a ferry of Ferry Line sank near Tartu harbour on Tuesday with about 40 passengers aboard"


def _airlift_like():
    """An agency's unnamed sources, relayed by outlets that call them differently; a reprint; a
    resident's colour quote; an unnamed source whose relay names no channel."""
    a1 = article("q1", "bha.example", "2024-05-08")
    a2 = article("q2", "coast-daily.example", "2024-05-09")
    a3 = article("q3", "copy-paper.example", "2024-05-09", reprint_of="q2")
    a4 = article("q4", "north-blog.example", "2024-05-10")
    sources, locals_ = EntityRef("local sources", "anonymous"), EntityRef("local residents", "group")
    claims = [
        claim(a1, 1, SANK, sources, channel=HERALD, places=(TARTU,), event="2024-05-07"),
        claim(a1, 2, '"The water was black and everyone was screaming on the deck of that ferry"',
              EntityRef("a resident of the area", "group"), channel=HERALD),
        claim(a2, 1, "a Ferry Line ferry sank near Tartu harbour with about 40 passengers aboard",
              locals_, places=(TARTU,)),
        claim(a2, 2, "residents saw the ferry sink within minutes near Tartu harbour", EntityRef("Residents", "group"),
              chain=(EntityRef("Residents", "group"), HERALD), places=(TARTU,)),
        claim(a3, 1, "a Ferry Line ferry sank near Tartu harbour with about 40 passengers aboard",
              locals_, places=(TARTU,)),
        claim(a4, 1, "a ferry with about 40 passengers sank near Tartu harbour, the blog heard",
              EntityRef("sources", "anonymous"), places=(TARTU,)),
    ]
    return claims, [a1, a2, a3, a4]


def test_one_origin_one_group_however_the_relays_name_the_sources() -> None:
    claims, articles = _airlift_like()
    trails, _ = build_trails(claims, articles)
    sank = _by_claim(trails)["q1:1"]
    assert {c.rsplit(":", 1)[0] for c in sank.claim_ids} >= {"q1", "q2", "q3", "q4"}
    assert sank.independent_groups == ("ee-state",)
    assert sank.origin is not None and sank.origin.source == "local sources" and sank.origin.entity == "bha"
    assert "1 origin (Baltic Herald Agency ← local sources)" in sank.verdict
    assert sank.reprints == ("q3",)


def test_a_second_named_witness_of_the_same_count_is_a_second_group() -> None:
    a1 = article("w1", "harbourwatch.example", "2024-05-08")
    a2 = article("w2", "coast-daily.example", "2024-05-08")
    claims = [
        claim(a1, 1, "a ferry sank near Tartu harbour on Tuesday, killing at least 12 passengers",
              EntityRef("rescue workers", "group"), channel=WATCH, places=(TARTU,), event="2024-05-07"),
        claim(a2, 1, "a ferry sank near Tartu harbour on Tuesday, killing at least 12 passengers",
              EntityRef("rescue workers", "group"), chain=(EntityRef("rescue workers", "group"), WATCH),
              places=(TARTU,), event="2024-05-07"),
        claim(a2, 2, '"We received twelve bodies and nineteen injured, most of them children"', DOCTOR),
    ]
    trails, _ = build_trails(claims, [a1, a2])
    sank = _by_claim(trails)["w1:1"]
    assert "w2:2" in sank.claim_ids
    assert set(sank.independent_groups) == {"Harbour Watch", "Tartu clinic"}


def test_a_denial_told_before_the_story_finds_it_through_its_article() -> None:
    a1 = article("n1", "bha.example", "2024-05-08")
    a2 = article("n2", "coast-daily.example", "2024-05-09")
    claims = [
        claim(a1, 1, SANK, EntityRef("local sources", "anonymous"), channel=HERALD, places=(TARTU,),
              event="2024-05-07"),
        # Said first, in other words, with an assertive cue: the negation makes it a denial.
        claim(a2, 1, "that none of its vessels had been lost this week", FERRY),
        claim(a2, 2, "a Ferry Line ferry sank near Tartu harbour with about 40 passengers aboard",
              EntityRef("the agency", "organization"), chain=(EntityRef("the agency", "organization"), HERALD),
              places=(TARTU,)),
    ]
    trails, _ = build_trails(claims, [a1, a2])
    sank = _by_claim(trails)["n1:1"]
    assert sank.denials == ("n2:1",) and "n2:2" in sank.claim_ids
    assert len(trails) == 1


def test_one_article_restating_its_event_on_the_same_day_is_one_trail() -> None:
    a1 = article("r1", "bha.example", "2024-05-08")
    claims = [
        claim(a1, 1, SANK, EntityRef("local sources", "anonymous"), channel=HERALD, places=(TARTU,),
              event="2024-05-07"),
        claim(a1, 2, "the ferry went down on Tuesday night off the harbour, 40 people on board", HERALD,
              event="2024-05-07"),
        # Another event the same article recalls: another day, so another trail.
        claim(a1, 3, "a Ferry Line boat ran aground near Tartu in March with 40 passengers aboard", HERALD,
              places=(TARTU,), event="2024-03-02"),
    ]
    trails, _ = build_trails(claims, [a1])
    by = _by_claim(trails)
    assert by["r1:1"].id == by["r1:2"].id != by["r1:3"].id


def test_an_unnamed_source_is_no_empty_link_in_the_verdict() -> None:
    a = article("e1", "plain-view.example", "2024-05-09")
    nobody = EntityRef("", "unknown")
    trails, _ = build_trails([claim(a, 1, SANK, nobody)], [a])
    verdict = trails[0].verdict
    assert "← )" not in verdict and "1 origin (plain-view.example)" in verdict, verdict


def test_an_accusation_is_summarised_as_a_headline() -> None:
    """"accused the port authority of a cover-up" keeps "the port authority of a cover-up" as its
    content; the trail's summary puts the cue's participle back between accused and charge."""
    a = article("f1", "plain-view.example", "2024-05-10")
    b = article("f2", "harbour-times.example", "2024-05-11")
    rows = [claim(a, 1, "the port authority of a cover-up over the crane collapse", MINISTRY,
                  stance="accuse", cue="has accused"),
            claim(b, 1, "the port authority of a cover-up over the crane collapse", MINISTRY,
                  stance="accuse", cue="accused")]
    trails, _ = build_trails(rows, [a, b])
    assert trails[0].summary == "The port authority accused of a cover-up over the crane collapse"


def test_only_an_accused_and_a_charge_become_a_headline() -> None:
    from claimgraph.link.features import charge_headline

    a = article("f3", "plain-view.example", "2024-05-10")
    said = claim(a, 1, "the port authority of a cover-up", MINISTRY, cue="said")
    long_opening = claim(a, 2, "the owners of the three ships that were moored at the quay that night of negligence",
                         MINISTRY, stance="accuse", cue="accused")
    no_participle = claim(a, 3, "the port authority of a cover-up", MINISTRY, stance="accuse", cue="accuses")
    assert charge_headline(said) is None and charge_headline(long_opening) is None
    assert charge_headline(no_participle) is None
    assert charge_headline(claim(a, 4, "the mayor for the delays", MINISTRY, stance="accuse",
                                 cue="blamed")) == "the mayor blamed for the delays"
    assert charge_headline(claim(a, 5, "the Ministry of Works of hiding the report", MINISTRY, stance="accuse",
                                 cue="accused")) == "the Ministry of Works accused of hiding the report"
