"""Incidents and article cohesion: several outlets' many-claim reports of one airstrike gather in
one trail; another town's strike, the same town's strike a week later and an appeal stay out."""

from __future__ import annotations

from dataclasses import replace

from claimgraph.link import build_trails
from claimgraph.link.incidents import kinds_of, km, near, spot
from claimgraph.link.text import content_words, counts_differ, counts_in
from claimgraph.models import Article, Claim, DateRef, EntityRef, Place

# Fictional towns with real-looking coordinates: Varn and its province 12 km apart, Ossel 110 km away.
VARN = Place("Varn", 900101, "XX", 35.40, 36.60)
VARN_PROVINCE = Place("Varn province", None, "XX", 35.50, 36.55)
OSSEL = Place("Ossel", 900102, "XX", 36.20, 37.20)

MONITOR = EntityRef("the Lantern Monitor", "organization", entity="lantern", name="Lantern Monitor", group="lantern")
REBELS = EntityRef("a rebel spokesman", "anonymous")
MEDIC = EntityRef("a doctor at the Varn clinic", "person")
ARMY = EntityRef("the army", "government", entity="xx-army", name="Army", group="xx-gov")
MINISTER = EntityRef("the foreign minister", "government", entity="yy-fm", name="Foreign Minister", group="yy-gov")


def article(aid: str, outlet: str, published: str) -> Article:
    return Article(id=aid, title=aid, text="", outlet=outlet, published=published)


def claim(art: Article, n: int, content: str, source: EntityRef, *, places: tuple[Place, ...] = (),
          event: str | None = None, said: str | None = None) -> Claim:
    return Claim(
        id=f"{art.id}:{n}", article_id=art.id, n=n, sentence=content, sentence_span=(0, len(content)),
        source=source, cue="said", content=content, outlet=art.outlet, published=art.published,
        publisher=art.outlet, event_date=DateRef(event, "day") if event else None,
        said_on=DateRef(said, "day") if said else None, places=places,
    )


P1 = article("p1", "river-post.example", "2024-05-07")
P2 = article("p2", "plain-wire.example", "2024-05-08")
P3 = article("p3", "hill-times.example", "2024-05-07")
P4 = article("p4", "river-post.example", "2024-05-15")

STRIKE = [
    # One outlet: the toll, the blame, a medic, the army's version.
    claim(P1, 1, "warplanes struck the vegetable market in Varn on Tuesday, killing 20 people", MONITOR,
          places=(VARN,), event="2024-05-07"),
    claim(P1, 2, "the raid was carried out by government jets", REBELS),
    claim(P1, 3, "the clinic had received the bodies of 20 people and dozens of wounded", MEDIC),
    claim(P1, 4, "every armed party to allow an inquiry", MONITOR),
    # Another outlet, the next day, with a higher toll and other words.
    claim(P2, 1, "at least 23 civilians died when bombs fell on a crowded market in Varn province", MONITOR,
          places=(VARN_PROVINCE,)),
    claim(P2, 2, "government aircraft had bombed the market", REBELS),
    claim(P2, 3, "the wounded were taken to the Varn clinic, which is running out of blood", MEDIC),
    # Same day, another town: another incident.
    claim(P3, 1, "shelling killed 6 people in a market in Ossel on Tuesday", MONITOR, places=(OSSEL,),
          event="2024-05-07"),
    # The same town a week later: another strike.
    claim(P4, 1, "warplanes struck the vegetable market in Varn again, killing 9 people", MONITOR,
          places=(VARN,), event="2024-05-14"),
    claim(P4, 2, "the raid was carried out by government jets", REBELS),
]


def _by_claim(trails):
    return {c: t for t in trails for c in (*t.claim_ids, *t.denials)}


def test_kinds_spots_and_distances() -> None:
    assert kinds_of(content_words("warplanes struck")) and kinds_of(content_words("20 were killed"))
    assert not kinds_of(content_words("the market reopened after an inquiry"))
    varn, province, ossel = (spot(p.lat, p.lon) for p in (VARN, VARN_PROVINCE, OSSEL))
    assert varn and province and ossel and spot(None, 36.0) is None
    assert 10 < km(varn, province) < 15 and km(varn, ossel) > 100
    assert near([varn], [province]) and not near([varn], [ossel])


def test_tolls_of_one_incident_may_differ_by_a_quarter() -> None:
    twenty, twenty_three, forty_seven = counts_in("20 killed"), counts_in("23 killed"), counts_in("47 killed")
    assert counts_differ(twenty, twenty_three)  # without the incident: two counts
    assert not counts_differ(twenty, twenty_three, 0.25)
    assert counts_differ(twenty, forty_seven, 0.25)
    # "including" opens a part of what was counted, not the thing itself.
    assert counts_in("killed 126, including 60 children") == counts_in("killed 126") | counts_in("60 children")


def test_two_outlets_reports_of_one_strike_gather_in_one_trail() -> None:
    trails, _ = build_trails(STRIKE, [P1, P2, P3, P4])
    by = _by_claim(trails)
    strike = by["p1:1"]
    assert {"p1:1", "p1:2", "p1:3", "p2:1", "p2:2", "p2:3"} <= set(strike.claim_ids)
    assert set(strike.article_ids) == {"p1", "p2"}


def test_another_town_another_week_and_an_appeal_stay_out() -> None:
    trails, _ = build_trails(STRIKE, [P1, P2, P3, P4])
    by = _by_claim(trails)
    strike = by["p1:1"]
    assert by["p3:1"].id != strike.id  # Ossel, 110 km away, the same day
    assert by["p4:1"].id != strike.id and by["p4:2"].id != strike.id  # Varn, a week later
    assert by["p1:4"].id != strike.id  # an appeal says nothing of the strike itself


def test_background_dated_elsewhere_stays_out() -> None:
    """A report that recounts an earlier strike ("said on April 2") keeps it apart."""
    background = claim(P1, 5, "warplanes had also struck Varn in April, killing 4", MONITOR,
                       places=(VARN,), said="2024-04-02")
    trails, _ = build_trails([*STRIKE, background], [P1, P2, P3, P4])
    by = _by_claim(trails)
    assert by["p1:5"].id != by["p1:1"].id


def test_a_reaction_far_away_joins_no_incident() -> None:
    """An article with no kind of event (a minister's statement) does not pull its claims together."""
    m1 = article("m1", "capital-news.example", "2024-05-08")
    reaction = [
        claim(m1, 1, "the government would recall its ambassador for consultations", MINISTER),
        claim(m1, 2, "talks on the trade agreement would resume in June", MINISTER),
    ]
    trails, _ = build_trails([*STRIKE, *reaction], [P1, P2, P3, P4, m1])
    by = _by_claim(trails)
    assert by["m1:1"].id != by["m1:2"].id
    assert by["m1:1"].id != by["p1:1"].id


def test_daily_shelling_of_one_town_does_not_chain_into_one_trail() -> None:
    """Reports from one town on consecutive days, each sharing a landmark with the day before: an
    incident is anchored at its trail's first report, so the third day does not join the first
    through the second."""
    texts = ["mortar shells hit the Saray market in Varn, killing three",
             "shells hit the Saray mosque and the Omari school in Varn, wounding two",
             "rockets fell near the Omari school and the Hadi bakery in Varn, killing four",
             "mortars struck the Hadi bakery and the Nour clinic in Varn, wounding five"]
    days = [article(f"d{k}", f"daily{k}.example", f"2024-06-0{k + 1}") for k in range(4)]
    claims = [claim(a, 1, text, MONITOR, places=(VARN,)) for a, text in zip(days, texts, strict=True)]
    trails, _ = build_trails(claims, days)
    for t in trails:
        published = sorted(int(a[1:]) for a in t.article_ids)
        assert published[-1] - published[0] <= 1, t.article_ids


def test_a_place_only_the_article_names_locates_its_claims_without_telling_for_them() -> None:
    """Resolve lends the title's place to claims when none names one (text ARTICLE_PLACE): it is
    the article's area, so the report meets the other, and an appeal still tells no incident."""
    from dataclasses import replace

    from claimgraph.models import ARTICLE_PLACE

    lent = replace(VARN_PROVINCE, text=ARTICLE_PLACE)
    p2 = [replace(c, places=(lent,)) for c in STRIKE if c.article_id == "p2"]
    p2[0] = replace(p2[0], content="at least 23 civilians died when bombs fell on a crowded market")
    appeal = replace(STRIKE[3], places=(lent,))
    rest = [c for c in STRIKE if c.article_id != "p2" and c.id != appeal.id]
    trails, _ = build_trails([*rest, appeal, *p2], [P1, P2, P3, P4])
    by = _by_claim(trails)
    assert set(by["p1:1"].article_ids) == {"p1", "p2"}
    assert by["p1:4"].id != by["p1:1"].id


def test_headlines_join_reports_of_one_incident_whose_claims_share_no_words() -> None:
    """Two outlets' reports of one blast in Varn quote different voices in different words; their
    headlines name the same blast. A report of the same day and area under another headline (a
    clash at a checkpoint) stays apart, and so would these two if they were a week apart."""
    h1 = Article(id="h1", title="Car bomb blast kills 7 at Varn bus station", text="",
                 outlet="river-post.example", published="2024-06-02")
    h2 = Article(id="h2", title="Seven dead as car bomb rips through Varn bus station", text="",
                 outlet="plain-wire.example", published="2024-06-02")
    h3 = Article(id="h3", title="Gunmen and police exchange fire at Varn checkpoint", text="",
                 outlet="hill-times.example", published="2024-06-02")
    claims = [
        claim(h1, 1, "a parked vehicle exploded as passengers boarded the morning coaches", MONITOR,
              places=(VARN,)),
        claim(h2, 1, "the explosion shattered windows across the square and set buses alight", MEDIC,
              places=(VARN_PROVINCE,)),
        claim(h3, 1, "two officers were wounded in an exchange of fire with unknown gunmen", ARMY,
              places=(VARN,)),
    ]
    by = _by_claim(build_trails(claims, [h1, h2, h3])[0])
    assert by["h1:1"].id == by["h2:1"].id
    assert by["h3:1"].id != by["h1:1"].id
    later = Article(id="h2", title=h2.title, text="", outlet=h2.outlet, published="2024-06-09")
    moved = [claims[0], replace(claims[1], published="2024-06-09"), claims[2]]
    by = _by_claim(build_trails(moved, [h1, later, h3])[0])
    assert by["h1:1"].id != by["h2:1"].id
    # Without their headlines the two claims have nothing to go on.
    untitled = [Article(id=a.id, title="", text="", outlet=a.outlet, published=a.published) for a in (h1, h2, h3)]
    by = _by_claim(build_trails(claims, untitled)[0])
    assert by["h1:1"].id != by["h2:1"].id
