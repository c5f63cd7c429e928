"""The relations of the ``attributions`` command: what the attribution stage finds, read as PolNeAR
annotates it, for ``../shared/eval/score_attributions.py``.

The claims keep every relation the stage finds; PolNeAR's reading differs in two ways, both applied
here only: of nested relations just the outermost is kept (:func:`.merge.outermost`), and a second
saying coordinated with the first ends the first content (:mod:`.coordination`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from .model import SpanRelation


def as_span_relation(rel: Any) -> SpanRelation:
    """Any relation with source/cue/content span tuples (the rules' ``Relation`` too) as a SpanRelation."""
    return SpanRelation(source=tuple(rel.source), cue=tuple(rel.cue), content=tuple(rel.content),
                        score=getattr(rel, "score", 1.0))


def doc_relations(model: Any, doc: Any, rules: bool = True) -> list[SpanRelation]:
    """What the attribution stage finds in ``doc`` as PolNeAR annotates it: the model's relations
    merged with the rules' (as the pipeline does), or the model's alone with ``rules=False``; of
    nested relations only the outermost (:func:`.merge.outermost`; the claims keep them all), and a
    second saying coordinated with the first ends the first content (:mod:`.coordination`)."""
    from .coordination import split_coordinated
    from .merge import outermost

    if not rules:
        return outermost(split_coordinated(doc, model.predict_doc(doc)))
    from . import relations_for_doc

    return outermost([as_span_relation(r) for r in relations_for_doc(doc, model, cut_all=True)])


def attributions_jsonl(in_path: str | Path, out_path: str | Path, settings: Any = None,
                       on_error: Any = None, rules: bool = True) -> int:
    """Read ``{"id", "text"}`` lines, write ``{"id", "relations"}`` lines; returns how many were written.
    By default the relations are the pipeline's (the settings' model merged with rules);
    ``rules=False`` gives the model's alone.

    A bad line is reported through ``on_error(InputError)`` (or raised at the end when no callback is
    given, after every good line has been written) and skipped.
    """
    from . import load_named
    from .spacy_load import load_nlp

    model = load_named(getattr(settings, "model", "default"))
    nlp = load_nlp(("ner",))
    max_bytes = getattr(settings, "max_document_bytes", 20 * 1024 * 1024)
    errors: list[InputError] = []

    def records() -> Any:
        with open(in_path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{in_path}:{n}"
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield where, None, InputError(where, f"not valid JSON ({exc.msg})", "write one JSON object per line")
                    continue
                if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or "id" not in rec:
                    yield where, None, InputError(where, 'needs an "id" and a string "text"',
                                                  'write {"id": ..., "text": ...}')
                    continue
                if len(rec["text"].encode("utf-8")) > max_bytes:
                    yield where, None, InputError(where, f"text over {max_bytes} bytes",
                                                  "split it or raise max_document_bytes")
                    continue
                yield where, rec, None

    written = 0
    with open(out_path, "w", encoding="utf-8") as out:
        good: list[tuple[str, dict[str, Any]]] = []

        def flush() -> int:
            docs = nlp.pipe([rec["text"] for _, rec in good], batch_size=16)
            k = 0
            for (_, rec), doc in zip(good, docs, strict=True):
                rels = [r.to_json() for r in doc_relations(model, doc, rules)]
                out.write(json.dumps({"id": rec["id"], "relations": rels}, ensure_ascii=False) + "\n")
                k += 1
            good.clear()
            return k

        for where, rec, err in records():
            if err is not None:
                if on_error is not None:
                    on_error(err)
                else:
                    errors.append(err)
                continue
            assert rec is not None
            good.append((where, rec))
            if len(good) >= 32:
                written += flush()
        written += flush()
    if errors:
        raise errors[0]
    return written
