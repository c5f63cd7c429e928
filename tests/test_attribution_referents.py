"""Channels, cited origins and sources that refer back, on hand-built spaCy Docs: invented sentences
written as ``en_core_web_sm`` parses them (``word|POS|TAG|lemma|dep|head[|ENT]``, as in
test_attribution_rules.py); no model is loaded."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from claimgraph.attribute import attribute_doc  # noqa: E402
from claimgraph.attribute.enrich import build_claims  # noqa: E402
from claimgraph.attribute.merge import merge_relations  # noqa: E402
from claimgraph.attribute.rules import Relation, char_spans, find_relations  # noqa: E402
from claimgraph.models import Article  # noqa: E402
from docspec import make_doc  # noqa: E402


def claims_of(spec: str, model=None):
    doc = make_doc(spec)
    return attribute_doc(Article(id="a1", title="t", text=doc.text, published="2024-05-02"), doc, model)

# The Valley Courier said, quoting a local official, that the bridge had collapsed.
# (The parser hangs the that-clause from "quoting".)
SAID_QUOTING_THAT = (
    "The|DET|DT|the|det|2|ORG Valley|PROPN|NNP|Valley|compound|2|ORG "
    "Courier|PROPN|NNP|Courier|nsubj|3|ORG said|VERB|VBD|say|ROOT|3 ,|PUNCT|,|,|punct|3 "
    "quoting|VERB|VBG|quote|advcl|3 a|DET|DT|a|det|8 local|ADJ|JJ|local|amod|8 "
    "official|NOUN|NN|official|dobj|5 ,|PUNCT|,|,|punct|5 that|SCONJ|IN|that|mark|14 "
    "the|DET|DT|the|det|12 bridge|NOUN|NN|bridge|nsubj|14 had|AUX|VBD|have|aux|14 "
    "collapsed|VERB|VBN|collapse|ccomp|5 .|PUNCT|.|.|punct|3"
)
# The bridge collapsed, according to the Valley Courier, which cited a local official.
ACCORDING_WHICH_CITED = (
    "The|DET|DT|the|det|1 bridge|NOUN|NN|bridge|nsubj|2 collapsed|VERB|VBD|collapse|ROOT|2 "
    ",|PUNCT|,|,|punct|2 according|VERB|VBG|accord|prep|2 to|ADP|IN|to|prep|4 "
    "the|DET|DT|the|det|8|ORG Valley|PROPN|NNP|Valley|compound|8|ORG "
    "Courier|PROPN|NNP|Courier|pobj|5|ORG ,|PUNCT|,|,|punct|8 which|PRON|WDT|which|nsubj|11 "
    "cited|VERB|VBD|cite|relcl|8 a|DET|DT|a|det|14 local|ADJ|JJ|local|amod|14 "
    "official|NOUN|NN|official|dobj|11 .|PUNCT|.|.|punct|2"
)
# The Valley Courier quoting local officials said the bridge had collapsed.
QUOTING_BEFORE_SAID = (
    "The|DET|DT|the|det|2 Valley|PROPN|NNP|Valley|compound|2 Courier|PROPN|NNP|Courier|nsubj|6 "
    "quoting|VERB|VBG|quote|acl|2 local|ADJ|JJ|local|amod|5 officials|NOUN|NNS|official|dobj|3 "
    "said|VERB|VBD|say|ROOT|6 the|DET|DT|the|det|8 bridge|NOUN|NN|bridge|nsubj|10 "
    "had|AUX|VBD|have|aux|10 collapsed|VERB|VBN|collapse|ccomp|6 .|PUNCT|.|.|punct|6"
)
# A shell hit the market of Varna and wounded five people the Kestrel Monitor said citing medics
# in the area.  (Text scraped with its commas stripped: the speaker is parsed into the content.)
NO_COMMAS = (
    "A|DET|DT|a|det|1 shell|NOUN|NN|shell|nsubj|2 hit|VERB|VBD|hit|ROOT|2 the|DET|DT|the|det|4 "
    "market|NOUN|NN|market|dobj|2 of|ADP|IN|of|prep|4 Varna|PROPN|NNP|Varna|pobj|5|GPE "
    "and|CCONJ|CC|and|cc|2 wounded|VERB|VBD|wound|conj|2 five|NUM|CD|five|nummod|10|CARDINAL "
    "people|NOUN|NNS|people|dobj|8 the|DET|DT|the|det|13|ORG "
    "Kestrel|PROPN|NNP|Kestrel|compound|13|ORG Monitor|PROPN|NNP|Monitor|nsubj|14|ORG "
    "said|VERB|VBD|say|relcl|10 citing|VERB|VBG|cite|xcomp|14 medics|NOUN|NNS|medic|dobj|15 "
    "in|ADP|IN|in|prep|15 the|DET|DT|the|det|19 area|NOUN|NN|area|pobj|17 .|PUNCT|.|.|punct|2"
)


def _one(spec: str, model=None):
    claims = claims_of(spec, model)
    assert len(claims) == 1, [(c.source.text, c.cue, c.content) for c in claims]
    return claims[0]


def _chain(claim) -> list[str]:
    return [x.text for x in claim.chain]


def test_said_quoting_y_that_z_gives_y_as_origin_and_x_as_channel() -> None:
    c = _one(SAID_QUOTING_THAT)
    assert (c.source.text, c.channel.text) == ("local official", "Valley Courier")
    assert _chain(c) == ["local official", "Valley Courier"]
    assert c.content == "that the bridge had collapsed"


def test_according_to_x_which_cited_y() -> None:
    c = _one(ACCORDING_WHICH_CITED)
    assert (c.source.text, c.channel.text, c.kind) == ("local official", "Valley Courier", "according_to")
    assert c.content == "The bridge collapsed"


def test_a_citing_phrase_inside_the_speaker_is_no_part_of_its_name() -> None:
    c = _one(QUOTING_BEFORE_SAID)
    assert (c.source.text, c.channel.text) == ("local officials", "Valley Courier")
    assert c.content == "the bridge had collapsed"


class _Model:
    def __init__(self, relations):
        self.relations = relations

    def predict_doc(self, doc):
        return self.relations


def test_a_model_cue_read_across_said_citing_is_split() -> None:
    """The model reads "said citing" as one cue with the cited medics as content and no speaker;
    the claim is the Monitor's report of the shelling, relayed from the medics."""
    doc = make_doc(NO_COMMAS)
    rel = Relation((), char_spans(doc[14:16]), char_spans(doc[16:20]), 0.9, "model")
    c = _one(NO_COMMAS, _Model([rel]))
    assert c.cue == "said"
    assert (c.source.text, c.channel.text) == ("medics", "Kestrel Monitor")  # "in the area" hangs from "citing"
    assert c.content == "A shell hit the market of Varna and wounded five people"
    # The "citing" relation stays for the evaluation against PolNeAR, which labels it.
    merged = merge_relations(doc, [rel], find_relations(doc))
    assert [doc.text[slice(*r.cue[0])] for r in merged] == ["said", "citing"]


# --- sources that refer back ------------------------------------------------------------------------

# Mayor Jan Novak said that the dam held. He added that the roads were closed.
MAYOR_HE = (
    "Mayor|PROPN|NNP|Mayor|compound|2 Jan|PROPN|NNP|Jan|compound|2|PERSON "
    "Novak|PROPN|NNP|Novak|nsubj|3|PERSON said|VERB|VBD|say|ROOT|3 that|SCONJ|IN|that|mark|7 "
    "the|DET|DT|the|det|6 dam|NOUN|NN|dam|nsubj|7 held|VERB|VBD|hold|ccomp|3 .|PUNCT|.|.|punct|3 "
    "He|PRON|PRP|he|nsubj|10 added|VERB|VBD|add|ROOT|10 that|SCONJ|IN|that|mark|15 "
    "the|DET|DT|the|det|13 roads|NOUN|NNS|road|nsubjpass|15 were|AUX|VBD|be|auxpass|15 "
    "closed|VERB|VBN|close|ccomp|10 .|PUNCT|.|.|punct|10"
)
# Local farmers said that the dam held. They added that the roads were closed.
FARMERS_THEY = (
    "Local|ADJ|JJ|local|amod|1 farmers|NOUN|NNS|farmer|nsubj|2 said|VERB|VBD|say|ROOT|2 "
    "that|SCONJ|IN|that|mark|6 the|DET|DT|the|det|5 dam|NOUN|NN|dam|nsubj|6 "
    "held|VERB|VBD|hold|ccomp|2 .|PUNCT|.|.|punct|2 They|PRON|PRP|they|nsubj|9 "
    "added|VERB|VBD|add|ROOT|9 that|SCONJ|IN|that|mark|14 the|DET|DT|the|det|12 "
    "roads|NOUN|NNS|road|nsubjpass|14 were|AUX|VBD|be|auxpass|14 closed|VERB|VBN|close|ccomp|9 "
    ".|PUNCT|.|.|punct|9"
)
# The Kestrel News Agency said that the dam held. The agency added that the roads were closed.
AGENCY_THE_AGENCY = (
    "The|DET|DT|the|det|3|ORG Kestrel|PROPN|NNP|Kestrel|compound|3|ORG "
    "News|PROPN|NNP|News|compound|3|ORG Agency|PROPN|NNP|Agency|nsubj|4|ORG said|VERB|VBD|say|ROOT|4 "
    "that|SCONJ|IN|that|mark|8 the|DET|DT|the|det|7 dam|NOUN|NN|dam|nsubj|8 "
    "held|VERB|VBD|hold|ccomp|4 .|PUNCT|.|.|punct|4 The|DET|DT|the|det|11 "
    "agency|NOUN|NN|agency|nsubj|12 added|VERB|VBD|add|ROOT|12 that|SCONJ|IN|that|mark|17 "
    "the|DET|DT|the|det|15 roads|NOUN|NNS|road|nsubjpass|17 were|AUX|VBD|be|auxpass|17 "
    "closed|VERB|VBN|close|ccomp|12 .|PUNCT|.|.|punct|12"
)


@pytest.mark.parametrize("spec, written, refers_to, kind", [
    (MAYOR_HE, "He", "Mayor Jan Novak", "person"),
    (FARMERS_THEY, "They", "Local farmers", "group"),
    (AGENCY_THE_AGENCY, "agency", "Kestrel News Agency", "outlet"),
])
def test_a_source_referring_back_keeps_its_words_and_names_what_it_refers_to(spec, written, refers_to, kind):
    first, second = claims_of(spec)
    assert second.source.text == written and second.source.name == refers_to
    assert second.source.kind == kind == first.source.kind
    assert second.chain == (second.source,)
    span = second.source_spans[0]
    assert make_doc(spec).text[span[0]:span[1]].lower().endswith(written.lower())


def test_a_pronoun_without_a_fitting_source_before_it_is_left_alone() -> None:
    doc = make_doc(MAYOR_HE)
    only_he = [r for r in find_relations(doc) if doc.text[slice(*r.cue[0])] == "added"]
    (claim,) = build_claims(Article(id="a1", title="t", text=doc.text), doc, only_he)
    assert claim.source.text == "He" and claim.source.name is None
    # "they" wants a plural party; the mayor named before does not fit it.
    first, second = claims_of(MAYOR_HE.replace("He|PRON|PRP|he", "They|PRON|PRP|they"))
    assert second.source.text == "They" and second.source.name is None


def test_a_kind_noun_refers_only_to_a_name_that_holds_more_than_it() -> None:
    # The ministry said that the dam held. The ministry added that the roads were closed.
    # (The recogniser tags "ministry" ORG; the resolve stage may still tie both to a ministry named.)
    spec = (
        "The|DET|DT|the|det|1 ministry|NOUN|NN|ministry|nsubj|2|ORG said|VERB|VBD|say|ROOT|2 "
        "that|SCONJ|IN|that|mark|6 the|DET|DT|the|det|5 dam|NOUN|NN|dam|nsubj|6 "
        "held|VERB|VBD|hold|ccomp|2 .|PUNCT|.|.|punct|2 The|DET|DT|the|det|9 "
        "ministry|NOUN|NN|ministry|nsubj|10|ORG added|VERB|VBD|add|ROOT|10 that|SCONJ|IN|that|mark|15 "
        "the|DET|DT|the|det|13 roads|NOUN|NNS|road|nsubjpass|15 were|AUX|VBD|be|auxpass|15 "
        "closed|VERB|VBN|close|ccomp|10 .|PUNCT|.|.|punct|10"
    )
    assert [c.source.name for c in claims_of(spec)] == [None, None]


# Shells hit the market of Varna the Kestrel Monitor said citing medics who treated the wounded.
MONITOR_RUNON = (
    "Shells|NOUN|NNS|shell|nsubj|1 hit|VERB|VBD|hit|ccomp|9 the|DET|DT|the|det|3 "
    "market|NOUN|NN|market|dobj|1 of|ADP|IN|of|prep|3 Varna|PROPN|NNP|Varna|pobj|4|ORG "
    "the|DET|DT|the|det|8|ORG Kestrel|PROPN|NNP|Kestrel|compound|8|ORG "
    "Monitor|PROPN|NNP|Monitor|nsubj|9|ORG said|VERB|VBD|say|ROOT|9 citing|VERB|VBG|cite|xcomp|9 "
    "medics|NOUN|NNS|medic|dobj|10 who|PRON|WP|who|nsubj|13 treated|VERB|VBD|treat|relcl|11 "
    "the|DET|DT|the|det|15 wounded|ADJ|JJ|wounded|dobj|13 .|PUNCT|.|.|punct|9"
)
# The Kestrel Agency reported five deaths citing a statement from the Varna Council.
CITING_A_STATEMENT = (
    "The|DET|DT|the|det|2|ORG Kestrel|PROPN|NNP|Kestrel|compound|2|ORG "
    "Agency|PROPN|NNP|Agency|nsubj|3|ORG reported|VERB|VBD|report|ROOT|3 "
    "five|NUM|CD|five|nummod|5|CARDINAL deaths|NOUN|NNS|death|dobj|3 citing|VERB|VBG|cite|acl|5 "
    "a|DET|DT|a|det|8 statement|NOUN|NN|statement|dobj|6 from|ADP|IN|from|prep|8 "
    "the|DET|DT|the|det|12|ORG Varna|PROPN|NNP|Varna|compound|12|ORG "
    "Council|PROPN|NNP|Council|pobj|9|ORG .|PUNCT|.|.|punct|3"
)
# Kestrel Radio reported citing the interior ministry that the attackers tried to storm the station.
CITING_Y_THAT_Z = (
    "Kestrel|PROPN|NNP|Kestrel|compound|1|ORG Radio|PROPN|NNP|Radio|nsubj|2|ORG "
    "reported|VERB|VBD|report|ROOT|2 citing|VERB|VBG|cite|xcomp|2 the|DET|DT|the|det|6 "
    "interior|ADJ|JJ|interior|amod|6 ministry|NOUN|NN|ministry|dobj|3 that|PRON|WDT|that|dobj|12 "
    "the|DET|DT|the|det|9 attackers|NOUN|NNS|attacker|nsubj|10 tried|VERB|VBD|try|ccomp|3 "
    "to|PART|TO|to|aux|12 storm|VERB|VB|storm|xcomp|10 the|DET|DT|the|det|14 "
    "station|NOUN|NN|station|dobj|12 .|PUNCT|.|.|punct|2"
)


@pytest.mark.parametrize("spec, source, cue, content, expected", [
    # A speaker read into the content, and a content read over "citing medics ...".
    (MONITOR_RUNON, (2, 9), (9, 10), [(0, 6), (10, 16)],
     ("medics", "Kestrel Monitor", "Shells hit the market of Varna")),
    # The party of a statement cited is the origin.
    (CITING_A_STATEMENT, (0, 3), (3, 4), [(4, 13)], ("Varna Council", "Kestrel Agency", "five deaths")),
    # "reported citing" as one cue, with the that-clause parsed under "citing".
    (CITING_Y_THAT_Z, (0, 2), (2, 4), [(4, 15)],
     ("interior ministry", "Kestrel Radio", "the attackers tried to storm the station")),
])
def test_model_relations_around_a_citing_phrase(spec, source, cue, content, expected) -> None:
    doc = make_doc(spec)
    spans = tuple(s for lo, hi in content for s in char_spans(doc[lo:hi]))
    rel = Relation(char_spans(doc[slice(*source)]), char_spans(doc[slice(*cue)]), spans, 0.9, "model")
    c = _one(spec, _Model([rel]))
    assert (c.source.text, c.channel.text, c.content) == expected
    assert c.chain == (c.source, c.channel)


@pytest.mark.parametrize("spec, origin, relay, content", [
    # According to the Valley Courier, which cited local officials, the bridge had collapsed.
    ("According|VERB|VBG|accord|prep|14 to|ADP|IN|to|prep|0 the|DET|DT|the|det|4|ORG "
     "Valley|PROPN|NNP|Valley|compound|4|ORG Courier|PROPN|NNP|Courier|pobj|1|ORG ,|PUNCT|,|,|punct|4 "
     "which|PRON|WDT|which|nsubj|7 cited|VERB|VBD|cite|relcl|4 local|ADJ|JJ|local|amod|9 "
     "officials|NOUN|NNS|official|dobj|7 ,|PUNCT|,|,|punct|14 the|DET|DT|the|det|12 "
     "bridge|NOUN|NN|bridge|nsubj|14 had|AUX|VBD|have|aux|14 collapsed|VERB|VBN|collapse|ROOT|14 "
     ".|PUNCT|.|.|punct|14", "local officials", "Valley Courier", "the bridge had collapsed"),
    # Citing witnesses, the Valley Courier said the bridge had collapsed.
    ("Citing|VERB|VBG|cite|advcl|6 witnesses|NOUN|NNS|witness|dobj|0 ,|PUNCT|,|,|punct|6 "
     "the|DET|DT|the|det|5|ORG Valley|PROPN|NNP|Valley|compound|5|ORG "
     "Courier|PROPN|NNP|Courier|nsubj|6|ORG said|VERB|VBD|say|ROOT|6 the|DET|DT|the|det|8 "
     "bridge|NOUN|NN|bridge|nsubj|10 had|AUX|VBD|have|aux|10 collapsed|VERB|VBN|collapse|ccomp|6 "
     ".|PUNCT|.|.|punct|6", "witnesses", "Valley Courier", "the bridge had collapsed"),
    # The bridge had collapsed, the Valley Courier reported, citing witnesses.
    ("The|DET|DT|the|det|1 bridge|NOUN|NN|bridge|nsubj|3 had|AUX|VBD|have|aux|3 "
     "collapsed|VERB|VBN|collapse|ccomp|8 ,|PUNCT|,|,|punct|8 the|DET|DT|the|det|7|ORG "
     "Valley|PROPN|NNP|Valley|compound|7|ORG Courier|PROPN|NNP|Courier|nsubj|8|ORG "
     "reported|VERB|VBD|report|ROOT|8 ,|PUNCT|,|,|punct|8 citing|VERB|VBG|cite|advcl|8 "
     "witnesses|NOUN|NNS|witness|dobj|10 .|PUNCT|.|.|punct|8", "witnesses", "Valley Courier",
     "The bridge had collapsed"),
])
def test_the_cited_party_is_the_origin_in_every_order(spec, origin, relay, content) -> None:
    c = _one(spec)
    assert (c.source.text, c.channel.text, c.content) == (origin, relay, content)
    assert _chain(c) == [origin, relay]


# The Varn Coalition said it. The Kestrel Agency reported it. The coalition has acknowledged
# deaths. It admitted errors.
COALITION_THEN_IT = (
    "The|DET|DT|the|det|2 Varn|PROPN|NNP|Varn|compound|2|ORG Coalition|PROPN|NNP|Coalition|nsubj|3|ORG "
    "said|VERB|VBD|say|ROOT|3 it|PRON|PRP|it|dobj|3 .|PUNCT|.|.|punct|3 "
    "The|DET|DT|the|det|8 Kestrel|PROPN|NNP|Kestrel|compound|8|ORG Agency|PROPN|NNP|Agency|nsubj|9|ORG "
    "reported|VERB|VBD|report|ROOT|9 it|PRON|PRP|it|dobj|9 .|PUNCT|.|.|punct|9 "
    "The|DET|DT|the|det|13 coalition|NOUN|NN|coalition|nsubj|15 has|AUX|VBZ|have|aux|15 "
    "acknowledged|VERB|VBN|acknowledge|ROOT|15 deaths|NOUN|NNS|death|dobj|15 .|PUNCT|.|.|punct|15 "
    "It|PRON|PRP|it|nsubj|19 admitted|VERB|VBD|admit|ROOT|19 errors|NOUN|NNS|error|dobj|19 .|PUNCT|.|.|punct|19"
)


def test_it_follows_the_body_the_sentence_before_is_about() -> None:
    from claimgraph.attribute.referents import Referents
    from claimgraph.attribute.sources import entity_ref

    doc = make_doc(COALITION_THEN_IT)
    refs = Referents()
    for a, b in ((0, 3), (6, 9)):  # the two named sources, remembered in text order
        refs.resolve(entity_ref(doc, char_spans(doc[a:b])), list(doc[a:b]))
    it = refs.resolve(entity_ref(doc, char_spans(doc[18:19])), [doc[18]])
    # the nearest body named as a source is the agency; the sentence before is about the coalition
    assert it.name == "Varn Coalition", it


# The Ostrava Observatory said it. The Kestrel Agency reported it. The monitoring group has
# counted deaths. It said more.
MONITOR_THEN_IT = (
    "The|DET|DT|the|det|2 Ostrava|PROPN|NNP|Ostrava|compound|2|ORG Observatory|PROPN|NNP|Observatory|nsubj|3|ORG "
    "said|VERB|VBD|say|ROOT|3 it|PRON|PRP|it|dobj|3 .|PUNCT|.|.|punct|3 "
    "The|DET|DT|the|det|8 Kestrel|PROPN|NNP|Kestrel|compound|8|ORG Agency|PROPN|NNP|Agency|nsubj|9|ORG "
    "reported|VERB|VBD|report|ROOT|9 it|PRON|PRP|it|dobj|9 .|PUNCT|.|.|punct|9 "
    "The|DET|DT|the|det|14 monitoring|NOUN|NN|monitoring|compound|14 group|NOUN|NN|group|nsubj|16 "
    "has|AUX|VBZ|have|aux|16 counted|VERB|VBN|count|ROOT|16 deaths|NOUN|NNS|death|dobj|16 .|PUNCT|.|.|punct|16 "
    "It|PRON|PRP|it|nsubj|20 said|VERB|VBD|say|ROOT|20 more|ADJ|JJR|more|dobj|20 .|PUNCT|.|.|punct|20"
)


@pytest.mark.parametrize("modifier, expected", [("monitoring", "Ostrava Observatory"), ("rebel", None)])
def test_a_monitoring_group_is_the_observatory_named_before(modifier: str, expected: str | None) -> None:
    """A report calls one monitor "the Observatory", "the monitor" and "the monitoring group" by
    turns; "the rebel group" is some other body."""
    from claimgraph.attribute.referents import Referents
    from claimgraph.attribute.sources import entity_ref

    doc = make_doc(MONITOR_THEN_IT.replace("monitoring|NOUN|NN|monitoring", f"{modifier}|NOUN|NN|{modifier}"))
    refs = Referents()
    for a, b in ((0, 3), (6, 9)):
        refs.resolve(entity_ref(doc, char_spans(doc[a:b])), list(doc[a:b]))
    it = refs.resolve(entity_ref(doc, char_spans(doc[19:20])), [doc[19]])
    assert it.name == expected, it
