"""The pure display helpers: highlighting never loses or invents text, whatever the stored spans say;
the map and the chart handle what real trails contain."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from claimgraph.models import Article, Citation, Trail, TrailOrigin
from claimgraph.web import shapes
from claimgraph.web.demo import demo_records

span = st.tuples(st.integers(-5, 60), st.integers(-5, 60))
layer = st.tuples(span, st.sampled_from(["source", "cue", "content"]), st.integers(1, 5))


@given(st.text(max_size=50), st.lists(layer, max_size=8), st.integers(-3, 55), st.integers(-3, 60))
def test_segments_cover_the_window_exactly(text, layers, lo, hi) -> None:
    pieces = shapes.segments(text, layers, lo, hi)
    hi_c = max(0, min(hi, len(text)))
    lo_c = max(0, min(lo, hi_c))
    assert "".join(p["text"] for p in pieces) == text[lo_c:hi_c]
    assert all(p["text"] for p in pieces)


def test_cue_wins_over_content_where_spans_overlap() -> None:
    pieces = shapes.segments("abcdef", [((0, 6), "content", 1), ((2, 4), "cue", 1)])
    assert [(p["text"], p["cls"]) for p in pieces] == [("ab", "content"), ("cd", "cue"), ("ef", "content")]


def test_sentence_falls_back_to_plain_text_when_offsets_are_stale() -> None:
    articles, claims, _ = demo_records()
    claim = claims[0]
    moved = Article(articles[0].id, articles[0].title, "Another text entirely.")
    assert shapes.sentence_segments(claim, moved) == [{"text": claim.sentence, "cls": "", "n": 0}]


def test_map_of_no_located_place_is_none_and_of_one_place_is_framed() -> None:
    assert shapes.svg_map([{"name": "Nowhere", "lat": None, "lon": None, "claims": 1}]) is None
    m = shapes.svg_map([{"name": "Varna", "lat": 43.2, "lon": 27.9, "claims": 2}])
    assert m is not None and m["dots"][0]["name"] == "Varna"
    assert 0 < m["dots"][0]["x"] < m["width"] and 0 < m["dots"][0]["y"] < m["height"]


def test_chart_gives_cited_sources_without_articles_their_own_rows() -> None:
    a = Article("x1", "T", "text", url="https://www.relay.example/a", outlet_name="Relay Daily",
                published="2026-01-05")
    trail = Trail("t", "s", (), ("x1",), ("relay.example",), "2026-01-05", "2026-01-05",
                  TrailOrigin("local sources", None, None, "2026-01-04", "x1"),
                  citations=(Citation("Relay Daily", "Agency X", "relays"),
                             Citation("Agency X", "local sources", "cites")))
    chart = shapes.chart_data(trail, [a], [])
    assert chart["rows"] == ["local sources (origin)", "Agency X", "Relay Daily"]
    assert len(chart["arrows"]) == 2
    assert [p["y"] for p in chart["points"] if p["origin"]] == ["local sources (origin)"]
