"""Speech verbs the rules must not read as an attribution because nothing was said: verbs of denial
and accusation in another sense ("denied Carter a photograph" withholds, "rejected those days"
refuses, "charged the campaign for rent" bills) and speech under a modal or as an infinitive ("you
might say", "tried to say"). Hand-built Docs (``word|POS|TAG|lemma|dep|head``, see docspec),
invented sentences, no model loaded."""

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


def test_speech_under_a_modal_or_as_an_infinitive_was_not_made() -> None:
    # You might say that the plan failed.  /  The mayor tried to say that the plan failed.
    assert cues(
        "You|PRON|PRP|you|nsubj|2 might|AUX|MD|might|aux|2 say|VERB|VB|say|ROOT|2 "
        "that|SCONJ|IN|that|mark|6 the|DET|DT|the|det|5 plan|NOUN|NN|plan|nsubj|6 "
        "failed|VERB|VBD|fail|ccomp|2 .|PUNCT|.|.|punct|2"
    ) == []
    assert cues(
        "The|DET|DT|the|det|1 mayor|NOUN|NN|mayor|nsubj|2 tried|VERB|VBD|try|ROOT|2 "
        "to|PART|TO|to|aux|4 say|VERB|VB|say|xcomp|2 that|SCONJ|IN|that|mark|8 "
        "the|DET|DT|the|det|7 plan|NOUN|NN|plan|nsubj|8 failed|VERB|VBD|fail|ccomp|4 .|PUNCT|.|.|punct|2"
    ) == []


def test_went_on_to_say_and_a_participle_after_said_are_said() -> None:
    # The mayor went on to say that the plan failed.
    assert cues(
        "The|DET|DT|the|det|1 mayor|NOUN|NN|mayor|nsubj|2 went|VERB|VBD|go|ROOT|2 on|ADP|RP|on|prt|2 "
        "to|PART|TO|to|aux|5 say|VERB|VB|say|xcomp|2 that|SCONJ|IN|that|mark|9 "
        "the|DET|DT|the|det|8 plan|NOUN|NN|plan|nsubj|9 failed|VERB|VBD|fail|ccomp|5 .|PUNCT|.|.|punct|2"
    ) == ["say"]
    # Two died the group said adding that the road was closed.  (Commas stripped, as scraped.)
    assert "adding" in cues(
        "Two|NUM|CD|two|nsubj|1 died|VERB|VBD|die|ccomp|4 the|DET|DT|the|det|3 group|NOUN|NN|group|nsubj|4 "
        "said|VERB|VBD|say|ROOT|4 adding|VERB|VBG|add|xcomp|4 that|SCONJ|IN|that|mark|10 "
        "the|DET|DT|the|det|8 road|NOUN|NN|road|nsubjpass|10 was|AUX|VBD|be|auxpass|10 "
        "closed|VERB|VBN|close|ccomp|5 .|PUNCT|.|.|punct|4"
    )
