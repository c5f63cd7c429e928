"""Speaker headlines ("Mara Vell: The Bridge Stays Shut") and the cue heads the model may not keep,
on hand-built Docs (no trained pipeline needed)."""

from __future__ import annotations

import numpy as np
import spacy
from spacy.tokens import Doc

from claimgraph.attribute import features as F
from claimgraph.attribute.headline import headline_relation
from claimgraph.attribute.model import SpanModel, SpanRelation, Weights, add_headline


def _doc(words: list[str], pos: list[str]) -> Doc:
    following = [*words[1:], ""]
    spaces = [w != "\n\n" and nxt not in {":", ".", "\n\n"} for w, nxt in zip(words, following, strict=True)]
    return Doc(spacy.blank("en").vocab, words=words, spaces=spaces, pos=pos)


def _text(doc: Doc, spans) -> list[str]:
    return [doc.text[s:e] for s, e in spans]


HEADLINE = (["Mara", "Vell", ":", "The", "Bridge", "Stays", "Shut", "\n\n", "Rain", "fell", "."],
            ["PROPN", "PROPN", "PUNCT", "DET", "PROPN", "VERB", "ADJ", "SPACE", "NOUN", "VERB", "PUNCT"])


def test_a_speakers_headline_is_a_relation():
    doc = _doc(*HEADLINE)
    source, cue, content = headline_relation(doc)
    assert _text(doc, source) == ["Mara Vell"]
    assert _text(doc, cue) == [":"]
    assert _text(doc, content) == ["The Bridge Stays Shut"]


def test_labels_and_later_lines_are_no_headline():
    label = _doc(["The", "Latest", ":", "Ferry", "to", "Tarvik", "delayed"],
                 ["DET", "PROPN", "PUNCT", "PROPN", "ADP", "PROPN", "VERB"])
    shout = _doc(["EXCLUSIVE", ":", "Ferry", "to", "Tarvik", "delayed"],
                 ["PROPN", "PUNCT", "PROPN", "ADP", "PROPN", "VERB"])
    common = _doc(["One", "conclusion", ":", "ferries", "are", "late"],
                  ["NUM", "NOUN", "PUNCT", "NOUN", "AUX", "ADJ"])
    later = _doc(["Rain", "fell", "\n\n", "Mara", "Vell", ":", "The", "Bridge", "Stays", "Shut"],
                 ["NOUN", "VERB", "SPACE", "PROPN", "PROPN", "PUNCT", "DET", "PROPN", "VERB", "ADJ"])
    assert [headline_relation(d) for d in (label, shout, common, later)] == [None] * 4


def test_headline_gives_way_to_a_relation_over_its_words():
    doc = _doc(*HEADLINE)
    text = doc.text

    def at(word: str) -> tuple[tuple[int, int], ...]:
        return ((text.index(word), text.index(word) + len(word)),)

    over = SpanRelation(source=at("Mara"), cue=at("Stays"), content=at("Bridge"))
    assert add_headline(doc, [over]) == [over]
    elsewhere = SpanRelation(source=(), cue=at("fell"), content=at("Rain"))
    both = add_headline(doc, [elsewhere])
    assert len(both) == 2 and both[1] == elsewhere and _text(doc, both[0].cue) == [":"]


def test_a_noun_cue_is_not_kept():
    words = ["Mara", "Vell", "gave", "her", "endorsement", "of", "the", "plan", "."]
    heads = [1, 2, 2, 4, 2, 4, 7, 5, 2]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads,
              deps=["compound", "nsubj", "ROOT", "poss", "dobj", "prep", "det", "pobj", "punct"],
              pos=["PROPN", "PROPN", "VERB", "PRON", "NOUN", "ADP", "DET", "NOUN", "PUNCT"])
    size = 1 << F.HASH_BITS
    w = Weights(np.zeros((size, 3), np.float32), np.zeros((4, 3), np.float32),
                np.zeros((size, 3), np.float32), np.zeros((4, 3), np.float32))
    model, v = SpanModel(w), F.view(doc)
    rel = SpanRelation(source=((0, 9),), cue=((20, 34),), content=((35, 43),))
    assert not model._keep(doc, v, [4, 5], rel)
    assert model._keep(doc, v, [2], rel)
