"""Evaluate the accurate attribution model on PolNeAR dev with the reference scorer.

    .venv/bin/python scripts/eval_polnear_accurate.py [--gold ../shared/data/polnear/dev.jsonl]
        [--weights FILE.pt] [--pred artifacts/polnear_dev.accurate.pred.jsonl] [--cached-encoder]
        [--no-ensemble | --sparse-weights FILE.npz] [--rules]

Needs the ``accurate`` extra.  Writes the predictions, runs ../shared/eval/score_attributions.py
on them unchanged and prints its figures, then the speed in articles/s of the model (MiniLM encoder
plus heads) on already parsed Docs, and the process's peak memory.  ``--cached-encoder`` reuses the training cache's encoder
vectors (quick, for comparing heads; the speed printed then excludes the encoder).
``--no-ensemble`` scores the heads alone, without the span model's scores mixed into decoding;
``--sparse-weights`` mixes in another span model (one that never saw the ``--gold`` articles, when
those are held out of train).  ``--rules`` scores the pipeline's relations (model merged with the
rules) instead of the model's alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--gold", default=str(SHARED / "data/polnear/dev.jsonl"))
    ap.add_argument("--weights", default=None, help="heads .pt (default: the shipped ones)")
    ap.add_argument("--pred", default=str(ROOT / "artifacts/polnear_dev.accurate.pred.jsonl"))
    ap.add_argument("--cache", default=str(ROOT / ".cache/attribution"), help="parse cache ('' for none)")
    ap.add_argument("--cached-encoder", action="store_true", help="reuse cached encoder vectors")
    ap.add_argument("--scorer", default=str(SHARED / "eval/score_attributions.py"))
    ap.add_argument("--trans-scale", type=float, default=None, help="override the Viterbi transition weight")
    ap.add_argument("--cue-bias", type=float, default=None, help="override the cue log-odds bias")
    ap.add_argument("--json", action="store_true", help="print the scorer's JSON report")
    ap.add_argument("--no-ensemble", action="store_true", help="decode the heads alone (no span model mixed in)")
    ap.add_argument("--sparse-weights", default=None, help="span model .npz mixed in (default: the shipped one)")
    ap.add_argument("--rules", action="store_true", help="merge the rules' relations, as the pipeline does")
    args = ap.parse_args()
    if not Path(args.gold).is_file():
        print(f"error: {args.gold} not found; pass --gold", file=sys.stderr)
        return 1

    import torch

    from claimgraph.attribute.accurate import CUE_BIAS, TRANS_SCALE, AccurateModel
    from claimgraph.attribute.scorer_output import doc_relations
    from claimgraph.attribute.train import parse_corpus, read_jsonl
    from claimgraph.attribute.train_accurate import encode_corpus

    torch.set_num_threads(1)  # two threads spin-wait on a busy two-core machine
    model = AccurateModel.load(args.weights, TRANS_SCALE if args.trans_scale is None else args.trans_scale,
                               CUE_BIAS if args.cue_bias is None else args.cue_bias,
                               ensemble=not args.no_ensemble, sparse_path=args.sparse_weights)
    _ = model.sparse  # loaded before the clock starts, as the encoder is
    if args.cached_encoder and model.tuned:
        print("error: these weights tune the encoder; the cached (untuned) vectors do not fit them",
              file=sys.stderr)
        return 1
    records = read_jsonl(args.gold)
    docs = parse_corpus(args.gold, records, args.cache or None, exact=True)
    encs = encode_corpus(args.gold, docs, args.cache) if args.cached_encoder else [None] * len(docs)
    _ = model.encoder  # loaded before the clock starts
    t0 = time.perf_counter()
    # As `claimgraph attributions --model accurate [--model-only]` writes them (nested relations
    # reduced to the outermost); the wrapper hands the rules' model.predict_doc(doc) the cached vectors.
    preds = [doc_relations(_WithEnc(model, enc), doc, args.rules) for doc, enc in zip(docs, encs, strict=True)]
    t_model = time.perf_counter() - t0
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from eval_polnear import write_and_score

    rc = write_and_score(records, preds, args.pred, args.scorer, args.gold, args.json)
    if rc:
        return rc
    n = len(records)
    what = "heads (cached encoder)" if args.cached_encoder else "encoder + heads"
    what += "" if args.no_ensemble else " + span model mixed in"
    what += " + rules" if args.rules else ""
    print(f"{what}: {n / t_model:.2f} articles/s ({1000 * t_model / n:.0f} ms/article, "
          f"{sum(len(p) for p in preds)} relations); peak memory {peak_mb():.0f} MB")
    return 0


class _WithEnc:
    """``model`` with its encoder vectors for one Doc fixed (None: computed as usual)."""

    def __init__(self, model, enc) -> None:
        self.model, self.enc = model, enc

    def predict_doc(self, doc):
        return self.model.predict_doc(doc, self.enc)


if __name__ == "__main__":
    sys.exit(main())
