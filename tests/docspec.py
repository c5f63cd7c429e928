"""Hand-built spaCy Docs for the attribution tests, so no model is loaded.

Each token is written ``word|POS|TAG|lemma|dep|head[|ENT]``, ``head`` the absolute index of the
token's head, as ``en_core_web_sm`` would parse the sentence.
"""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

NLP = spacy.blank("en")
NO_SPACE_BEFORE = {",", ".", ")", "”", ":", ";", "?", "!"}
NO_SPACE_AFTER = {"(", "“"}


def make_doc(spec: str) -> Doc:
    rows = [tok.split("|") for tok in spec.split()]
    words = [r[0] for r in rows]
    spaces = [
        i + 1 < len(words) and words[i + 1] not in NO_SPACE_BEFORE and words[i] not in NO_SPACE_AFTER
        for i in range(len(words))
    ]
    ents, prev = [], "O"
    for r in rows:
        label = r[6] if len(r) > 6 else ""
        tag = "O" if not label else (f"I-{label}" if prev.endswith(label) else f"B-{label}")
        ents.append(tag)
        prev = tag
    return Doc(NLP.vocab, words=words, spaces=spaces, pos=[r[1] for r in rows],
               tags=[r[2] for r in rows], lemmas=[r[3] for r in rows], deps=[r[4] for r in rows],
               heads=[int(r[5]) for r in rows], ents=ents)
