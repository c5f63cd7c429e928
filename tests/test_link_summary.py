"""A trail's one-line summary: the most central wording that names what happened by itself."""

from __future__ import annotations

from claimgraph.link import build_trails
from test_link import CRANES, MINISTRY, PORTO, article, claim


def test_summary_skips_a_wording_that_opens_with_a_pronoun() -> None:
    first = article("p1", "porto-diario.example", "2024-03-04")
    second = article("p2", "atlantic-news.example", "2024-03-04")
    pronoun = "it collapsed at the container terminal in Porto with a second crane, injuring 14 dock workers"
    trails, _ = build_trails(
        [claim(first, 1, pronoun, MINISTRY, places=(PORTO,), event="2024-03-03"),
         claim(second, 1, CRANES, MINISTRY, places=(PORTO,), event="2024-03-03")],
        [first, second],
    )
    assert len(trails) == 1 and len(trails[0].claim_ids) == 2
    assert trails[0].summary.startswith("Two cranes collapsed")


def test_summary_keeps_a_pronoun_wording_when_it_is_all_there_is() -> None:
    only = article("p3", "porto-diario.example", "2024-03-04")
    trails, _ = build_trails([claim(only, 1, "it was closed for the night", MINISTRY)], [only])
    assert trails[0].summary == "It was closed for the night"
