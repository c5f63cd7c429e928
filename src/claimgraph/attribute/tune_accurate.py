"""Fine-tune the accurate model's top MiniLM layers together with its two heads.

    python -m claimgraph.attribute.tune_accurate [--init weights/accurate_heads.pt] [--out FILE.pt]
        [--first 3] [--epochs 3] [--hold 60]

The heads of :mod:`.train_accurate` read a frozen encoder; here the encoder's layers above
``--first`` (1-based; 3 = layers 4-6, the ones the heads average) learn too, from both heads' losses
at once.  The layers below stay frozen, so their output is computed once per article and cached
(float16, ~0.7 GB for PolNeAR train under ``--cache``), and a step runs only the top layers, the
token pooling and the heads, forwards and backwards.  Training starts from ``--init`` (the frozen
model's heads and the package's layers), with a linear warm-up and decay of the learning rates.
The last ``--hold`` articles of the training file are held out: the epoch kept is the one with the
best token F1 there (PolNeAR dev is only for the final report).  The output holds the heads and
the tuned layers in float16 (format 2 of :mod:`.accurate`).

Data and time (PolNeAR train, 840 articles: 780 trained on, 60 held out; one torch thread on two
cores shared with four other jobs): caching the bottom layers 6-10 minutes, then 20-30 minutes per
epoch (0.6 s per article when the machine is otherwise idle), ~2 GB of RAM (7-8 GB with --first 2).
The shipped weights came in two rounds, each epoch picked on the held-out slice:

1. from the frozen model, the defaults (layers 4-6, enc lr 5e-5, 3 epochs): held-out token F1
   cue/role 77.3/93.9 at the start, 78.2/93.8, 78.6/93.8 and 78.2/94.0 after epochs 1-3, so epoch 2
   was kept; PolNeAR dev relation F1@0.3 74.4 (frozen encoder) -> 76.1;
2. from those, ``--first 2 --enc-lr 1e-4 --epochs 2`` (layers 3-6): 78.5/94.2 at the start,
   78.1/94.4, 79.0/94.7, epoch 2 kept.  Alone it over-calls cues (dev 75.7, P 75.3 / R 76.2); with
   accurate.CUE_BIAS -0.5, chosen on the same held-out slice, held-out relation F1@0.3 82.0 -> 82.9
   and dev 76.1 -> 77.0.

Deterministic for a given ``--seed`` on the same machine and torch
version.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ClaimgraphError
from .train import parse_corpus, read_jsonl
from .train_accurate import Item, build_items, held_out, log, token_counts, token_f1, transitions

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"


@dataclass(frozen=True)
class Plan:
    """One article's wordpiece chunks: rows [start, start + len + 2) of the cache, CLS/SEP included."""

    chunks: tuple[tuple[int, int], ...]
    starts: tuple[int, ...]
    owner: np.ndarray  # (n wordpieces,) token of each piece
    n: int  # tokens in the Doc


def bottom_cache(path: str, docs: list[Any], enc: Any, first: int, cache_dir: str | None
                 ) -> tuple[np.ndarray, list[Plan]]:
    """Hidden state ``first`` of every chunk (float16, rows stacked) and each article's plan."""
    import torch

    from .accurate import run_layers

    plans_raw = enc.pieces(docs)
    st = os.stat(path)
    # the key names the bottom layers' weights when --init tuned any of them (else: the package's)
    below = hashlib.sha1()
    for name, prm in sorted(enc.net.state_dict().items()):
        if name.startswith("encoder.layer.") and int(name.split(".")[2]) < first and name in enc.tuned:
            below.update(name.encode() + prm.float().numpy().tobytes())
    key = hashlib.sha1(f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}|bottom{first}|{below.hexdigest()}"
                       .encode()).hexdigest()[:12]
    file = Path(cache_dir) / f"{Path(path).stem}-{key}-bottom.npy" if cache_dir else None
    plans: list[Plan] = []
    r = 0
    for (_ids, chunks, owner), d in zip(plans_raw, docs, strict=True):
        starts = []
        for a, b in chunks:
            starts.append(r)
            r += b - a + 2
        plans.append(Plan(tuple(chunks), tuple(starts), owner, len(d)))
    if file is not None and file.is_file():
        flat = np.load(file)
        if len(flat) == r:
            return flat, plans
    flat = np.zeros((r, enc.net.config.hidden_size), np.float16)
    jobs = [(k, c) for k, p in enumerate(plans) for c in range(len(p.chunks))]
    t0 = time.time()
    with torch.inference_mode():
        for i in range(0, len(jobs), 16):
            batch = jobs[i: i + 16]
            rows = [plans_raw[k][0][slice(*plans[k].chunks[c])] for k, c in batch]
            ids, att = enc.batch(rows)
            hid = run_layers(enc.net, enc.net.embeddings(input_ids=ids), att, 0, first)[first].numpy()
            for j, (k, c) in enumerate(batch):
                s = plans[k].starts[c]
                flat[s: s + len(rows[j]) + 2] = hid[j, : len(rows[j]) + 2]
            if i % 1600 == 0:
                log(f"  bottom layers: {i}/{len(jobs)} chunks ({time.time() - t0:.0f}s)")
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        np.save(file, flat)
    return flat, plans


class Corpus:
    """One file's cached bottom states, plans, spaCy tensors and cue/role items grouped by article."""

    def __init__(self, path: str, enc: Any, first: int, cache_dir: str | None) -> None:
        from . import features as F

        records = read_jsonl(path)
        docs = parse_corpus(path, records, cache_dir)
        self.flat, self.plans = bottom_cache(path, docs, enc, first, cache_dir)
        zeros = [np.zeros((len(d), enc.net.config.hidden_size), np.float16) for d in docs]
        dense, cues, roles = build_items(records, docs, zeros)
        self.tensor = [x[:, -F.TENSOR_WIDTH:].astype(np.float32) for x in dense]
        self.cues: list[list[Item]] = [[] for _ in docs]
        self.roles: list[list[Item]] = [[] for _ in docs]
        for it in cues:
            self.cues[it.doc].append(it)
        for it in roles:
            self.roles[it.doc].append(it)
        self.first = first

    def dense(self, torch: Any, net: Any, k: int) -> Any:
        """(n tokens, DENSE_DIM): the top layers' pooled vectors (with gradients) ++ spaCy's."""
        from .accurate import top_layers

        p = self.plans[k]
        if not p.chunks:
            return torch.zeros((p.n, net.config.hidden_size + self.tensor[k].shape[1]))
        lens = [b - a + 2 for a, b in p.chunks]
        hid = torch.zeros((len(lens), max(lens), self.flat.shape[1]))
        att = torch.zeros((len(lens), max(lens)), dtype=torch.long)
        for r, (s, n) in enumerate(zip(p.starts, lens, strict=True)):
            hid[r, :n] = torch.from_numpy(self.flat[s: s + n].astype(np.float32))
            att[r, :n] = 1
        top = top_layers(net, hid, att, self.first)
        wp = torch.cat([top[r, 1: n - 1] for r, n in enumerate(lens)])
        owner = torch.from_numpy(p.owner.astype(np.int64))
        tok = torch.zeros((p.n, wp.shape[1])).index_add(0, owner, wp)
        counts = torch.bincount(owner, minlength=p.n).clamp(min=1).unsqueeze(1)
        return torch.cat([tok / counts, torch.from_numpy(self.tensor[k])], dim=1)


def head_logits(torch: Any, head: Any, items: list[Item], dense: Any) -> tuple[Any, Any, Any]:
    """A head's logits (constraint masks added) over an article's items, the gold, the valid cells."""
    from torch.nn.utils.rnn import pad_sequence

    d = pad_sequence([dense[torch.from_numpy(it.idx.astype(np.int64))] for it in items], batch_first=True)
    s = pad_sequence([torch.from_numpy(it.sparse.astype(np.int64)) for it in items], batch_first=True)
    g = pad_sequence([torch.from_numpy(it.gold) for it in items], batch_first=True)
    lengths = torch.as_tensor([len(it.idx) for it in items])
    valid = torch.arange(g.shape[1])[None, :] < lengths[:, None]
    ctx = None
    if items[0].mask is not None:
        ctx = dense[torch.as_tensor([it.ctx for it in items])]
    out = head(d, s, lengths, ctx)
    if items[0].mask is not None:
        # -1e4 rather than -inf: the constraint must not overflow the loss in float32
        out = out + pad_sequence([torch.from_numpy(np.maximum(it.mask, -1e4).astype(np.float32))
                                  for it in items if it.mask is not None],
                                 batch_first=True)
    return out, g, valid


def heldout_f1(torch: Any, net: Any, heads: Any, corpus: Corpus, docs: list[int]) -> tuple[float, float]:
    """Token F1 of the cue (B+I) and role (S+C) labels over the given articles."""
    net.eval()
    heads.eval()
    counts = np.zeros((2, 3), dtype=np.int64)
    with torch.inference_mode():
        for k in docs:
            dense = corpus.dense(torch, net, k)
            for h, (head, items) in enumerate(((heads.cue, corpus.cues[k]), (heads.role, corpus.roles[k]))):
                if not items:
                    continue
                out, g, valid = head_logits(torch, head, items, dense)
                counts[h] += token_counts(out.argmax(dim=2), g, valid, (1, 2))
    net.train()
    heads.train()
    return token_f1(counts[0]), token_f1(counts[1])


def save(out: str, net: Any, heads: Any, first: int, trans: dict[str, Any], meta: dict[str, Any]) -> None:
    import torch

    from .accurate import FORMAT_VERSION

    state = {k: v.detach().half() for k, v in heads.state_dict().items()}
    state.update({f"{n}.trans": t for n, t in trans.items()})
    tuned = {k: v.detach().half() for k, v in net.state_dict().items()
             if k.startswith("encoder.layer.") and int(k.split(".")[2]) >= first}
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    torch.save({"format": FORMAT_VERSION, "state": state, "encoder": tuned, "meta": meta}, out)
    log(f"wrote {out} ({os.path.getsize(out) / 1e6:.1f} MB)")


def tune(args: argparse.Namespace) -> None:
    import torch

    from .accurate import AccurateModel, Encoder

    t0 = time.time()
    init = AccurateModel.load(args.init)
    heads = init.heads.train()
    # the encoder layers --init tuned come with its heads: a fresh Encoder() would pair those
    # heads with the package's layers and start from a worse point than --init scores
    enc = Encoder(tuned=init.tuned)
    net = enc.net.train()
    log(f"from {args.init or 'the shipped weights'}: {len(init.tuned)} tuned encoder tensors loaded")
    for name, prm in net.named_parameters():
        prm.requires_grad = name.startswith("encoder.layer.") and int(name.split(".")[2]) >= args.first
    corpus = Corpus(args.train, enc, args.first, args.cache or None)
    n = len(corpus.plans)
    held = held_out(n, args.hold, args.spread)
    hold = sorted(held)
    train = [k for k in range(n) if k not in held and corpus.cues[k]][: args.limit or None]
    log(f"{len(train)} articles to train on, {len(hold)} held out ({time.time() - t0:.0f}s)")
    trans = {"cue": torch.as_tensor(transitions([it for k in train for it in corpus.cues[k]])),
             "role": torch.as_tensor(transitions([it for k in train for it in corpus.roles[k]]))}
    enc_params = [p for p in net.parameters() if p.requires_grad]
    emb = [p for name, p in heads.named_parameters() if ".emb." in name]
    rest = [p for name, p in heads.named_parameters() if ".emb." not in name]
    opts = [(torch.optim.AdamW(enc_params, lr=args.enc_lr, weight_decay=0.01), args.enc_lr),
            (torch.optim.Adam(rest, lr=args.head_lr), args.head_lr),
            (torch.optim.SparseAdam(emb, lr=args.head_lr), args.head_lr)]
    loss_fn = torch.nn.CrossEntropyLoss()
    total_steps = args.epochs * len(train)
    warm = max(1, int(0.1 * len(train)))
    meta = {"train": Path(args.train).name, "epochs": args.epochs, "seed": args.seed, "first": args.first,
            "enc_lr": args.enc_lr, "head_lr": args.head_lr, "hold": args.hold, "spread": args.spread, "torch": str(torch.__version__),
            "width": int(init.meta.get("width", 128))}
    best = heldout_f1(torch, net, heads, corpus, hold)
    log(f"  start: held-out token F1 cue {best[0]:.1f} role {best[1]:.1f}")
    save(args.out, net, heads, args.first, trans, {**meta, "epoch": 0, "heldout": best})
    rng = np.random.default_rng(args.seed)
    step = 0
    for ep in range(args.epochs):
        t1 = time.time()
        order = rng.permutation(train)
        tot = 0.0
        for i, k in enumerate(order):
            scale = min((step + 1) / warm, max(0.0, (total_steps - step) / (total_steps - warm)))
            for opt, lr in opts:
                for g in opt.param_groups:
                    g["lr"] = lr * scale
            dense = corpus.dense(torch, net, int(k))
            loss = torch.zeros(())
            for head, items in ((heads.cue, corpus.cues[k]), (heads.role, corpus.roles[k])):
                if items:
                    out, g, valid = head_logits(torch, head, items, dense)
                    loss = loss + loss_fn(out[valid], g[valid])
            for opt, _ in opts:
                opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(enc_params, 1.0)
            for opt, _ in opts:
                opt.step()
            tot += float(loss.detach())
            step += 1
            if (i + 1) % 100 == 0:
                log(f"  epoch {ep + 1}: {i + 1}/{len(order)} articles, loss {tot / (i + 1):.4f} "
                     f"({time.time() - t1:.0f}s)")
        f1 = heldout_f1(torch, net, heads, corpus, hold)
        log(f"  epoch {ep + 1}: loss {tot / len(order):.4f}, held-out token F1 cue {f1[0]:.1f} role {f1[1]:.1f} "
             f"({time.time() - t1:.0f}s; {time.time() - t0:.0f}s in all)")
        if sum(f1) > sum(best):
            best = f1
            save(args.out, net, heads, args.first, trans, {**meta, "epoch": ep + 1, "heldout": f1})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m claimgraph.attribute.tune_accurate",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--train", default=str(SHARED / "data/polnear/train.jsonl"))
    ap.add_argument("--init", default=None, help="frozen-encoder heads to start from (default: the shipped ones)")
    ap.add_argument("--out", default=str(ROOT / "src/claimgraph/attribute/weights/accurate_heads.pt"))
    ap.add_argument("--cache", default=str(ROOT / ".cache/attribution"), help="cache folder ('' for none)")
    ap.add_argument("--first", type=int, default=3, help="layers above this one (1-based) are tuned")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--enc-lr", type=float, default=5e-5)
    ap.add_argument("--head-lr", type=float, default=3e-4)
    ap.add_argument("--hold", type=int, default=60, help="last articles of --train held out to pick the epoch")
    ap.add_argument("--spread", action="store_true", help="hold out --hold articles spaced over the file, not the last")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N articles only (timing runs)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    import torch

    # one thread by default: on two cores shared with other jobs, two threads spin-wait on each other
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    try:
        tune(args)
    except ClaimgraphError as exc:
        log(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
