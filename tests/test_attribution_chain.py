"""A claim's chain never repeats itself, even when two relations each hold the other's cue."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc  # noqa: E402

from claimgraph.attribute.enrich import build_claims  # noqa: E402
from claimgraph.attribute.rules import Relation, char_spans  # noqa: E402
from claimgraph.models import Article  # noqa: E402

# "Local sources said the convoy was turned back, the Observatory reported." parsed by hand:
# word, pos, tag, lemma, dep, head, entity.
ROWS = [
    ("Local", "ADJ", "JJ", "local", "amod", 1, ""), ("sources", "NOUN", "NNS", "source", "nsubj", 2, ""),
    ("said", "VERB", "VBD", "say", "ccomp", 11, ""), ("the", "DET", "DT", "the", "det", 4, ""),
    ("convoy", "NOUN", "NN", "convoy", "nsubjpass", 6, ""), ("was", "AUX", "VBD", "be", "auxpass", 6, ""),
    ("turned", "VERB", "VBN", "turn", "ccomp", 2, ""), ("back", "ADV", "RB", "back", "prt", 6, ""),
    (",", "PUNCT", ",", ",", "punct", 11, ""), ("the", "DET", "DT", "the", "det", 10, "ORG"),
    ("Observatory", "PROPN", "NNP", "Observatory", "nsubj", 11, "ORG"),
    ("reported", "VERB", "VBD", "report", "ROOT", 11, ""), (".", "PUNCT", ".", ".", "punct", 11, ""),
]


def _doc() -> Doc:
    words = [r[0] for r in ROWS]
    spaces = [i + 1 < len(words) and words[i + 1] not in {",", "."} for i in range(len(words))]
    ents, prev = [], "O"
    for r in ROWS:
        tag = "O" if not r[6] else (f"I-{r[6]}" if prev.endswith(r[6]) else f"B-{r[6]}")
        ents.append(tag)
        prev = tag
    return Doc(spacy.blank("en").vocab, words=words, spaces=spaces, pos=[r[1] for r in ROWS],
               tags=[r[2] for r in ROWS], lemmas=[r[3] for r in ROWS], deps=[r[4] for r in ROWS],
               heads=[r[5] for r in ROWS], ents=ents)


def test_relations_holding_each_others_cue_give_a_chain_without_repeats() -> None:
    doc = _doc()
    # The first content is read too wide (it swallows "the Observatory reported"), as a model can.
    said = Relation(char_spans(doc[0:2]), char_spans(doc[2:3]), char_spans(doc[3:12]), 0.9, "model")
    reported = Relation(char_spans(doc[9:11]), char_spans(doc[11:12]), char_spans(doc[0:8]), 0.9, "model")
    article = Article(id="a1", title="t", text=doc.text, outlet="example.org", published="2024-05-02")
    claims = build_claims(article, doc, [said, reported])
    assert len(claims) == 2
    for claim in claims:
        names = [link.text for link in claim.chain]
        assert len(names) == len(set(names)), names
    assert [link.text for link in claims[0].chain] == ["Local sources", "Observatory"]
