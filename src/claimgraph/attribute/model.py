"""The attribution span model: finds (source, cue, content) character spans in English text.

Two linear sequence taggers over the features of :mod:`.features`, trained as averaged structured
perceptrons on PolNeAR (:mod:`.train`):

1. cues: B/I/O over each paragraph ("said", "according to", "told reporters");
2. roles: for each cue, O/S/C over the sentences around it — the source and the content of that cue.

Both decode with Viterbi under hard constraints (a cue's own tokens are never its source or content;
a source lies in the cue's sentence), which is where a first-order model earns its keep over
independent token decisions.

    model = SpanModel.load()
    for rel in model.predict_doc(nlp(text)):
        ...
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from . import features as F
from .boundaries import tidy
from .cue_edges import widen
from .headline import headline_relation
from .lexicon import SPEECH_VERBS
from .signoff import signoff_relations

_SPEECH = SPEECH_VERBS | {"according"}

WEIGHTS_NAME = "span_model.npz"
FORMAT_VERSION = 2  # 2: the lexicon, clause and preposition cue columns (features.CUE_EXTRA)

CUE_LABELS = ("O", "B", "I")
ROLE_LABELS = ("O", "S", "C")
NEG = -1e9
# Cues whose role features are built in one batch: big enough that numpy's per-call cost is spread,
# small enough that a huge document cannot make one (rows x 126) feature matrix of gigabytes.
ROLE_BATCH = 64
# Cue heads that are no predicate: the model's noun, adjective and adverb cues ("decision",
# "endorsement of", "eager", "reportedly") were right 11 times in 53 on two held-out train slices;
# dropping them lifted relation F1@0.3 there by 0.4/0.1 (dev 0.1), exact source 0.4/0.2, cue 0.3/0.1.
NOT_PREDICATE = frozenset({"NOUN", "ADJ", "ADV"})
# A cue for which the role stage finds no content is decoded once more with this added to every
# token's content score: the cue stage is surer of a cue than the role stage of its content's edges.
# On the two held-out train slices relation F1@0.3 went 74.9 -> 75.2 and 72.1 -> 72.4, exact source
# +0.6/+0.2 and cue +0.4/+0.2 (20: +0.1, 50: +0.1, 150: as 100, 300 and 500 less).
CONTENT_RETRY = 100.0
RETRY_SHIFT = np.array([0.0, 0.0, CONTENT_RETRY])  # added to (other, source, content)


@dataclass(frozen=True)
class SpanRelation:
    """One attribution relation; spans are (start, end) character offsets into the text given."""

    source: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]
    content: tuple[tuple[int, int], ...]
    score: float = 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "source": [list(s) for s in self.source],
            "cue": [list(s) for s in self.cue],
            "content": [list(s) for s in self.content],
        }


def viterbi(emit: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Best label sequence for emission scores ``emit`` (n, L) and transitions ``trans`` (L+1, L),
    whose last row scores the start.  Plain Python: with three labels it beats numpy's per-call cost."""
    n, n_labels = emit.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n_labels == 3:
        return _viterbi3(emit, trans)
    e = emit.tolist()
    t = trans.tolist()
    labels = range(n_labels)
    score = [t[-1][y] + e[0][y] for y in labels]
    back: list[list[int]] = []
    for i in range(1, n):
        row = e[i]
        new = []
        bp = []
        for y in labels:
            best_x = 0
            best = score[0] + t[0][y]
            for x in range(1, n_labels):
                cand = score[x] + t[x][y]
                if cand > best:
                    best, best_x = cand, x
            new.append(best + row[y])
            bp.append(best_x)
        score = new
        back.append(bp)
    y = max(labels, key=lambda k: score[k])
    out = [y]
    for bp in reversed(back):
        y = bp[y]
        out.append(y)
    return np.array(out[::-1], dtype=np.int64)


def _viterbi3(emit: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """:func:`viterbi` for three labels (both stages have three) with the loops unrolled: the same
    sums in the same order and the same ties (the lowest label wins), 2.7 times faster; decoding
    had grown to about a tenth of the pipeline's time."""
    e = emit.tolist()
    (t00, t01, t02), (t10, t11, t12), (t20, t21, t22), (s0, s1, s2) = trans.tolist()
    r = e[0]
    a, b, c = s0 + r[0], s1 + r[1], s2 + r[2]
    back = []
    for r in e[1:]:
        x0, k0 = a + t00, 0
        if b + t10 > x0:
            x0, k0 = b + t10, 1
        if c + t20 > x0:
            x0, k0 = c + t20, 2
        x1, k1 = a + t01, 0
        if b + t11 > x1:
            x1, k1 = b + t11, 1
        if c + t21 > x1:
            x1, k1 = c + t21, 2
        x2, k2 = a + t02, 0
        if b + t12 > x2:
            x2, k2 = b + t12, 1
        if c + t22 > x2:
            x2, k2 = c + t22, 2
        a, b, c = x0 + r[0], x1 + r[1], x2 + r[2]
        back.append((k0, k1, k2))
    y = 0
    if b > a:
        y = 1
    if c > (b if y else a):
        y = 2
    out = [y]
    for bp in reversed(back):
        y = bp[y]
        out.append(y)
    return np.array(out[::-1], dtype=np.int64)


def cue_constraints() -> np.ndarray:
    """Transition mask for B/I/O cue tags: I only continues a B or an I."""
    t = np.zeros((len(CUE_LABELS) + 1, len(CUE_LABELS)), dtype=np.float32)
    t[0, 2] = NEG  # O -> I
    t[3, 2] = NEG  # start -> I
    return t


def runs(labels: np.ndarray, idx: np.ndarray, inside: int, begin: int | None = None) -> list[list[int]]:
    """Runs of consecutive positions labelled ``inside``; ``begin`` (a B tag) always opens a new run."""
    out: list[list[int]] = []
    open_run = False
    for lab, j in zip(labels.tolist(), idx.tolist(), strict=True):
        if begin is not None and lab == begin:
            out.append([j])
            open_run = True
        elif lab == inside:
            if open_run:
                out[-1].append(j)
            else:
                out.append([j])
                open_run = True
        else:
            open_run = False
    return out


@dataclass
class Weights:
    """The learnt parameters; ``cue``/``role`` are (2**HASH_BITS, 3) tables, ``*_trans`` are (4, 3)."""

    cue: np.ndarray
    cue_trans: np.ndarray
    role: np.ndarray
    role_trans: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: str | Path) -> None:
        # Most rows of a hashed table are never touched; store the touched ones only, in float16
        # (the perceptron's averaged weights lose nothing measurable at half precision).
        blobs: dict[str, np.ndarray] = {}
        for name in ("cue", "role"):
            table = getattr(self, name)
            rows = np.nonzero(np.any(table != 0, axis=1))[0].astype(np.uint32)
            blobs[f"{name}_rows"] = rows
            blobs[f"{name}_vals"] = table[rows].astype(np.float16)
        meta = dict(self.meta, format=FORMAT_VERSION, hash_bits=F.HASH_BITS)
        blobs["cue_trans"] = self.cue_trans
        blobs["role_trans"] = self.role_trans
        blobs["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
        np.savez_compressed(path, allow_pickle=False, **blobs)

    @classmethod
    def from_npz(cls, data: Any) -> Weights:
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
        if meta.get("format") != FORMAT_VERSION or meta.get("hash_bits") != F.HASH_BITS:
            raise ModelError(
                f"attribution weights have format {meta.get('format')}/{meta.get('hash_bits')} bits, this "
                f"code reads {FORMAT_VERSION}/{F.HASH_BITS}; retrain with `python -m claimgraph.attribute.train`"
            )
        tables = {}
        for name in ("cue", "role"):
            # Kept in float16, as stored: two 2**22 x 3 tables take 50 MB instead of 100.
            table = np.zeros((1 << F.HASH_BITS, 3), dtype=np.float16)
            table[data[f"{name}_rows"]] = data[f"{name}_vals"]
            tables[name] = table
        return cls(tables["cue"], data["cue_trans"].astype(np.float32), tables["role"],
                   data["role_trans"].astype(np.float32), meta)


def role_mask(v: F.DocView, cue: list[int], idx: np.ndarray) -> np.ndarray:
    """Additive mask (n, 3): the cue's tokens are O; a source stays in the cue's sentence."""
    m = np.zeros((len(idx), 3), dtype=np.float32)
    in_cue = np.isin(idx, cue)
    m[in_cue, 1:] = NEG
    m[v.sent[idx] != v.sent[cue[0]], 1] = NEG
    return m


def _char_spans(doc: Any, groups: list[list[int]]) -> tuple[tuple[int, int], ...]:
    out = []
    for g in groups:
        start = doc[g[0]].idx
        end = doc[g[-1]].idx + len(doc[g[-1]].text)
        out.append((start, end))
    return tuple(out)


class SpanModel:
    """Cue tagger + role tagger; see the module docstring."""

    def __init__(self, weights: Weights) -> None:
        self.w = weights
        self._cue_trans = weights.cue_trans + cue_constraints()
        # Added to the B and I scores of every token, to trade precision for recall. Cue margins run in
        # the hundreds; on held-out PolNeAR train articles a bias of 20 already cost relation F1@0.3
        # (72.5 -> 71.4, 50: 61.5), so recall is bought in training instead (train.cue_cost) and the
        # shipped weights keep 0; scripts/eval_polnear.py --cue-bias calibrates it for other data.
        self.cue_bias = float(weights.meta.get("cue_bias", 0.0))
        # A cue for which the role stage finds no source is most often no cue at all: PolNeAR gives 8% of
        # its relations no source, but on held-out train articles most of the model's sourceless ones
        # were false. Dropping them lifted relation F1@0.3 74.4 -> 75.3 there, keeping those with a speech
        # verb cue ("..., it was reported", which the example trails need) 74.9; keeping the confident
        # ones instead (cue margin >= 50..400) did no better. Keeping only the passive ones ("it was
        # reported", "is expected to"; 22 of the 74 kept were right on two held-out slices) lifted
        # relation F1 there by 0.6/0.2 and on dev by 0.4, but cost exact cue F1 0.2 on both held2 and dev
        # (the cue of such a relation is often the gold one, its source missed), so it is not done.
        # Weights may set keep_sourceless.
        self.keep_sourceless = bool(weights.meta.get("keep_sourceless", False))
        self._cue_scale = {True: F.cue_scale(True), False: F.cue_scale(False)}
        self._role_scale = {True: F.role_scale(True), False: F.role_scale(False)}

    @classmethod
    def load(cls, path: str | None = None) -> SpanModel:
        """Load weights from ``path``, or the ones shipped in the package when None."""
        try:
            if path is None:
                ref = resources.files("claimgraph").joinpath("attribute", "weights", WEIGHTS_NAME)
                with ref.open("rb") as fh:
                    data = np.load(io.BytesIO(fh.read()))
            else:
                data = np.load(path)
            return cls(Weights.from_npz(data))
        except ModelError:
            raise
        except (OSError, KeyError, ValueError) as exc:
            where = path or f"claimgraph/attribute/weights/{WEIGHTS_NAME}"
            raise ModelError(
                f"{where}: cannot load the attribution weights ({exc}); reinstall claimgraph or run "
                "`python -m claimgraph.attribute.train` to rebuild them"
            ) from exc

    # -- scores (also mixed into the accurate model's decoding, see :mod:`.ensemble`)
    # np.take gathers the same rows as fancy indexing, three to four times faster on these shapes.
    def cue_scores(self, v: F.DocView, feats: np.ndarray) -> np.ndarray:
        """(rows, 3) cue emissions, cue bias included, for rows of ``F.cue_features``."""
        emit = np.einsum("nfl,f->nl", np.take(self.w.cue, feats, axis=0), self._cue_scale[v.has_vec])
        if self.cue_bias:
            emit[:, 1:] += self.cue_bias
        return emit

    def role_scores(self, v: F.DocView, feats: np.ndarray) -> np.ndarray:
        """(rows, 3) role emissions for rows of ``F.role_features`` (the cues' windows in a row)."""
        return np.einsum("nfl,f->nl", np.take(self.w.role, feats, axis=0), self._role_scale[v.has_vec])

    # -- stage 1
    def cues(self, v: F.DocView) -> list[tuple[list[int], float]]:
        """Decoded cues: (token run, mean margin of its tokens over O)."""
        idx = np.nonzero(~v.space)[0]
        if idx.size == 0:
            return []
        # One feature batch for the whole document (numpy's per-call cost dominates small arrays),
        # then one Viterbi per paragraph, skipped where no token leans towards a cue at all.
        emit = self.cue_scores(v, F.cue_features(v, idx))
        cuts = (np.nonzero(np.diff(v.para[idx]))[0] + 1).tolist()
        out = []
        for a, b in zip([0, *cuts], [*cuts, len(idx)], strict=True):
            e = emit[a:b]
            if not (e.argmax(axis=1) > 0).any():
                continue
            labels = viterbi(e, self._cue_trans)
            for run in runs(labels, idx[a:b], 2, begin=1):
                pos = np.searchsorted(idx, run)
                margin = float(np.mean(emit[pos, 1:].max(axis=1) - emit[pos, 0]))
                out.append((widen(v.doc, run), margin))
        return out

    # -- stage 2
    def roles(self, v: F.DocView, cues: list[list[int]]) -> list[tuple[list[list[int]], list[list[int]]]]:
        """(source token runs, content token runs) for each cue."""
        return [self._decode(e, idx) for e, idx in self._role_emissions(v, cues)]

    def _role_emissions(self, v: F.DocView, cues: list[list[int]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Masked role scores (window length, 3) and the token window of each cue, in batches."""
        out = []
        for k in range(0, len(cues), ROLE_BATCH):
            part = cues[k: k + ROLE_BATCH]
            feats, wins = F.role_features(v, part, [F.cue_key(v, c) for c in part])
            emit = self.role_scores(v, feats)
            r = 0
            for cue, idx in zip(part, wins, strict=True):
                out.append((emit[r: r + len(idx)] + role_mask(v, cue, idx), idx))
                r += len(idx)
        return out

    def _decode(self, e: np.ndarray, idx: np.ndarray) -> tuple[list[list[int]], list[list[int]]]:
        labels = viterbi(e, self.w.role_trans)
        return runs(labels, idx, 1), runs(labels, idx, 2)

    def predict_doc(self, doc: Any) -> list[SpanRelation]:
        """Relations in a parsed spaCy Doc (tagger, parser and lemmatizer needed; NER is not used).

        The tok2vec output (``doc.tensor``) is read when present, so pass Docs straight from the
        pipeline; without it the model still runs, slightly less accurately.
        """
        if len(doc) and not (doc.has_annotation("DEP") and doc.has_annotation("TAG")):
            raise ModelError("the attribution model needs a tagged and parsed Doc; run a spaCy pipeline "
                             "with tagger and parser (see claimgraph.attribute.spacy_load.load_nlp)")
        v = F.view(doc)
        cues = self.cues(v)
        emits = self._role_emissions(v, [c for c, _ in cues])
        found = [build_relations(doc, [cue], [self._decode(e, idx)]) for cue, (e, idx) in zip(cues, emits, strict=True)]
        for k, rel in enumerate(found):
            if not rel and CONTENT_RETRY:  # no content: see CONTENT_RETRY; the scores are reused
                e, idx = emits[k]
                found[k] = build_relations(doc, [cues[k]], [self._decode(e + RETRY_SHIFT, idx)])
        rels = [r for (cue, _), rel in zip(cues, found, strict=True) for r in rel if self._keep(doc, v, cue, r)]
        return add_headline(doc, add_signoffs(doc.text, rels))

    def _keep(self, doc: Any, v: F.DocView, cue: list[int], rel: SpanRelation) -> bool:
        """Whether a decoded relation stands: its cue is a predicate (NOT_PREDICATE), and it has a
        source or a speech verb for cue (see ``__init__``)."""
        if doc[F.cue_head(v, cue)].pos_ in NOT_PREDICATE:
            return False
        return bool(rel.source) or self.keep_sourceless or _speech_cue(doc, rel.cue)

    def predict_text(self, text: str, nlp: Any = None) -> list[SpanRelation]:
        return predict_text(self, text, nlp)


def _speech_cue(doc: Any, cue: tuple[tuple[int, int], ...]) -> bool:
    """Whether a cue holds a speech verb of the lexicon ("was reported", "according to"): such a
    cue without a source is a real relation ("..., it was reported") far more often than others."""
    span = doc.char_span(cue[0][0], cue[-1][1], alignment_mode="expand")
    return span is not None and any(t.lemma_.lower() in _SPEECH for t in span)


def add_headline(doc: Any, rels: list[SpanRelation]) -> list[SpanRelation]:
    """``rels`` with the speaker's headline of :mod:`.headline` first, unless a relation already
    reads its words."""
    found = headline_relation(doc)
    if found is None:
        return rels
    source, cue, content = found
    (a, b), = content
    if any(s < b and e > a for r in rels for s, e in r.content):
        return rels
    return [SpanRelation(source=source, cue=cue, content=content), *rels]


def add_signoffs(text: str, rels: list[SpanRelation]) -> list[SpanRelation]:
    """``rels`` with the quotes of ``text`` signed off by a dash and a name (:mod:`.signoff`) added;
    a relation read over the same quote from a cue outside it gives way (no other word there is a
    cue), while one inside it ("... Trump said Hispanics ...") is a relation of its own."""
    found = [SpanRelation(source=s, cue=c, content=q) for s, c, q in signoff_relations(text)]
    if not found:
        return rels
    quotes = [r.content[0] for r in found]
    kept = [r for r in rels if not any(a < e and b > s and not s <= r.cue[0][0] < e
                                       for a, b in r.content for s, e in quotes)]
    return sorted(kept + found, key=lambda r: r.content[0])


def build_relations(doc: Any, cues: list[Any], roles: list[Any]) -> list[SpanRelation]:
    """Relations from decoded cues (token span, margin) and their (source, content) token spans; the
    score is the cue margin squashed to 0..1. Shared by the default and the accurate model."""
    rels = []
    for (cue, margin), (src, con) in zip(cues, roles, strict=True):
        src, con = tidy(doc, cue, src, con)
        if not con:  # an attribution without content is no claim; the scorer ignores it too
            continue
        rels.append(SpanRelation(
            source=_char_spans(doc, src), cue=_char_spans(doc, [cue]), content=_char_spans(doc, con),
            score=round(1.0 / (1.0 + math.exp(-max(min(margin, 50.0), -50.0))), 4),
        ))
    return rels


def predict_text(model: Any, text: str, nlp: Any = None) -> list[SpanRelation]:
    """Parse ``text`` (without NER, which no model reads) and run ``model.predict_doc`` on it."""
    if nlp is None:
        from .spacy_load import load_nlp

        nlp = load_nlp(("ner",))
    return model.predict_doc(nlp(text))  # type: ignore[no-any-return]
