"""Features for the attribution span model, computed from one spaCy ``Doc``.

Speed matters more than elegance here: the whole attribution stage must cost less than the spaCy
pass that feeds it.  So every token's *intrinsic* properties (word, lemma, tags, neighbours) are
hashed once per document into integer arrays, and the features of a (token, cue) pair are made by
mixing those integers with a handful of cue-relative categories (side, distance, dependency path,
quote state) in numpy.  Only the dependency path is computed per pair in Python, and that is a
short walk up the tree.

Feature ids are hashes folded into ``2**HASH_BITS`` buckets; collisions are rare enough at 2**21 to
cost nothing measurable, and a fixed table keeps the shipped weights a plain dense array.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.strings import get_string_id

from . import lexicon as LX

HASH_BITS = 22
MASK = np.uint64((1 << HASH_BITS) - 1)
_P1 = np.uint64(0x9E3779B97F4A7C15)
_P2 = np.uint64(0xC2B2AE3D27D4EB4F)
_S31 = np.uint64(31)
_S29 = np.uint64(29)

# Child dependencies that tell a speech verb from an ordinary one ("said that ...", "told X").
_SIGNATURE_DEPS = frozenset(
    ["nsubj", "nsubjpass", "ccomp", "xcomp", "dobj", "dative", "mark", "advcl", "attr", "agent", "parataxis",
     "acl", "poss", "neg", "relcl"]
)
_OPEN_QUOTES = frozenset(["\u201c", "\u2018", "``"])
_CLOSE_QUOTES = frozenset(["\u201d", "\u2019", "''"])
_TOGGLE_QUOTES = frozenset(['"'])


@lru_cache(maxsize=500_000)
def h(s: str) -> int:
    """Stable 32-bit hash of a feature string (Python's ``hash`` is salted per process)."""
    return zlib.crc32(s.encode("utf-8"))


def mix(slot: int, *parts: np.ndarray) -> np.ndarray:
    """Combine integer feature parts (arrays of equal shape) into bucket ids for feature ``slot``."""
    x = np.full(parts[0].shape, (slot + 1) * 0x2545F491, dtype=np.uint64)
    for p in parts:  # in place: the same wrapping arithmetic without a new array per step
        x ^= p.astype(np.uint64, copy=False)
        x *= _P1
        x ^= x >> _S31
    x *= _P2
    x ^= x >> _S29
    return (x & MASK).astype(np.int32)


# sorted: a frozenset's order changes with the process's string hash seed, and the bit order must not
_SIG_IDS = [get_string_id(d) for d in sorted(_SIGNATURE_DEPS)]
_MARK, _CCOMP = get_string_id("mark"), get_string_id("ccomp")
_PUNCT = np.uint64(get_string_id("PUNCT"))
_NSUBJ, _DOBJ, _PREP = get_string_id("nsubj"), get_string_id("dobj"), get_string_id("prep")
TENSOR_WIDTH = 96  # en_core_web_sm's tok2vec width
# tok2vec values are roughly centred with unit spread (measured on PolNeAR); four bins per dimension
# turn each dimension into a few indicator features a linear model can weigh non-monotonically.
_TENSOR_CUTS = np.array([-0.5, 0.0, 0.5], dtype=np.float32)
# The tensor columns fire on every token; at full strength their perceptron updates swamp the sparse
# features (dev cue recall fell 4 points), so they count for a tenth of a sparse feature.
TENSOR_SCALE = 0.1
CUE_SPARSE = 42  # sparse columns of cue_features, before the tensor ones
# Sparse columns after the tensor ones: the accurate model reads the first CUE_SPARSE columns only,
# so these can change without touching its inputs.
CUE_EXTRA = 8
ROLE_SPARSE = 30  # sparse columns of role_features


def role_scale(has_vec: bool = True) -> np.ndarray:
    """Value of each role_features column (indicator features, scaled per column)."""
    t = TENSOR_SCALE if has_vec else 0.0
    return np.concatenate([np.ones(ROLE_SPARSE, np.float32), np.full(TENSOR_WIDTH, t, np.float32)])


def cue_scale(has_vec: bool = True) -> np.ndarray:
    """Value of each cue_features column (indicator features, scaled per column)."""
    t = TENSOR_SCALE if has_vec else 0.0
    return np.concatenate([np.ones(CUE_SPARSE, np.float32), np.full(TENSOR_WIDTH, t, np.float32),
                           np.ones(CUE_EXTRA, np.float32)])
# Word classes of the shared lexicon, as bits: a rare speech verb or claim noun seen a few times in
# training still shares these features with the frequent ones ("opined" with "said").
_LEX_CLASSES = (
    LX.SPEECH_VERBS, LX.OPINION | LX.PREDICT, LX.ACCUSE | LX.DENY, LX.APPEAL_VERBS | {"call"},
    LX.CLAIM_NOUNS | LX.SETTING_NOUNS | LX.INFORMATION_NOUNS, LX.CITING_VERBS | LX.CONTACT_VERBS,
    LX.HEDGES,
)


@lru_cache(maxsize=100_000)
def _lex_bits(lemma: str) -> int:
    return sum(1 << k for k, words in enumerate(_LEX_CLASSES) if lemma in words)


_XCOMP, _CSUBJ, _ACL, _AUX = get_string_id("xcomp"), get_string_id("csubj"), get_string_id("acl"), get_string_id("aux")
_TO, _POBJ = get_string_id("to"), get_string_id("pobj")
_QUOTE_IDS = {get_string_id(q): q for q in _OPEN_QUOTES | _CLOSE_QUOTES | _TOGGLE_QUOTES}
_ATTRS = ["LOWER", "LEMMA", "POS", "TAG", "DEP", "HEAD", "SENT_START", "IS_SPACE", "ORTH", "SHAPE", "SUFFIX"]


@lru_cache(maxsize=4096)
def _coarse_shape(shape: str) -> int:
    """spaCy's shape ("Xxxxx", "dd.d") folded to a few classes that generalise across words."""
    if "x" not in shape and "X" in shape and len(shape) > 1:
        cls = "XX"
    elif shape[:1] == "X":
        cls = "Xx"
    elif shape and set(shape) <= {"d"}:
        cls = "d"
    elif shape and set(shape) <= {"x", "X"}:
        cls = "x"
    else:
        cls = "p" if not any(c in "xXd" for c in shape) else "m"
    return h(cls)


@dataclass
class DocView:
    """Per-document arrays shared by both stages (built once by :func:`view`)."""

    doc: Any
    n: int
    dep: np.ndarray  # dependency label ids (spaCy string hashes)
    head: list[int]
    sent: np.ndarray  # sentence number per token
    para: np.ndarray  # paragraph number per token (paragraphs are split at newlines)
    space: np.ndarray  # bool: a white-space token, never part of a span
    quote: np.ndarray  # quoted-segment number per token, 0 outside quotes
    ih: dict[str, np.ndarray]  # hashed intrinsic properties, one uint64 array per name
    vec: np.ndarray  # (n, TENSOR_WIDTH) binned tok2vec output, as feature ids (zeros when absent)
    has_vec: bool = True  # False: no tensor, the tensor columns must be given no weight

    def ancestors(self, i: int) -> list[int]:
        out = [i]
        head = self.head
        while head[out[-1]] != out[-1] and len(out) < 64:  # the cap guards against a broken parse
            out.append(head[out[-1]])
        return out

    def lemma(self, i: int) -> str:
        return str(self.doc[i].lemma_).lower()


def view(doc: Any) -> DocView:
    """Everything the features need from ``doc``, read with one ``to_array`` call and numpy."""
    n = len(doc)
    a = doc.to_array(_ATTRS) if n else np.zeros((0, len(_ATTRS)), dtype=np.uint64)
    lower, lemma, pos, tag, dep, rel_head, sstart, is_space, orth, shape, suffix = a.T
    head = np.arange(n, dtype=np.int64) + rel_head.astype(np.int64)
    sent = np.cumsum(sstart.astype(np.int64) == 1).astype(np.int32)
    if n and sstart[0] != 1:
        sent += 1
    sent -= 1
    space = is_space.astype(bool)
    breaks = np.zeros(n, dtype=np.int32)
    for i in np.nonzero(space)[0].tolist():
        if "\n" in doc[i].text:
            breaks[i] = 1
    para = np.cumsum(breaks).astype(np.int32)
    quote = _quotes(orth, para)
    sig = np.zeros(n, dtype=np.uint64)
    for k, d in enumerate(_SIG_IDS):
        np.bitwise_or.at(sig, head[dep == d], np.uint64(1 << k))
    has_mark = np.zeros(n, dtype=bool)
    has_mark[head[dep == _MARK]] = True
    that = np.zeros(n, dtype=np.uint64)
    that[head[(dep == _CCOMP) & has_mark]] = 1
    subj = np.zeros(n, dtype=np.uint64)
    subj[head[dep == _NSUBJ]] = lemma[dep == _NSUBJ]
    subj_pos = np.zeros(n, dtype=np.uint64)
    subj_pos[head[dep == _NSUBJ]] = pos[dep == _NSUBJ]
    last = np.concatenate([sent[1:] != sent[:-1], [True]]) if n else np.zeros(0, dtype=bool)
    first = np.concatenate([[True], sent[1:] != sent[:-1]]) if n else np.zeros(0, dtype=bool)
    spos = (first * 1 + last * 2).astype(np.uint64)
    obj = np.zeros(n, dtype=np.uint64)
    obj[head[dep == _DOBJ]] = lemma[dep == _DOBJ]
    prep = np.zeros(n, dtype=np.uint64)
    prep[head[dep == _PREP]] = lower[dep == _PREP]
    sent_quoted = np.zeros(int(sent.max()) + 1 if n else 0, dtype=np.uint64)
    sent_quoted[sent[quote > 0]] = 1
    sq = sent_quoted[sent] * 2 + (quote > 0)
    nxt = np.concatenate([orth[1:], [np.uint64(0)]])
    cue_punct = np.isin(nxt, np.array([get_string_id(x) for x in (":", '"', "\u201c", ",", "that")], dtype=np.uint64))
    uniq, inv = np.unique(shape, return_inverse=True)
    shape_c = np.array([_coarse_shape(doc.vocab.strings[int(x)]) for x in uniq.tolist()], dtype=np.uint64)[inv]
    uniq, inv = np.unique(lemma, return_inverse=True)
    lex = np.array([_lex_bits(doc.vocab.strings[int(x)].lower()) for x in uniq.tolist()], dtype=np.uint64)[inv]
    # What a token governs that marks a reported clause: a complement ("said (that) ..."), a clausal
    # subject ("What he said was ..."), a "that" clause on a noun ("the claim that ...") or an
    # infinitive ("vowed to ...").
    to_inf = np.zeros(n, dtype=bool)
    to_inf[head[(dep == _AUX) & (lower == _TO)]] = True
    clause = np.zeros(n, dtype=np.uint64)
    for k, sel in enumerate((dep == _CCOMP, dep == _XCOMP, dep == _CSUBJ, (dep == _ACL) & has_mark,
                             (dep == _XCOMP) & to_inf)):
        np.bitwise_or.at(clause, head[sel], np.uint64(1 << k))
    # A preposition's object says whether it introduces a source: "in a statement", "in a poll",
    # "according to", "based on".
    pobj = np.zeros(n, dtype=np.uint64)
    pobj[head[dep == _POBJ]] = lemma[dep == _POBJ]
    pobj_lex = np.zeros(n, dtype=np.uint64)
    pobj_lex[head[dep == _POBJ]] = lex[dep == _POBJ]
    ih = {
        "lex": lex, "hlex": lex[head], "cl": clause, "pobj": pobj, "plex": pobj_lex,
        "w": lower, "l": lemma, "p": pos, "t": tag, "d": dep, "sh": shape_c, "suf": suffix,
        "hl": lemma[head], "hp": pos[head], "hd": dep[head], "ghl": lemma[head[head]],
        "sig": sig, "that": that, "nx": np.where(cue_punct, nxt, np.uint64(1)),
        "subj": subj, "obj": obj, "prep": prep, "sq": sq, "sp": subj_pos, "spos": spos,
        "hsig": sig[head],
    }
    vec = _tensor_ids(doc, n)
    if vec is _NO_TENSOR:
        # A Doc from a pipeline without tok2vec (or from a DocBin): the tensor columns point at
        # bucket 0 and the model zeroes their scale, so it runs on its sparse features alone.
        return DocView(doc, n, dep, head.tolist(), sent, para, space, quote, ih,
                       np.zeros((n, TENSOR_WIDTH), dtype=np.int32), False)
    return DocView(doc, n, dep, head.tolist(), sent, para, space, quote, ih, vec, True)


_NO_TENSOR = np.zeros((0, TENSOR_WIDTH), dtype=np.int32)


def _tensor_ids(doc: Any, n: int) -> np.ndarray:
    t = getattr(doc, "tensor", None)
    if t is None or getattr(t, "shape", None) != (n, TENSOR_WIDTH):
        return _NO_TENSOR
    bins = np.digitize(np.asarray(t, dtype=np.float32), _TENSOR_CUTS).astype(np.uint64)
    dims = np.arange(TENSOR_WIDTH, dtype=np.uint64)[None, :] * np.uint64(4)
    return mix(300, bins + dims + np.uint64(1))


def _quotes(orth: np.ndarray, para: np.ndarray) -> np.ndarray:
    """Quoted-segment number per token (0 outside quotes); the marks count as inside, so a quote's
    edges share its number; an unclosed quote stops at the paragraph's end."""
    n = len(orth)
    quote = np.zeros(n, dtype=np.int32)
    marks = np.nonzero(np.isin(orth, np.array(list(_QUOTE_IDS), dtype=np.uint64)))[0].tolist()
    q_id = 0
    open_at = -1
    for i in marks:
        q = _QUOTE_IDS[int(orth[i])]
        if open_at >= 0 and para[open_at] != para[i]:
            quote[open_at: np.searchsorted(para, para[open_at], side="right")] = q_id
            open_at = -1
        if q in _OPEN_QUOTES or (q in _TOGGLE_QUOTES and open_at < 0):
            if open_at >= 0:  # a second opening mark: close the first segment before it
                quote[open_at:i] = q_id
            q_id += 1
            open_at = i
        elif open_at >= 0:
            quote[open_at: i + 1] = q_id
            open_at = -1
    if open_at >= 0:
        quote[open_at: np.searchsorted(para, para[open_at], side="right")] = q_id
    return quote


def _hash_list(values: list[str]) -> np.ndarray:
    return np.fromiter((h(v) for v in values), dtype=np.uint64, count=len(values))


def _shift(a: np.ndarray, k: int, fill: int, group: np.ndarray | None = None) -> np.ndarray:
    """``a`` moved by ``k`` positions (k>0: value of the token k before), padded with ``fill``;
    with ``group`` (e.g. paragraph numbers) values never cross from one group into another."""
    out = np.full_like(a, fill)
    if k > 0:
        out[k:] = a[:-k]
        if group is not None:
            out[k:][group[k:] != group[:-k]] = fill
    elif k < 0:
        out[:k] = a[-k:]
        if group is not None:
            out[:k][group[:k] != group[-k:]] = fill
    else:
        out[:] = a
    return out


def paragraphs(v: DocView) -> list[np.ndarray]:
    """Token indices of each paragraph, white space left out: the unit of cue tagging."""
    idx = np.nonzero(~v.space)[0]
    if idx.size == 0:
        return []
    cuts = np.nonzero(np.diff(v.para[idx]))[0] + 1
    return [a for a in np.split(idx, cuts) if a.size]


# ---------------------------------------------------------------- stage 1: cues


def cue_features(v: DocView, idx: np.ndarray) -> np.ndarray:
    """Feature ids (len(idx), F) for tagging cue tokens over the token indices ``idx`` (may span
    several paragraphs: neighbour features stop at paragraph ends)."""
    g = {k: a[idx] for k, a in v.ih.items()}
    para = v.para[idx]
    w, lem, pos, tag, dep = g["w"], g["l"], g["p"], g["t"], g["d"]
    bos, eos = h("<s>"), h("</s>")
    wp, wn = _shift(w, 1, bos, para), _shift(w, -1, eos, para)
    wp2, wn2 = _shift(w, 2, bos, para), _shift(w, -2, eos, para)
    lp = _shift(lem, 1, bos, para)
    pp, pn = _shift(pos, 1, bos, para), _shift(pos, -1, eos, para)
    q = (v.quote[idx] > 0).astype(np.uint64)
    feats = [
        mix(0, w), mix(1, lem), mix(2, pos), mix(3, tag), mix(4, lem, dep), mix(5, lem, g["sig"]),
        mix(6, lem, pos), mix(7, lem, q), mix(8, wp), mix(9, wn), mix(10, wp2), mix(11, wn2),
        mix(12, lp, lem), mix(13, lem, wn), mix(14, pp, pos, pn), mix(15, dep, g["hl"]),
        mix(16, lem, g["hl"]), mix(17, lem, g["hd"]), mix(18, w, dep, g["hl"], g["ghl"]),
        mix(19, lem, g["that"]), mix(20, lem, g["nx"]), mix(21, tag, g["sig"]), mix(22, g["suf"], pos),
        mix(23, w, wn), mix(24, wp, w), mix(25, lem, dep, g["sig"]), mix(26, dep, g["hp"], pos),
        mix(27, g["sh"], pos), mix(28, lem, tag, q), mix(29, wp, w, wn),
        mix(30, lem, g["subj"]), mix(31, lem, g["obj"]), mix(32, lem, g["prep"]), mix(33, lem, g["sq"]),
        mix(34, pos, g["subj"]), mix(35, lem, g["sig"], g["sq"]),
        mix(36, lem, g["sp"]), mix(37, lem, g["spos"]), mix(38, lem, wp2), mix(39, lem, g["hsig"]),
        mix(40, w, g["ghl"]),
    ]
    bias = np.full(len(idx), 7, dtype=np.int32)
    lex, cl = g["lex"], g["cl"]
    extra = [
        mix(41, lex, pos, dep), mix(42, lex, g["sig"]), mix(43, g["hlex"], pos, dep), mix(44, pos, cl, dep),
        mix(45, lex, cl, g["sq"]), mix(46, lem, cl), mix(47, lem, g["pobj"]), mix(48, lem, g["plex"], g["hl"]),
    ]
    return np.concatenate([np.stack([*feats, bias], axis=1), v.vec[idx], np.stack(extra, axis=1)], axis=1)


# ---------------------------------------------------------------- stage 2: source and content

_M64 = (1 << 64) - 1


def _ih(*parts: int) -> int:
    """Deterministic hash of a few integers (Python's tuple hash is not promised stable)."""
    x = 0x51ED27
    for p in parts:
        x = ((x ^ p) * 0x9E3779B97F4A7C15) & _M64
        x ^= x >> 31
    return x


def _bucket(d: int) -> int:
    if d <= 3:
        return d
    if d <= 5:
        return 5
    if d <= 10:
        return 10
    if d <= 20:
        return 20
    return 99


_DIST_BUCKET = np.array([_bucket(d) for d in range(32)] + [99], dtype=np.uint64)


def cue_head(v: DocView, cue: list[int]) -> int:
    """The cue token whose syntactic head lies outside the cue (the first one when several do)."""
    inside = set(cue)
    for i in cue:
        if v.head[i] not in inside or v.head[i] == i:
            return i
    return cue[0]


def window(v: DocView, cue: list[int], before: int = 2, after: int = 4) -> np.ndarray:
    """Tokens that may hold the cue's source or content: its paragraph, from ``before`` sentences
    before the cue to ``after`` sentences after it (99% of PolNeAR's parts lie in there).

    A cue that ends its paragraph ("The Times reports:") introduces the next paragraph, so that one
    joins the window too."""
    c0, c1 = cue[0], cue[-1]
    s0 = v.sent[c0]
    p0 = v.para[c0]
    mask = (v.para == p0) & ~v.space & (v.sent >= s0 - before) & (v.sent <= s0 + after)
    rest = np.nonzero(mask[c1 + 1:])[0]
    if rest.size <= 1 and (rest.size == 0 or v.ih["p"][c1 + 1 + rest[0]] == _PUNCT):
        nxt = (v.para == p0 + 1) & ~v.space
        first = np.nonzero(nxt)[0]
        if first.size:
            mask |= nxt & (v.sent <= v.sent[first[0]] + after)
    # A cap in tokens, for text without sentence punctuation: the window, and so the cost per cue,
    # stays bounded (never binding on PolNeAR, whose longest window is far shorter).
    lo, hi = max(c0 - MAX_BEFORE, 0), c1 + MAX_AFTER
    mask[:lo] = False
    mask[hi:] = False
    return np.nonzero(mask)[0]


MAX_BEFORE = 120
MAX_AFTER = 400

# path kinds
_CUE, _SENT, _DOWN, _ANC, _UP, _NONE = 1, 2, 3, 4, 5, 6


@lru_cache(maxsize=1 << 18)
def _ihc(*parts: int) -> int:
    """:func:`_ih`, remembered: the paths take few distinct values and are asked for a million
    times per few hundred articles."""
    return _ih(*parts)


def _path(j: int, hd: int, anc_h: list[int], pos_h: dict[int, int], cue: set[int], sent: list[int],
          dep: list[int], anc: Any) -> tuple[int, int]:
    """(fine, coarse) ids of the dependency path from the cue head ``hd`` to token ``j``; ``sent``
    and ``dep`` are the view's arrays as lists and ``anc(j)`` gives j's ancestors (remembered per
    document by the caller): reading numpy arrays one element at a time cost more than the walk."""
    if j in cue:
        return _CUE, _CUE
    off = sent[j] - sent[hd]
    if off:
        x = _ihc(_SENT, off)
        return x, x
    anc_j = anc(j)
    for k, a in enumerate(anc_j):
        m = pos_h.get(a)
        if m is None:
            continue
        if m == 0:  # the cue head dominates j: the branch it hangs from says most
            d = dep[anc_j[k - 1]]
            return _ihc(_DOWN, d, min(k, 3)), _ihc(_DOWN, d)
        if k == 0:  # j dominates the cue
            d = dep[anc_h[m - 1]]
            return _ihc(_ANC, d, min(m, 3)), _ihc(_ANC, d)
        up1 = dep[anc_h[0]]
        up2 = dep[anc_h[1]] if m > 1 else 0
        return _ihc(_UP, up1, up2, min(m, 3), dep[anc_j[k - 1]]), _ihc(_UP)
    return _NONE, _NONE


def role_features(v: DocView, cues: list[list[int]], keys: list[int]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Features for labelling the tokens around each cue as its source / content / other.

    ``keys`` holds one id per cue for its lemmas (see :func:`cue_key`).  All cues of a document are
    done in one batch — the numpy work per call is what costs, not the rows — and the result is
    (rows, F) with the cues' windows one after another, plus each cue's window.
    """
    wins = [window(v, c) for c in cues]
    if not wins:
        return np.zeros((0, ROLE_SPARSE + TENSOR_WIDTH), dtype=np.int32), []
    idx = np.concatenate(wins)
    fine_l: list[int] = []
    coarse_l: list[int] = []
    sent_l, dep_l = v.sent.tolist(), v.dep.tolist()
    anc_memo: dict[int, list[int]] = {}

    def anc(j: int) -> list[int]:  # the cues' windows overlap: each token's walk is done once
        a = anc_memo.get(j)
        if a is None:
            a = anc_memo[j] = v.ancestors(j)
        return a

    c0s = np.empty(len(idx), dtype=np.int64)
    c1s = np.empty(len(idx), dtype=np.int64)
    ck = np.empty(len(idx), dtype=np.uint64)
    chd = np.empty(len(idx), dtype=np.int64)
    seg = np.empty(len(idx), dtype=np.int64)
    r = 0
    for n_cue, (cue, win, key) in enumerate(zip(cues, wins, keys, strict=True)):
        hd = cue_head(v, cue)
        anc_h = v.ancestors(hd)
        pos_h = {a: m for m, a in enumerate(anc_h)}
        cue_set = set(cue)
        k = len(win)
        for j in win.tolist():
            f, c = _path(j, hd, anc_h, pos_h, cue_set, sent_l, dep_l, anc)
            fine_l.append(f)
            coarse_l.append(c)
        c0s[r: r + k] = cue[0]
        c1s[r: r + k] = cue[-1]
        ck[r: r + k] = key
        chd[r: r + k] = hd
        seg[r: r + k] = n_cue
        r += k
    fine = np.array(fine_l, dtype=np.uint64)
    coarse = np.array(coarse_l, dtype=np.uint64)
    side = np.where(idx < c0s, 1, np.where(idx > c1s, 2, 0)).astype(np.uint64)
    dist = np.where(idx < c0s, c0s - idx, np.where(idx > c1s, idx - c1s, 0))
    dist_b = _DIST_BUCKET[np.minimum(dist, 32)]
    sent_off = (v.sent[idx] - v.sent[c0s] + 8).astype(np.uint64)
    qj = v.quote[idx]
    qc = v.quote[c0s]
    qstate = ((qj > 0) * 1 + (qc > 0) * 2 + ((qj == qc) & (qj > 0)) * 4).astype(np.uint64)
    ch = v.ih["l"][chd]
    g = {name: a[idx] for name, a in v.ih.items()}
    w, lem, pos, tag, dep = g["w"], g["l"], g["p"], g["t"], g["d"]
    bos, eos = h("<s>"), h("</s>")
    wp, wn = _shift(w, 1, bos, seg), _shift(w, -1, eos, seg)
    pp, pn = _shift(pos, 1, bos, seg), _shift(pos, -1, eos, seg)
    path_n = _shift(fine, -1, eos, seg)
    path_p = _shift(fine, 1, bos, seg)
    path = fine
    feats = [
        mix(100, path), mix(101, coarse, side), mix(102, side, dist_b), mix(103, sent_off),
        mix(104, qstate, side), mix(105, path, ck), mix(106, side, dist_b, ck), mix(107, coarse, ck, side),
        mix(108, path, pos), mix(109, path, dep), mix(110, side, w), mix(111, side, lem),
        mix(112, side, pos, dist_b), mix(113, side, tag), mix(114, sent_off, pos), mix(115, qstate, pos),
        mix(116, qstate, path), mix(117, side, wp), mix(118, side, wn), mix(119, side, pp, pos, pn),
        mix(120, path_p, path), mix(121, path, path_n), mix(122, ch, side, dep), mix(123, coarse, g["sh"], side),
        mix(124, sent_off, qstate), mix(125, side, dep, g["hd"]), mix(126, ck, side, pos),
        mix(127, path, w), mix(128, side, g["hl"], dep),
    ]
    bias = np.full(len(idx), 11, dtype=np.int32)
    vec = mix(400, v.vec[idx], side[:, None])
    return np.concatenate([np.stack([*feats, bias], axis=1), vec], axis=1), wins


def cue_key(v: DocView, cue: list[int]) -> int:
    """Id of the cue's lemmas ("say", "according to"), lower-cased."""
    return h(" ".join(v.lemma(i) for i in cue))
