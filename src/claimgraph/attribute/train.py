"""Train the attribution span model on PolNeAR-format JSON Lines.

    python -m claimgraph.attribute.train --train ../shared/data/polnear/train.jsonl \\
        --out src/claimgraph/attribute/weights/span_model.npz

Each input line is ``{"id", "text", "relations": [{"source": [[s, e]], "cue": [[s, e]], "content": [...]}]}``.
Texts are parsed once with spaCy and kept as a DocBin under ``--cache`` (keyed by the file's size and
modification time), so later runs skip the parse.  Training is an averaged structured perceptron for
each stage; the result is deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from . import features as F
from .model import (
    CUE_LABELS,
    ROLE_LABELS,
    SpanModel,
    Weights,
    cue_constraints,
    role_mask,
    viterbi,
)
from .spacy_load import load_nlp

DISABLE = ("ner",)  # the model reads tags, lemmas and the parse only
# Training margins of the cue stage (see ``cue_cost``): a missed cue loses a whole relation, a false
# one costs precision only and the role stage often finds it no content, so a miss is priced higher.
# Chosen on held-out 15% slices of PolNeAR train (last, first, middle articles): relation F1@0.3
# (model + rules) was 73.9/71.9/71.8 without costs and the features.CUE_EXTRA columns, 74.9/73.8/73.2
# with both (miss cost 30: 73.7/73.0 on the first two; 20 and 60 no better on the last); symmetric
# costs (5) changed nothing, and a plain score bias at decoding time only lowered it (SpanModel.cue_bias).
MISS_COST = 45.0
FALSE_COST = 5.0


@dataclass
class Seq:
    feats: np.ndarray  # (n, F) bucket ids
    gold: np.ndarray  # (n,) label ids
    mask: np.ndarray | None = None  # (n, 3) additive constraints



def role_gold(v: Any, cue: list[int], idx: Any, src: set[int], con: set[int]) -> tuple[Any, Any]:
    """Gold role labels (0 outside, 1 source, 2 content) over a cue's window, and the window's
    decoder mask; a gold label the decoder may not emit becomes 0. Shared by both trainers."""
    lab = np.zeros(v.n, dtype=np.int64)
    lab[sorted(con - set(cue))] = 2
    lab[sorted(src - set(cue))] = 1
    mask = role_mask(v, cue, idx)
    gold = lab[idx]
    gold[mask[np.arange(len(idx)), gold] < 0] = 0
    return gold, mask

def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}", f"not valid JSON ({exc.msg})", "fix or remove the line") from exc
            if not isinstance(rec.get("text"), str):
                raise InputError(f"{path}:{n}", 'no string "text"', "each line needs id, text, relations")
            out.append(rec)
    return out


def parse_corpus(path: str | Path, records: list[dict[str, Any]], cache_dir: str | Path | None,
                 exact: bool = False) -> list[Any]:
    """spaCy Docs of the records' texts, from the DocBin cache when it matches the file.

    DocBin does not keep ``doc.tensor`` (the tok2vec output the model reads), so the tensors are
    cached beside it: in float16 for training (half the size of train's 146 MB), in float32 with
    ``exact`` — the evaluations, whose figures must be those of a fresh parse, as
    ``claimgraph attributions`` writes them (float16 moved dev's exact cue F1 by 0.1).
    """
    from spacy.tokens import DocBin

    nlp = load_nlp(DISABLE)
    cache = None
    if cache_dir is not None:
        st = os.stat(path)
        key = hashlib.sha1(f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}|{nlp.meta['name']}|t{'32' if exact else ''}".encode())
        cache = Path(cache_dir) / f"{Path(path).stem}-{key.hexdigest()[:12]}.spacy"
        tens = cache.with_suffix(".tensor.npy")
        if cache.is_file() and tens.is_file():
            docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
            flat = np.load(tens)
            if len(docs) == len(records) and len(flat) == sum(len(d) for d in docs):
                r = 0
                for d in docs:
                    d.tensor = flat[r: r + len(d)].astype(np.float32)
                    r += len(d)
                return docs
    docs = list(nlp.pipe((r["text"] for r in records), batch_size=16))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        db = DocBin(attrs=["ORTH", "TAG", "POS", "HEAD", "DEP", "LEMMA", "SENT_START", "MORPH"])
        for d in docs:
            db.add(d)
        db.to_disk(cache)
        np.save(cache.with_suffix(".tensor.npy"),
                np.concatenate([d.tensor for d in docs]).astype(np.float32 if exact else np.float16))
    return docs


def span_tokens(v: F.DocView, starts: np.ndarray, ends: np.ndarray, spans: list[list[int]]) -> list[int]:
    """Non-space tokens overlapping any of the character spans."""
    out: set[int] = set()
    for s, e in spans:
        hit = np.nonzero((starts < e) & (ends > s) & ~v.space)[0]
        out.update(hit.tolist())
    return sorted(out)


def gold_relations(v: F.DocView, rec: dict[str, Any]) -> dict[tuple[int, ...], tuple[set[int], set[int]]]:
    """cue tokens -> (source tokens, content tokens), relations sharing a cue merged."""
    doc = v.doc
    starts = np.array([t.idx for t in doc], dtype=np.int64)
    ends = starts + np.array([len(t.text) for t in doc], dtype=np.int64)
    out: dict[tuple[int, ...], tuple[set[int], set[int]]] = {}
    for r in rec.get("relations", []):
        cue = span_tokens(v, starts, ends, r.get("cue", []))
        if not cue:
            continue
        src, con = out.setdefault(tuple(cue), (set(), set()))
        src.update(span_tokens(v, starts, ends, r.get("source", [])))
        con.update(span_tokens(v, starts, ends, r.get("content", [])))
    return out


def build(records: list[dict[str, Any]], docs: list[Any]) -> tuple[list[Seq], list[Seq]]:
    cue_seqs: list[Seq] = []
    role_seqs: list[Seq] = []
    for rec, doc in zip(records, docs, strict=True):
        v = F.view(doc)
        rels = gold_relations(v, rec)
        cue_lab = np.zeros(v.n, dtype=np.int64)
        for toks in rels:
            cue_lab[list(toks)] = 2
            cue_lab[toks[0]] = 1
        idx_all = np.nonzero(~v.space)[0]
        if idx_all.size:
            feats = F.cue_features(v, idx_all)
            cuts = (np.nonzero(np.diff(v.para[idx_all]))[0] + 1).tolist()
            for a, b in zip([0, *cuts], [*cuts, len(idx_all)], strict=True):
                cue_seqs.append(Seq(feats[a:b], cue_lab[idx_all[a:b]]))
        cues: list[list[int]] = [list(c) for c in rels]
        feats, wins = F.role_features(v, cues, [F.cue_key(v, c) for c in cues])
        r = 0
        for cue, idx, (src, con) in zip(cues, wins, rels.values(), strict=True):
            gold, mask = role_gold(v, cue, idx, src, con)
            role_seqs.append(Seq(feats[r: r + len(idx)], gold, mask))
            r += len(idx)
    return cue_seqs, role_seqs


def cue_cost(miss: float = MISS_COST, false: float = FALSE_COST) -> np.ndarray:
    """(gold x predicted) cost of the cue labels O/B/I: ``miss`` for O on a cue token, ``false`` for
    every other mistake (a cue where there is none, or B/I confused)."""
    c = np.full((len(CUE_LABELS), len(CUE_LABELS)), false, dtype=np.float32)
    np.fill_diagonal(c, 0.0)
    c[1:, 0] = miss
    return c


def perceptron(seqs: list[Seq], n_labels: int, epochs: int, seed: int, constraints: np.ndarray | None,
               label: str, scale: np.ndarray | None = None,
               cost: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Averaged structured perceptron (Collins 2002) with the running-sum averaging trick.

    ``cost`` (gold label x predicted label) makes it cost-sensitive: while training, each wrong label
    of a token gets its cost added to its score (loss-augmented decoding), so an update happens until
    the gold label wins by that margin. A larger cost for some mistakes (a missed cue) pushes the
    weights further away from making them."""
    rng = np.random.default_rng(seed)
    size = 1 << F.HASH_BITS
    w = np.zeros((size, n_labels), dtype=np.float32)
    u = np.zeros((size, n_labels), dtype=np.float32)
    t = np.zeros((n_labels + 1, n_labels), dtype=np.float32)
    tu = np.zeros_like(t)
    c = 1.0
    cons = constraints if constraints is not None else np.zeros_like(t)
    order = np.arange(len(seqs))
    for ep in range(epochs):
        rng.shuffle(order)
        wrong = total = 0
        t0 = time.time()
        for k in order:
            s = seqs[k]
            emit = w[s.feats].sum(axis=1) if scale is None else np.einsum("nfl,f->nl", w[s.feats], scale)
            if s.mask is not None:
                emit += s.mask
            if cost is not None:
                emit += cost[s.gold]
            pred = viterbi(emit, t + cons)
            total += len(pred)
            bad = np.nonzero(pred != s.gold)[0]
            if bad.size:
                wrong += bad.size
                f = s.feats[bad]
                nf = f.shape[1]
                g = np.repeat(s.gold[bad], nf)
                p = np.repeat(pred[bad], nf)
                flat = f.ravel()
                val = np.ones(flat.shape, np.float32) if scale is None else np.tile(scale, len(bad))
                np.add.at(w, (flat, g), val)
                np.add.at(w, (flat, p), -val)
                np.add.at(u, (flat, g), c * val)
                np.add.at(u, (flat, p), -c * val)
                prev_g = np.concatenate([[n_labels], s.gold[:-1]])
                prev_p = np.concatenate([[n_labels], pred[:-1]])
                np.add.at(t, (prev_g, s.gold), 1.0)
                np.add.at(t, (prev_p, pred), -1.0)
                np.add.at(tu, (prev_g, s.gold), c)
                np.add.at(tu, (prev_p, pred), -c)
            c += 1.0
        print(f"  {label} epoch {ep + 1}: token errors {wrong}/{total} ({time.time() - t0:.0f}s)",
              file=sys.stderr, flush=True)
    return w - u / c, t - tu / c


def train(train_path: str, out_path: str, epochs: int = 12, seed: int = 1, cache_dir: str | None = None,
          dev_path: str | None = None, miss_cost: float = MISS_COST, false_cost: float = FALSE_COST,
          cue_runs: int = 3) -> Weights:
    t0 = time.time()
    records = read_jsonl(train_path)
    docs = parse_corpus(train_path, records, cache_dir)
    print(f"parsed {len(docs)} articles ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
    cue_seqs, role_seqs = build(records, docs)
    print(f"built {len(cue_seqs)} paragraphs, {len(role_seqs)} cues ({time.time() - t0:.0f}s)",
          file=sys.stderr, flush=True)
    # The cue stage is trained CUE_RUNS times on differently shuffled data and the weights averaged:
    # on a held-out slice of train, three runs gave relation F1@0.3 74.2 against one run's 73.8.
    cue_w = np.zeros((1 << F.HASH_BITS, len(CUE_LABELS)), np.float32)
    cue_t = np.zeros((len(CUE_LABELS) + 1, len(CUE_LABELS)), np.float32)
    for k in range(cue_runs):
        w1, t1 = perceptron(cue_seqs, len(CUE_LABELS), epochs, seed + k, cue_constraints(), "cue", F.cue_scale(),
                            cue_cost(miss_cost, false_cost))
        cue_w += w1 / cue_runs
        cue_t += t1 / cue_runs
        del w1
    del cue_seqs
    role_w, role_t = perceptron(role_seqs, len(ROLE_LABELS), epochs, seed, None, "role", F.role_scale())
    meta = {"train": Path(train_path).name, "articles": len(records), "epochs": epochs, "seed": seed,
            "miss_cost": miss_cost, "false_cost": false_cost, "cue_runs": cue_runs,
            "spacy": load_nlp(DISABLE).meta["name"]}
    weights = Weights(cue_w, cue_t, role_w, role_t, meta)
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    weights.save(out_path)
    print(f"wrote {out_path} ({os.path.getsize(out_path) / 1e6:.1f} MB, {time.time() - t0:.0f}s)",
          file=sys.stderr, flush=True)
    if dev_path:
        evaluate(SpanModel(weights), dev_path, cache_dir)
    return weights


def evaluate(model: SpanModel, dev_path: str, cache_dir: str | None) -> None:
    """Quick figure while training: exact cue F1 on ``dev_path`` (the scorer gives the real ones)."""
    records = read_jsonl(dev_path)
    docs = parse_corpus(dev_path, records, cache_dir)
    tp = fp = fn = 0
    for rec, doc in zip(records, docs, strict=True):
        v = F.view(doc)
        gold = set(gold_relations(v, rec))
        pred = {tuple(c) for c, _ in model.cues(v)}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    print(f"dev cue tokens exact: P {100 * p:.1f} R {100 * r:.1f} F1 {200 * p * r / max(p + r, 1e-9):.1f}",
          file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m claimgraph.attribute.train", description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True, help="PolNeAR-format JSON Lines to learn from")
    ap.add_argument("--out", required=True, help="where to write the weights (.npz)")
    ap.add_argument("--dev", help="optional held-out JSON Lines for a quick cue figure")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--miss-cost", type=float, default=MISS_COST, help="training margin against a missed cue token")
    ap.add_argument("--false-cost", type=float, default=FALSE_COST, help="training margin against other cue mistakes")
    ap.add_argument("--cue-runs", type=int, default=3, help="cue-stage runs (seeds seed, seed+1, ...) averaged")
    ap.add_argument("--cache", default=".cache/attribution", help="DocBin cache folder ('' for none)")
    args = ap.parse_args(argv)
    try:
        train(args.train, args.out, args.epochs, args.seed, args.cache or None, args.dev, args.miss_cost,
              args.false_cost, args.cue_runs)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
