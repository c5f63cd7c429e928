"""The verdict line counts a denial once per party that denies, and says how many reports carry it."""

from __future__ import annotations

from claimgraph.link import build_trails
from claimgraph.models import EntityRef
from test_link import A1, A2, A3, A4, AUTHORITY, CORPUS, PORTO, article, claim

DENIAL = "the port authority denied that any crane collapsed at the container terminal in Porto"


def _cranes(extra_articles, extra_claims):
    trails, _ = build_trails([*CORPUS[:4], *extra_claims], [A1, A2, A3, A4, *extra_articles])
    return next(t for t in trails if "a1:1" in t.claim_ids)


def test_one_party_denying_in_two_reports_is_one_denial() -> None:
    a5 = article("a5", "harbour-digest.example", "2024-03-06", reprint_of="a4")
    cranes = _cranes([a5], [claim(a5, 1, DENIAL, AUTHORITY, stance="deny", places=(PORTO,), cue="denied")])
    assert len(cranes.denials) == 2
    assert cranes.verdict.endswith("· 1 denial (2 reports)")


def test_two_parties_denying_are_two_denials() -> None:
    a6 = article("a6", "atlantic-news.example", "2024-03-06")
    crew = EntityRef("the crane operator's union", "organization", entity="pt-crane-union",
                     name="Crane Operators' Union", group="pt-union")
    cranes = _cranes([a6], [claim(a6, 1, "the union denied that any crane collapsed at the container terminal "
                                  "in Porto", crew, stance="deny", places=(PORTO,), cue="denied")])
    assert len(cranes.denials) == 2
    assert cranes.verdict.endswith("· 2 denials")
