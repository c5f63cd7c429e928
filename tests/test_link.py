"""The link stage on hand-built claims (fictional outlets, people and events)."""

from __future__ import annotations

from claimgraph.link import build_trails, trail_id_for
from claimgraph.link.features import NodeTable
from claimgraph.link.render import timeline, timeline_text, trail_json
from claimgraph.link.text import counts_differ, counts_in, numbers_in
from claimgraph.models import Article, Claim, DateRef, EntityRef, Place

PORTO = Place("Porto", 2735943, "PT")
GDANSK = Place("Gdańsk", 3099434, "PL")

MINISTRY = EntityRef("the Ministry of Works", "government", entity="pt-works", name="Ministry of Works",
                     group="pt-gov", country="PT")
NORD = EntityRef("Agence Nord", "outlet", entity="agencenord", name="Agence Nord", group="nord-media")
POLICE = EntityRef("Gdańsk police", "government", entity="pl-police-gdansk", name="Gdańsk police",
                   group="pl-gov", country="PL")
RESIDENTS = EntityRef("residents", "group")
AUTHORITY = EntityRef("the port authority", "government", entity="pt-port", name="Porto Port Authority",
                      group="pt-gov")


def article(aid: str, outlet: str, published: str, reprint_of: str | None = None) -> Article:
    return Article(id=aid, title=aid, text="", outlet=outlet, published=published, reprint_of=reprint_of)


def claim(art: Article, n: int, content: str, source: EntityRef, *, channel: EntityRef | None = None,
          chain: tuple[EntityRef, ...] = (), stance: str = "assert", places: tuple[Place, ...] = (),
          event: str | None = None, cue: str = "said") -> Claim:
    return Claim(
        id=f"{art.id}:{n}", article_id=art.id, n=n, sentence=content, sentence_span=(0, len(content)),
        source=source, cue=cue, content=content, channel=channel,
        chain=chain or ((source, channel) if channel else (source,)), stance=stance,
        outlet=art.outlet, published=art.published, publisher=art.outlet,
        event_date=DateRef(event, "day") if event else None, places=places,
    )


CRANES = "two cranes collapsed at the container terminal in Porto, injuring 14 dock workers"
A1 = article("a1", "porto-diario.example", "2024-03-04")
A2 = article("a2", "lisbon-wire.example", "2024-03-04", reprint_of="a1")
A3 = article("a3", "atlantic-news.example", "2024-03-05")
A4 = article("a4", "harbour-times.example", "2024-03-05")
B1 = article("b1", "agencenord.example", "2024-03-06")
B2 = article("b2", "baltic-courier.example", "2024-03-07")
B3 = article("b3", "gazeta-morska.example", "2024-03-07", reprint_of="b2")
C1 = article("c1", "baltic-courier.example", "2024-03-20")

CORPUS = [
    # Trail "cranes": the ministry, a reprint, a relay, and the port authority's denial.
    claim(A1, 1, CRANES, MINISTRY, places=(PORTO,), event="2024-03-03"),
    claim(A2, 1, CRANES, MINISTRY, places=(PORTO,), event="2024-03-03"),
    claim(A3, 1, "14 dock workers were injured when two cranes collapsed at Porto's container terminal",
          MINISTRY, places=(PORTO,), event="2024-03-03", cue="announced"),
    claim(A4, 1, "the port authority denied that any crane collapsed at the container terminal in Porto",
          AUTHORITY, stance="deny", places=(PORTO,), cue="denied"),
    # Trail "arrests": residents via Agence Nord (the chain), relayed and reprinted.
    claim(B1, 1, "police arrested 20 protesters outside the Gdańsk shipyard on Tuesday night", RESIDENTS,
          channel=NORD, places=(GDANSK,), event="2024-03-05", cue="told"),
    claim(B2, 1, "20 protesters were arrested by police outside the Gdańsk shipyard on Tuesday",
          RESIDENTS, chain=(RESIDENTS, NORD), places=(GDANSK,), event="2024-03-05", cue="reported"),
    claim(B3, 1, "20 protesters were arrested by police outside the Gdańsk shipyard on Tuesday",
          RESIDENTS, chain=(RESIDENTS, NORD), places=(GDANSK,), event="2024-03-05", cue="reported"),
    # Same actors and place, another event: 47 arrests two weeks later.
    claim(C1, 1, "police arrested 47 protesters outside the Gdańsk shipyard on Monday", POLICE,
          places=(GDANSK,), event="2024-03-18"),
]
ARTICLES = [A1, A2, A3, A4, B1, B2, B3, C1]


def _by_claim(trails):
    return {c: t for t in trails for c in (*t.claim_ids, *t.denials)}


def test_two_trails_with_reprints() -> None:
    trails, deleted = build_trails(CORPUS, ARTICLES)
    assert deleted == []
    by = _by_claim(trails)
    cranes, arrests = by["a1:1"], by["b1:1"]
    assert cranes.claim_ids == ("a1:1", "a2:1", "a3:1")
    assert cranes.reprints == ("a2",) and arrests.reprints == ("b3",)
    assert ("lisbon-wire.example", "porto-diario.example", "reprints") in {
        (c.src, c.dst, c.kind) for c in cranes.citations}
    assert set(arrests.claim_ids) == {"b1:1", "b2:1", "b3:1"}
    assert cranes.first_seen == "2024-03-04" and cranes.last_seen == "2024-03-05"
    # The outlet carrying the denial is part of the story a reader follows.
    assert cranes.denials == ("a4:1",)
    assert cranes.outlets == ("porto-diario.example", "lisbon-wire.example", "atlantic-news.example",
                              "harbour-times.example")


def test_chain_origin_and_independent_groups() -> None:
    trails, _ = build_trails(CORPUS, ARTICLES)
    arrests = _by_claim(trails)["b2:1"]
    assert arrests.origin is not None
    assert arrests.origin.source == "residents" and arrests.origin.article_id == "b1"
    # Unnamed residents are as independent as the agency that vouches for them: Agence Nord's
    # group, counted once however many outlets relay or reprint them.
    assert arrests.independent_groups == ("nord-media",)
    edges = {(c.src, c.dst, c.kind) for c in arrests.citations}
    assert ("baltic-courier.example", "Agence Nord", "relays") in edges
    assert ("Agence Nord", "residents", "cites") in edges
    assert "1 origin (Agence Nord ← residents)" in arrests.verdict
    assert arrests.verdict.startswith("3 articles · 3 outlets")


def test_denial_attaches_and_never_merges() -> None:
    trails, _ = build_trails(CORPUS, ARTICLES)
    cranes = _by_claim(trails)["a1:1"]
    assert cranes.denials == ("a4:1",)
    # The denying article is listed with the trail (expected.json lists denial articles too); its
    # claim is a denial, never a member.
    assert "a4:1" not in cranes.claim_ids and "a4" in cranes.article_ids
    assert cranes.verdict.endswith("1 denial")
    assert not any("a4:1" in t.claim_ids for t in trails)


def test_same_actors_other_event_is_related_not_merged() -> None:
    trails, _ = build_trails(CORPUS, ARTICLES)
    by = _by_claim(trails)
    march5, march18 = by["b1:1"], by["c1:1"]
    assert march5.id != march18.id
    assert march18.id in march5.related and march5.id in march18.related


def test_incremental_keeps_ids_and_unchanged_trails() -> None:
    first, _ = build_trails(CORPUS[:3], ARTICLES)
    assert [t.id for t in first] == [trail_id_for("a1:1")]
    second, deleted = build_trails(CORPUS, ARTICLES, existing_trails=first)
    assert deleted == []
    by = _by_claim(second)
    assert by["a1:1"].id == first[0].id and by["a4:1"].id == first[0].id
    again, _ = build_trails(iter(CORPUS), {a.id: a for a in ARTICLES}, existing_trails=second)
    assert all(a is b for a, b in zip(again, second, strict=True))  # nothing new: the very same objects
    # Claims that vanished (an article re-attributed) shrink or delete their trails.
    shrunk, deleted = build_trails(CORPUS[4:], ARTICLES, existing_trails=second)
    assert first[0].id in deleted and {t.id for t in shrunk} < {t.id for t in second}


def test_order_of_input_does_not_matter() -> None:
    forward, _ = build_trails(CORPUS, ARTICLES)
    backward, _ = build_trails(list(reversed(CORPUS)), ARTICLES)
    assert {t.id: t.claim_ids for t in forward} == {t.id: t.claim_ids for t in backward}


def test_bad_values_do_not_crash() -> None:
    odd = article("z1", "", "not a date")
    claims = [
        claim(odd, 1, "", EntityRef(""), event="2024-13-45"),
        claim(odd, 2, "!!! ??? 12,000,000", EntityRef("someone", "person"), places=(Place(""),)),
    ]
    trails, _ = build_trails(claims, [odd])
    assert sorted(c for t in trails for c in t.claim_ids) == ["z1:1", "z1:2"]
    assert all(t.first_seen is None for t in trails)


def test_counts_know_what_they_count() -> None:
    assert numbers_in("47 commanders in 2017, twenty more and 1,200 fighters") == {47, 20, 1200}
    twenty, forty_seven = counts_in("over 20 ISIS field commanders"), counts_in("47 commanders of ISIS")
    assert counts_differ(twenty, forty_seven)
    assert not counts_differ(counts_in("three helicopters landed"), counts_in("30 commanders flown out"))
    assert not counts_differ(counts_in("14 killed, 3 children"), counts_in("3 children among 14 killed"))


def test_json_and_timeline() -> None:
    trails, _ = build_trails(CORPUS, ARTICLES)
    cranes = _by_claim(trails)["a1:1"]
    row = trail_json(cranes)
    assert set(row) >= {"id", "summary", "claim_ids", "article_ids", "outlets", "first_seen", "last_seen",
                        "origin", "citations", "reprints", "independent_groups", "denials", "related"}
    assert set(row["origin"]) >= {"source", "entity", "group", "said_on", "article_id"}
    assert row["citations"][0].keys() == {"from", "to", "kind"}
    claims = {c.id: c for c in CORPUS}
    text = timeline_text(cranes, timeline(cranes, claims.get, lambda a: "a1" if a == "a2" else None))
    assert "DENIES" in text and "(reprint of a1)" in text and cranes.verdict in text


def test_a_claim_with_no_source_words_is_its_publishers_in_the_timeline() -> None:
    own = claim(article("e1", "porto-diario.example", "2024-03-04"), 1, CRANES, EntityRef(""),
                places=(PORTO,), event="2024-03-03", cue="reported")
    trails, _ = build_trails([*CORPUS[:3], own], ARTICLES)
    cranes = _by_claim(trails)["e1:1"]
    row = next(r for r in timeline(cranes, {c.id: c for c in (*CORPUS, own)}.get) if r.claim_id == "e1:1")
    assert row.chain == "porto-diario.example"


def test_a_damaged_claim_is_reported_not_fatal() -> None:
    import dataclasses

    import pytest

    from claimgraph.errors import InputError

    broken = dataclasses.replace(CORPUS[0], id="a1:9", n=9, content=None)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="a1:9"):
        build_trails([broken, *CORPUS], ARTICLES)
    errors: list[InputError] = []
    trails, _ = build_trails([broken, *CORPUS], ARTICLES, on_error=errors.append)
    assert len(errors) == 1 and "re-attribute" in str(errors[0])
    assert sum(len(t.claim_ids) + len(t.denials) for t in trails) == len(CORPUS)


def test_pronoun_sources_are_not_origins() -> None:
    it = EntityRef("It", "unknown")
    relay = claim(article("p1", "porto-diario.example", "2024-03-05"), 1, CRANES, it, places=(PORTO,),
                  event="2024-03-03")
    trails, _ = build_trails([*CORPUS[:3], relay], ARTICLES)
    cranes = _by_claim(trails)["p1:1"]
    assert cranes.independent_groups == ("pt-gov",) and "1 origin (Ministry of Works)" in cranes.verdict


def test_a_claim_that_joins_two_trails_merges_them_into_the_older() -> None:
    landing = claim(article("m1", "sahel-post.example", "2024-04-02"), 1,
                    "three helicopters landed at the Tagaza wells east of Porto before dawn", RESIDENTS,
                    places=(PORTO,), event="2024-04-01")
    airlift = claim(article("m2", "coast-wire.example", "2024-04-02"), 1,
                    "the coalition flew 30 commanders out of Porto to its air base", MINISTRY,
                    places=(PORTO,), event="2024-04-01")
    both = claim(article("m3", "daily-ledger.example", "2024-04-03"), 1,
                 "three helicopters landed at the Tagaza wells east of Porto before dawn and the coalition "
                 "flew 30 commanders out of Porto to its air base", MINISTRY, places=(PORTO,), event="2024-04-01")
    first, _ = build_trails([landing, airlift])
    assert len(first) == 2
    merged, deleted = build_trails([landing, airlift, both], existing_trails=first)
    assert len(merged) == 1 and set(merged[0].claim_ids) == {"m1:1", "m2:1", "m3:1"}
    older = trail_id_for("m1:1")  # m1 sorts first on the same day
    assert merged[0].id == older and deleted == [trail_id_for("m2:1")]


# --- a monitor's own statement, its relays, an appeal and a denial (the Illéla pattern) ----------

MONITOR = EntityRef("the Kestrel Monitor", "organization", entity="kestrel-monitor", name="Kestrel Monitor",
                    group="kestrel")
NURSES = EntityRef("nurses at the Porto clinic", "group")
NURSES_RELAYED = EntityRef("nurses at the town's clinic", "group")
ARMY = EntityRef("the army", "government", entity="pt-army", name="Army", group="pt-gov")
S1 = article("s1", "kestrel-monitor.example", "2024-03-03")
R1 = article("r1", "lisbon-wire.example", "2024-03-03")
R2 = article("r2", "harbour-times.example", "2024-03-04")
D1 = article("d1", "atlantic-news.example", "2024-03-05")
SHELLING = [
    # The monitor's statement names itself as the receiver ("has received reports from nurses").
    claim(S1, 1, "a shell hit the crowded bus station at around 10:15 on Sunday", NURSES, channel=MONITOR,
          event="2024-03-03", cue="received reports"),
    # An aside of the same statement, worded closer to the denial than the story is.
    claim(S1, 2, "every armed force to say whether its guns had fired on the bus station", MONITOR,
          cue="calls on"),
    claim(R1, 1, "a shell hit the bus station in Porto on Sunday, killing at least 9 people", NURSES_RELAYED,
          chain=(NURSES_RELAYED, MONITOR), places=(PORTO,)),
    claim(R2, 1, "at least 9 people were killed when a shell hit the Porto bus station", MONITOR,
          places=(PORTO,)),
    claim(D1, 1, "that none of its guns had fired on the bus station in Porto", ARMY, places=(PORTO,),
          stance="deny", cue="denied"),
]


def test_clock_times_are_not_counts() -> None:
    assert counts_in("a shell hit the station at around 10:15 on Sunday") == frozenset()
    assert numbers_in("9 killed at 07:05:30, 12 at 23:59") == {9, 12}


def test_a_monitor_naming_itself_shares_the_actor_of_its_relays() -> None:
    trails, _ = build_trails(SHELLING, [S1, R1, R2, D1])
    by = _by_claim(trails)
    assert by["s1:1"].id == by["r1:1"].id == by["r2:1"].id


def test_a_denial_answers_the_story_not_a_closer_worded_aside() -> None:
    """The denial's nearest claim is the aside (same words: "guns had fired on the bus station"),
    but the story is where its place is, is carried by three articles and holds most of its words:
    read as a whole, the story wins."""
    trails, _ = build_trails(SHELLING, [S1, R1, R2, D1])
    by = _by_claim(trails)
    story = by["r1:1"]
    assert story.denials == ("d1:1",)
    assert by["s1:2"].id != story.id and by["s1:2"].denials == ()


def test_a_lonely_denial_answers_the_story_of_its_article_that_holds_its_words() -> None:
    """"The army has denied firing any shell near the station", after an aside of the mayor's:
    close to no claim by itself, it answers its article's story (which speaks of the shell and the
    station), not the nearest claim before it."""
    mayor = EntityRef("Mayor Rui Costa", "person", entity="pt-mayor-costa", name="Rui Costa", group="porto-city")
    x1 = article("x1", "porto-tv.example", "2024-03-04")
    brief = [
        claim(x1, 1, "a shell hit the bus station in Porto on Sunday, killing at least 9 people", MONITOR,
              places=(PORTO,)),
        claim(x1, 2, "the city council would ask the courts to open an inquiry", mayor),
        claim(x1, 3, "firing any shell near the station", ARMY, stance="deny", cue="has denied"),
    ]
    trails, _ = build_trails([*SHELLING, *brief], [S1, R1, R2, D1, x1])
    by = _by_claim(trails)
    assert "x1:3" in by["r1:1"].denials
    assert by["x1:2"].denials == ()


def test_one_staff_worded_two_ways_through_one_channel_is_one_origin() -> None:
    """"Medical workers at the town's clinic" (unresolved) and "medical workers at the Porto
    clinic" (the registry's clinic), both through the monitor, are one origin; a doctor the clinic
    employs, named and quoted by another outlet, is a second one. Groups stay those of the registry."""
    clinic_staff = EntityRef("medical workers at the Porto clinic", "government", entity="pt-clinic",
                             name="Porto clinic", group="pt-clinic")
    doctor = EntityRef("Dr. Ana Reis", "person", entity="pt-dr-reis", name="Ana Reis", group="pt-clinic")
    w1, w2, w3 = (article(f"w{k}", f"wire{k}.example", "2024-03-04") for k in (1, 2, 3))
    text = "a shell hit the bus station in Porto on Sunday, killing at least 9 people"
    claims = [
        claim(w1, 1, text, EntityRef("medical workers at the town's clinic", "group"),
              chain=(EntityRef("medical workers at the town's clinic", "group"), MONITOR), places=(PORTO,)),
        claim(w2, 1, text, clinic_staff, chain=(clinic_staff, MONITOR), places=(PORTO,)),
    ]
    trails, _ = build_trails(claims, [w1, w2])
    assert len(trails) == 1 and "1 origin (" in trails[0].verdict
    named = claim(w3, 1, text, doctor, places=(PORTO,))
    trails, _ = build_trails([*claims, named], [w1, w2, w3])
    assert len(trails) == 1 and "2 origins (" in trails[0].verdict


def test_a_pronoun_tied_to_a_name_is_that_source() -> None:
    nodes = NodeTable()
    sohr = nodes.ref(EntityRef("the Syrian Observatory", "monitor/NGO", entity="sohr",
                               name="Syrian Observatory for Human Rights"))
    rahman = nodes.ref(EntityRef("Rami Abdel Rahman", "person"))
    # "It said" after the Observatory, "he said" after its director: their nodes, not a "he".
    assert nodes.ref(EntityRef("It", "monitor/NGO", name="Syrian Observatory for Human Rights")) == sohr
    assert nodes.ref(EntityRef("he", "person", name="Rami Abdel Rahman")) == rahman
    other = nodes.ref(EntityRef("she", "person", name="Hala Haddad"))
    assert other not in (sohr, rahman) and not nodes.is_pronoun(other)
    assert nodes.is_pronoun(nodes.ref(EntityRef("he", "person")))


def test_a_summary_leaves_out_the_wire_dateline_and_the_complementiser() -> None:
    from claimgraph.link.trails import shorten

    assert shorten("NIAMEY, Nov 9 (Meridian Wire) - A drone strike hit the market") == "A drone strike hit the market"
    assert shorten("that the convoy turned back") == "The convoy turned back"
    assert shorten("Officials in Tahoua, Niger, said the road was open") == "Officials in Tahoua, Niger, said the road was open"
