"""Headlines that attribute with a colon: "Paul Ryan: Decision Not to Indict Defies Explanation".

News sites title a story with its speaker, a colon and what was said. The line has no verb of
saying, so the cue tagger rarely fires on it (the colon of a headline looks like any other colon).
PolNeAR labels such a headline a relation in 82 of the 132 train articles whose first line has a
colon after a short, capitalised phrase, and the speaker is then the whole phrase 73 times in 82,
the content the whole rest 80 times. The ones left out are labels, not speakers: "The Latest",
"EXCLUSIVE", "BOOM", "Poll", "Paid Notice" — hence a proper noun is required and capitals alone
or "The Latest" refused.
"""

from __future__ import annotations

from typing import Any

Spans = tuple[tuple[int, int], ...]

_MAX_SPEAKER = 8  # tokens before the colon: "Former AG Mukasey at RNC" is as long as they get
_LABELS = frozenset({"the latest"})


def headline_relation(doc: Any) -> tuple[Spans, Spans, Spans] | None:
    """(source, cue, content) character spans of ``doc``'s first line when it is a speaker's
    headline (see the module docstring), else None."""
    line = []
    for t in doc:
        if "\n" in t.text:
            break
        line.append(t)
        if len(line) == _MAX_SPEAKER + 1 and not any(x.text == ":" for x in line):
            return None  # no speaker's colon: the rest of a long first line need not be read
    colon = next((k for k, t in enumerate(line[: _MAX_SPEAKER + 1]) if t.text == ":"), None)
    if not colon:
        return None
    who = [t for t in line[:colon] if not t.is_space]
    said = [t for t in line[colon + 1:] if not t.is_space]
    if not who or len(said) < 3:
        return None
    s, e = who[0].idx, who[-1].idx + len(who[-1].text)
    name = doc.text[s:e]
    if name.isupper() or name.lower() in _LABELS or any(t.is_quote for t in who):
        return None
    if not any(t.pos_ == "PROPN" for t in who):
        return None
    cue = line[colon]
    return ((s, e),), ((cue.idx, cue.idx + 1),), ((said[0].idx, said[-1].idx + len(said[-1].text)),)
