"""Two coordinated sayings ("X said A and urged B") become sibling relations: the first content
stops before "and", and a second source that cannot speak gives way to the first's."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from claimgraph.attribute.coordination import can_speak, split_coordinated  # noqa: E402
from claimgraph.attribute.rules import Relation, char_spans  # noqa: E402
from docspec import make_doc  # noqa: E402

# "The ministry said the storm damaged the bridge and urged drivers to wait ." as the small parser
# reads it: "urged" hangs on "damaged", inside the first content.
STORM = make_doc(
    "The|DET|DT|the|det|1 ministry|NOUN|NN|ministry|nsubj|2 said|VERB|VBD|say|ROOT|2 "
    "the|DET|DT|the|det|4 storm|NOUN|NN|storm|nsubj|5 damaged|VERB|VBD|damage|ccomp|2 "
    "the|DET|DT|the|det|7 bridge|NOUN|NN|bridge|dobj|5 and|CCONJ|CC|and|cc|5 "
    "urged|VERB|VBD|urge|conj|5 drivers|NOUN|NNS|driver|dobj|9 to|PART|TO|to|aux|12 "
    "wait|VERB|VB|wait|xcomp|9 .|PUNCT|.|.|punct|2"
)
# "Villagers said raiders burned the mill and demanded money ." with the same shape, but the
# raiders can speak: the demand stays theirs.
RAID = make_doc(
    "Villagers|NOUN|NNS|villager|nsubj|1 said|VERB|VBD|say|ROOT|1 raiders|NOUN|NNS|raider|nsubj|3 "
    "burned|VERB|VBD|burn|ccomp|1 the|DET|DT|the|det|5 mill|NOUN|NN|mill|dobj|3 and|CCONJ|CC|and|cc|3 "
    "demanded|VERB|VBD|demand|conj|3 money|NOUN|NN|money|dobj|7 .|PUNCT|.|.|punct|1"
)


def rel(doc, source, cue, content) -> Relation:
    spans = [char_spans(doc[a:b]) if b > a else () for a, b in (source, cue, content)]
    return Relation(spans[0], spans[1], spans[2], 0.9, "model")


def text(doc, spans) -> str:
    return " ".join(doc.text[s:e] for s, e in spans)


def test_a_second_saying_by_the_same_party_ends_the_first_content() -> None:
    said = rel(STORM, (0, 2), (2, 3), (3, 13))
    urged = rel(STORM, (0, 2), (9, 10), (10, 13))
    first, second = split_coordinated(STORM, [said, urged])
    assert text(STORM, first.content) == "the storm damaged the bridge"
    assert second == urged


def test_a_subject_that_cannot_speak_gives_way_to_the_first_source() -> None:
    said = rel(STORM, (0, 2), (2, 3), (3, 13))
    urged = rel(STORM, (3, 5), (9, 10), (10, 13))  # "the storm" read as the one who urged
    first, second = split_coordinated(STORM, [said, urged])
    assert text(STORM, second.source) == "The ministry"
    assert text(STORM, first.content) == "the storm damaged the bridge"


def test_a_subject_that_can_speak_keeps_its_words() -> None:
    said = rel(RAID, (0, 1), (1, 2), (2, 9))
    demanded = rel(RAID, (2, 3), (7, 8), (8, 9))
    assert split_coordinated(RAID, [said, demanded]) == [said, demanded]


def test_who_can_speak() -> None:
    assert can_speak(RAID[0])  # "villager": the lexicon
    assert can_speak(RAID[2])  # "raider": an agent's ending
    assert can_speak(STORM[1])  # "ministry": a government body
    assert not can_speak(STORM[4]) and not can_speak(STORM[7])  # a storm, a bridge


def test_the_claims_keep_the_first_content_whole() -> None:
    # cut=False (the claims): the second source is still mended, the first content left as read
    said = rel(STORM, (0, 2), (2, 3), (3, 13))
    urged = rel(STORM, (3, 5), (9, 10), (10, 13))
    first, second = split_coordinated(STORM, [said, urged], cut=False)
    assert first == said and text(STORM, second.source) == "The ministry"


def test_the_cut_can_depend_on_the_second_relation() -> None:
    said = rel(STORM, (0, 2), (2, 3), (3, 13))
    urged = rel(STORM, (0, 2), (9, 10), (10, 13))
    assert split_coordinated(STORM, [said, urged], cut=lambda second: False)[0] == said
    first, _ = split_coordinated(STORM, [said, urged], cut=lambda second: second == urged)
    assert text(STORM, first.content) == "the storm damaged the bridge"
