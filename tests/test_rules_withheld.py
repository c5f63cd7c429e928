"""Verbs of denial and accusation that, in another sense, say nothing: "denied Carter a photograph"
withholds, "rejected those days" refuses, "charged the campaign for rent" bills. Hand-built Docs
(``word|POS|TAG|lemma|dep|head``, see docspec), invented sentences, no model loaded."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from claimgraph.attribute.rules import find_relations  # noqa: E402
from docspec import make_doc  # noqa: E402


def cues(spec: str) -> list[str]:
    doc = make_doc(spec)
    return [doc.text[s:e] for rel in find_relations(doc) for s, e in rel.cue]


def test_deny_with_someone_it_is_kept_from_withholds() -> None:
    # The council denied Mira a permit for the stall.
    assert cues(
        "The|DET|DT|the|det|1 council|NOUN|NN|council|nsubj|2 denied|VERB|VBD|deny|ROOT|2 "
        "Mira|PROPN|NNP|Mira|dative|2 a|DET|DT|a|det|5 permit|NOUN|NN|permit|dobj|2 "
        "for|ADP|IN|for|prep|5 the|DET|DT|the|det|8 stall|NOUN|NN|stall|pobj|6 .|PUNCT|.|.|punct|2"
    ) == []


def test_deny_with_a_claim_as_its_object_is_a_denial() -> None:
    # The council denied the rumours about the market.
    assert cues(
        "The|DET|DT|the|det|1 council|NOUN|NN|council|nsubj|2 denied|VERB|VBD|deny|ROOT|2 "
        "the|DET|DT|the|det|4 rumours|NOUN|NNS|rumour|dobj|2 about|ADP|IN|about|prep|4 "
        "the|DET|DT|the|det|7 market|NOUN|NN|market|pobj|5 .|PUNCT|.|.|punct|2"
    ) == ["denied"]


def test_rejecting_what_is_no_claim_is_an_act() -> None:
    # The mayor rejected the two dates for the vote.
    assert cues(
        "The|DET|DT|the|det|1 mayor|NOUN|NN|mayor|nsubj|2 rejected|VERB|VBD|reject|ROOT|2 "
        "the|DET|DT|the|det|5 two|NUM|CD|two|nummod|5 dates|NOUN|NNS|date|dobj|2 "
        "for|ADP|IN|for|prep|5 the|DET|DT|the|det|8 vote|NOUN|NN|vote|pobj|6 .|PUNCT|.|.|punct|2"
    ) == []


def test_rejecting_an_account_is_a_denial() -> None:
    # The mayor rejected the account of the meeting.
    assert cues(
        "The|DET|DT|the|det|1 mayor|NOUN|NN|mayor|nsubj|2 rejected|VERB|VBD|reject|ROOT|2 "
        "the|DET|DT|the|det|4 account|NOUN|NN|account|dobj|2 of|ADP|IN|of|prep|4 "
        "the|DET|DT|the|det|7 meeting|NOUN|NN|meeting|pobj|5 .|PUNCT|.|.|punct|2"
    ) == ["rejected"]


def test_charging_for_something_bills_and_blaming_for_it_accuses() -> None:
    # The firm charged the club for the lights.  /  The firm blamed the club for the fire.
    def spec(verb: str, lemma: str, noun: str) -> str:
        return (f"The|DET|DT|the|det|1 firm|NOUN|NN|firm|nsubj|2 {verb}|VERB|VBD|{lemma}|ROOT|2 "
                "the|DET|DT|the|det|4 club|NOUN|NN|club|dobj|2 for|ADP|IN|for|prep|2 "
                f"the|DET|DT|the|det|7 {noun}|NOUN|NNS|{noun}|pobj|5 .|PUNCT|.|.|punct|2")

    assert cues(spec("charged", "charge", "lights")) == []
    assert cues(spec("blamed", "blame", "fire")) == ["blamed"]
