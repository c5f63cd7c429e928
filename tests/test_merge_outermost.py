"""``merge.outermost``: the relations an article gives PolNeAR's scorer, where only the outermost of
nested attributions is annotated. Built from character spans alone (no parse, no model); the
sentence is invented:

    Ana Ruiz said the mayor told residents that the bridge would close.
    0   4    9    14  18    24   29        39
"""

from __future__ import annotations

from claimgraph.attribute.merge import outermost
from claimgraph.attribute.rules import Relation

TEXT = "Ana Ruiz said the mayor told residents that the bridge would close."
OUTER = Relation(source=((0, 8),), cue=((9, 13),), content=((14, 66),), origin="model")
INNER = Relation(source=((14, 23),), cue=((24, 28),), content=((39, 66),))


def test_spans_of_the_example() -> None:
    assert TEXT[9:13] == "said" and TEXT[24:28] == "told" and TEXT[14:23] == "the mayor"


def test_a_relation_whose_cue_is_inside_another_content_is_left_out() -> None:
    assert outermost([OUTER, INNER]) == [OUTER]
    assert outermost([INNER, OUTER]) == [OUTER]


def test_relations_side_by_side_are_all_kept_in_order() -> None:
    second = Relation(source=((70, 73),), cue=((74, 78),), content=((79, 95),))
    assert outermost([OUTER, second]) == [OUTER, second]


def test_two_relations_read_inside_each_other_are_both_left_out() -> None:
    # Each content runs over the other's cue: at least one is misread.
    a = Relation(source=(), cue=((0, 4),), content=((5, 40),))
    b = Relation(source=(), cue=((20, 24),), content=((0, 10),))
    assert outermost([a, b]) == []


def test_a_relation_without_a_cue_is_kept() -> None:
    signoff = Relation(source=((0, 8),), cue=(), content=((14, 66),))
    assert outermost([signoff, INNER]) == [signoff]


def test_a_cue_inside_the_second_piece_of_a_split_content_is_inside() -> None:
    # '"The bridge," she said, "will close when the mayor told us it would."'
    outer = Relation(source=((12, 15),), cue=((16, 20),), content=((1, 11), (23, 70)))
    inner = Relation(source=((44, 53),), cue=((54, 58),), content=((62, 70),))
    before = Relation(source=(), cue=((0, 1),), content=((1, 11),))
    assert outermost([before, outer, inner]) == [before, outer]
