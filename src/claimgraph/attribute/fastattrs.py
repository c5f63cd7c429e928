"""The ``attribute_ruler`` and ``lemmatizer`` of an English spaCy pipeline, applied with arrays.

Why: on FA-KES these two components take as long as tok2vec, tagger and parser together (about
1.15 s each per 150 articles, against 2.6 s for the three), because spaCy runs a Matcher and then
sets attributes token by token from Python. Their work is table lookups: the ruler's patterns test
a token's lower form, tag and dependency (a handful look at two tokens), and the rule lemmatizer
caches its answer per (word, part of speech). Here the same patterns are indexed by those values
and the same lemmatizer is asked once per new (word, POS, morphology); the results are written back with
``Doc.from_array``. A test checks the output is identical to the components' on real text.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.parts_of_speech import IDS as UPOS

_FIELDS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}


class _Test:
    """One token predicate of a pattern, on the hashes of that token's attributes."""

    def __init__(self, strings: Any, attr: str, value: Any) -> None:
        self.field = _FIELDS[attr]
        self.regex: re.Pattern[str] | None = None
        self.allowed: set[int] | None = None
        self.banned: set[int] | None = None
        self.strings = strings
        if attr == "IS_SPACE":
            self.allowed = {int(bool(value))}
        elif isinstance(value, str):
            self.allowed = {strings.add(value) if value else 0}
        elif "IN" in value:
            self.allowed = {strings.add(v) if v else 0 for v in value["IN"]}
        elif "NOT_IN" in value:
            self.banned = {strings.add(v) if v else 0 for v in value["NOT_IN"]}
        elif "REGEX" in value:
            self.regex = re.compile(value["REGEX"])
        else:
            raise ValueError(f"attribute_ruler pattern not understood: {attr}={value!r}")

    def __call__(self, row: tuple[int, ...]) -> bool:
        v = row[self.field]
        if self.allowed is not None:
            return v in self.allowed
        if self.banned is not None:
            return v not in self.banned
        assert self.regex is not None
        return bool(v) and self.regex.search(self.strings[v]) is not None


class FastAttributes:
    """Callable on a Doc parsed *without* ``attribute_ruler`` and ``lemmatizer``: sets POS, MORPH,
    LEMMA (and the ruler's TAG/DEP for white space) exactly as those two components would."""

    def __init__(self, nlp: Any) -> None:
        ruler = nlp.get_pipe("attribute_ruler")
        self.lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        self.vocab = nlp.vocab
        strings = nlp.vocab.strings
        # (rule index, token offset in the pattern, tests per pattern token, attrs), indexed by a
        # value of the first token; single-token patterns apart, since their outcome depends only
        # on the token's own (lower, tag, dep, is_space) and can be cached per such row.
        self.single: dict[tuple[int, int], list[Any]] = {}
        self.single_rest: list[Any] = []
        self.multi: dict[tuple[int, int], list[Any]] = {}
        self.multi_rest: list[Any] = []
        for idx, rule in enumerate(ruler.patterns):
            attrs = self._attrs(rule["attrs"])
            for pattern in rule["patterns"]:
                tests = [[_Test(strings, k, v) for k, v in tok.items()] for tok in pattern]
                entry = (idx, int(rule.get("index", 0)), tests, attrs)
                indexed, rest = (self.single, self.single_rest) if len(pattern) == 1 else (
                    self.multi, self.multi_rest)
                key = self._index_key(strings, pattern[0])
                if key is None:
                    rest.append(entry)
                else:
                    for k in key:
                        indexed.setdefault(k, []).append(entry)
        self.row_memo: dict[tuple[int, ...], tuple[dict[str, tuple[int, Any]], list[Any]]] = {}
        self.lemma_memo: dict[tuple[int, int, int], int] = {}

    def _attrs(self, attrs: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in attrs.items():
            if name == "MORPH":
                out[name] = self.vocab.morphology.add(value)
            elif name in ("POS", "LEMMA", "TAG", "DEP"):
                out[name] = value
            else:
                raise ValueError(f"attribute_ruler sets {name}, which is not handled")
        return out

    @staticmethod
    def _index_key(strings: Any, first: dict[str, Any]) -> list[tuple[int, int]] | None:
        for attr in ("LOWER", "TAG"):
            value = first.get(attr)
            if isinstance(value, str):
                return [(_FIELDS[attr], strings.add(value))]
            if isinstance(value, dict) and "IN" in value:
                return [(_FIELDS[attr], strings.add(v) if v else 0) for v in value["IN"]]
        return None

    def _single(self, row: tuple[int, ...]) -> dict[str, tuple[int, Any]]:
        out: dict[str, tuple[int, Any]] = {}
        for idx, _offset, tests, attrs in sorted(
                (*self.single.get((0, row[0]), ()), *self.single.get((1, row[1]), ()),
                 *self.single_rest), key=lambda e: e[0]):
            if all(t(row) for t in tests[0]):
                for name, value in attrs.items():
                    out[name] = (idx, value)
        return out

    def _multi_starts(self, row: tuple[int, ...]) -> list[Any]:
        """The multi-token patterns whose first token this row satisfies."""
        return [e for e in (*self.multi.get((0, row[0]), ()), *self.multi.get((1, row[1]), ()),
                            *self.multi_rest) if all(t(row) for t in e[2][0])]

    def __call__(self, doc: Any) -> Any:
        n = len(doc)
        if not n:
            return doc
        rows = [tuple(r) for r in doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()]
        # token index -> attr -> (rule index, value): the highest rule index wins, as in spaCy,
        # which applies the matches sorted by rule.
        chosen: dict[int, dict[str, tuple[int, Any]]] = {}
        for i, row in enumerate(rows):
            memo = self.row_memo.get(row)
            if memo is None:
                memo = self.row_memo[row] = (self._single(row), self._multi_starts(row))
            own, starts = memo
            if own:
                slot = chosen.setdefault(i, {})
                for name, pick in own.items():
                    if name not in slot or slot[name][0] <= pick[0]:
                        slot[name] = pick
            for idx, offset, tests, attrs in starts:
                if i + len(tests) <= n and all(
                        t(rows[i + j]) for j, toks in enumerate(tests[1:], 1) for t in toks):
                    slot = chosen.setdefault(i + offset, {})
                    for name, value in attrs.items():
                        if name not in slot or slot[name][0] <= idx:
                            slot[name] = (idx, value)
        arr = doc.to_array([POS, MORPH, LEMMA])
        strings = self.vocab.strings
        odd: list[tuple[int, str, str]] = []
        for i, slot in chosen.items():
            for name, (_idx, value) in slot.items():
                if name == "POS":
                    arr[i, 0] = UPOS[value]
                elif name == "MORPH":
                    arr[i, 1] = value
                elif name == "LEMMA":
                    arr[i, 2] = strings.add(value)
                else:
                    odd.append((i, name, value))
        doc.from_array([POS, MORPH, LEMMA], arr)
        for i, name, value in odd:  # only white-space tokens: rare, set one by one
            setattr(doc[i], name.lower() + "_", value)
        if self.lemmatizer is not None:
            self._lemmatize(doc)
        return doc

    def _lemmatize(self, doc: Any) -> None:
        lemmatizer = self.lemmatizer
        assert lemmatizer is not None
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        memo = self.lemma_memo
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            value = memo.get(key)
            if value is None:
                # The lemmatizer caches on the same key, so asking it once per key gives exactly
                # its answers.
                value = memo[key] = self.vocab.strings.add(lemmatizer.lemmatize(doc[i])[0])
            arr[i, 3] = value
            changed = True
        if changed:
            doc.from_array([LEMMA], arr[:, 3:4])
