"""The attribution stage: who said what, through whom, with what stance.

Relations come from the trained span model (:mod:`.model`) and from dependency rules
(:mod:`.rules`) that catch the sure patterns the model misses; :mod:`.enrich` turns each into a
:class:`~claimgraph.models.Claim` with its source typed, its channel and chain, kind, stance and the
writer's hedges.

    >>> attributor = Attributor.from_settings(settings)
    >>> for article, claims, status, doc in attributor.run(articles): ...

``attribute_doc`` is the pure core, testable on a hand-built Doc with ``model=None`` (rules only).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from ..errors import ClaimgraphError, ModelError
from ..models import Article, Claim
from ..settings import Settings
from .coordination import split_coordinated
from .enrich import build_claims
from .merge import merge_relations
from .rules import Relation, find_relations, from_model
from .voice import is_claim

__all__ = ["Attributor", "attribute_doc", "relations_for_doc", "tag_entities"]


def relations_for_doc(doc: Any, model: Any | None, *, cut_all: bool = False) -> list[Relation]:
    """The model's relations merged with the rules', in text order (character spans into doc.text).
    A coordinated second saying ends the first content where it is a claim of its own, or with
    ``cut_all`` everywhere, as PolNeAR reads it (:mod:`.coordination`)."""
    model_rels = [from_model(r) for r in model.predict_doc(doc)] if model is not None else []
    merged = merge_relations(doc, model_rels, find_relations(doc))
    return split_coordinated(doc, merged, cut=True if cut_all else (lambda second: is_claim(doc, second)))


def attribute_doc(article: Article, doc: Any, model: Any | None) -> tuple[Claim, ...]:
    """Claims of one article whose ``doc`` was parsed from ``article.text``; ``model`` may be None."""
    return build_claims(article, doc, relations_for_doc(doc, model))


@lru_cache(maxsize=4)
def _load_model(path: str | None) -> Any:
    """The span model, loaded once per process and path (a second Attributor reuses it)."""
    from .model import SpanModel

    return SpanModel.load(path)


@lru_cache(maxsize=1)
def _load_accurate() -> Any:
    """The accurate (MiniLM) model; its module imports torch only on load, and a missing torch is
    a ModelError that names the extra to install."""
    from .accurate import AccurateModel

    return AccurateModel.load()


def load_named(name: str) -> Any:
    """The attribution model a setting names: "default" (or "") is the shipped span model, "accurate"
    the MiniLM one (torch extra), anything else a span-model weights file."""
    if name == "accurate":
        return _load_accurate()
    return _load_model(None if name in ("", "default") else name)


def _source_phrases(doc: Any, relations: list[Relation]) -> list[tuple[int, int]]:
    """Token ranges (start, end) of the sources that carry a name (a proper noun or a capitalised
    adjective such as "Russian"), one token of context on each side, merged, in text order. Common
    nouns ("local sources", "officials") are typed by their words alone and need no recogniser."""
    ranges: list[tuple[int, int]] = []
    for rel in relations:
        for s, e in rel.source:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None and any(t.pos_ == "PROPN" or (t.pos_ == "ADJ" and t.is_title) for t in span):
                ranges.append((max(0, span.start - 1), min(len(doc), span.end + 1)))
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def tag_entities(items: list[tuple[Any, list[tuple[int, int]]]], ner: Any) -> None:
    """Run the entity recogniser over the given token ranges of each Doc, in one batch, and set the
    entities found on the Docs.

    Why: in ``en_core_web_sm`` the recogniser has its own tok2vec and costs about as much as tagging
    and parsing together (FA-KES: 4.2 articles/s with it, 7.1 without). Only the typing of sources
    reads entities ("Russia said" is a government, "Maria Lind said" a person), so only named
    sources are tagged; the rest of the text is left unlabelled (missing, not "no entity")."""
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    # Docs built from the words: Span.as_doc() would copy the whole article's arrays each time.
    jobs = [(doc, lo, hi) for doc, ranges in items for lo, hi in ranges]
    if not jobs:
        return
    pieces = [Doc(ner.vocab, words=[t.text for t in doc[lo:hi]],
                  spaces=[bool(t.whitespace_) for t in doc[lo:hi]]) for doc, lo, hi in jobs]
    found: dict[int, tuple[Any, list[Any]]] = {}
    for (doc, lo, _hi), tagged in zip(jobs, ner.pipe(pieces, batch_size=256), strict=True):
        ents = found.setdefault(id(doc), (doc, []))[1]
        for ent in tagged.ents:
            ents.append(SpacySpan(doc, lo + ent.start, lo + ent.end, label=ent.label_))
    for doc, ents in found.values():
        doc.set_ents(ents, default="unmodified")


class Attributor:
    """Runs attribution over articles, parsing them in batches with ``nlp.pipe``.

    The parse runs without the entity recogniser; entities are then found in the sources' words
    only (:func:`tag_entities`), which keeps ingest+attribution faster than a plain full spaCy run.
    """

    def __init__(self, settings: Settings, nlp: Any | None = None, model: Any | None = None,
                 batch_size: int = 32, ner: Any | None = None) -> None:
        self.settings = settings
        self._nlp = nlp
        self._model = model
        self._ner = ner
        self._fast: Any = None
        self.batch_size = batch_size

    @classmethod
    def from_settings(cls, settings: Settings) -> Attributor:
        """Nothing heavy is loaded here: spaCy and the model load on the first English article
        (or when :meth:`warm` is called)."""
        return cls(settings)

    def warm(self) -> Attributor:
        """Load spaCy, the entity recogniser and the span model now (benchmarks, servers)."""
        _ = self.nlp, self.ner, self.model, self.fast_attributes
        return self

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from .spacy_load import load_nlp

            # The full pipeline, run with its recogniser switched off (see ``_parse``): one copy of
            # the model in memory serves both the parse and :func:`tag_entities`.
            self._nlp = load_nlp()
        return self._nlp

    @property
    def ner(self) -> Any | None:
        if self._ner is None and "ner" in self.nlp.pipe_names:
            self._ner = self.nlp.get_pipe("ner")
        return self._ner

    @property
    def fast_attributes(self) -> Any | None:
        """The array version of the pipeline's attribute_ruler + lemmatizer, when it has both."""
        if self._fast is None:
            self._fast = False
            if {"attribute_ruler", "lemmatizer"} <= set(self.nlp.pipe_names):
                from .fastattrs import FastAttributes

                try:
                    self._fast = FastAttributes(self.nlp)
                except ValueError:  # a pipeline whose rules it does not know: keep spaCy's
                    self._fast = False
        return self._fast or None

    def _parse(self, texts: list[str]) -> list[Any]:
        """Tag and parse without the recogniser; the ruler and lemmatizer run as arrays (same
        output, a third of the parse time saved on FA-KES)."""
        names = self.nlp.pipe_names
        fast = self.fast_attributes
        off = [p for p in ("ner",) if p in names]
        if fast is not None:
            off += ["attribute_ruler", "lemmatizer"]
        kwargs = {"disable": off} if off else {}
        docs = self.nlp.pipe(texts, batch_size=self.batch_size, **kwargs)
        return [fast(d) for d in docs] if fast is not None else list(docs)

    @property
    def model(self) -> Any | None:
        if self._model is None:
            try:
                import claimgraph.attribute.model  # noqa: F401
            except ImportError:  # the trained model is optional: the rules still work alone
                return None
            self._model = load_named(self.settings.model)
        return self._model

    def _language_status(self, article: Article) -> str | None:
        lang = article.language
        if lang is not None and lang not in self.settings.languages:
            return f"skipped:{lang}"
        return None

    def _relations(self, doc: Any) -> list[Relation] | str:
        try:
            return relations_for_doc(doc, self.model)
        except ModelError:
            raise  # a missing model is one clear error for the run, not a failure per article
        except ClaimgraphError as exc:
            return f"failed:{exc}"
        except Exception as exc:  # noqa: BLE001 - one odd article must not stop the run
            return f"failed:{type(exc).__name__}: {exc}"

    def _claims(self, article: Article, doc: Any, relations: list[Relation]) -> tuple[tuple[Claim, ...], str]:
        try:
            return build_claims(article, doc, relations), "attributed"
        except ClaimgraphError as exc:
            return (), f"failed:{exc}"
        except Exception as exc:  # noqa: BLE001
            return (), f"failed:{type(exc).__name__}: {exc}"

    def _tag(self, found: list[tuple[Any, list[Relation]]]) -> None:
        """Entities for the named sources of a whole batch, in one call of the recogniser."""
        if self.ner is None:
            return
        items = [(doc, _source_phrases(doc, rels)) for doc, rels in found
                 if not doc.has_annotation("ENT_IOB")]
        try:
            tag_entities(items, self.ner)
        except Exception:  # noqa: BLE001 - entities only refine source kinds; go on without them
            return

    def run(self, articles: Iterable[Article]) -> Iterator[tuple[Article, tuple[Claim, ...], str, Any | None]]:
        """Yield ``(article, claims, status, doc)`` in input order; status is "attributed",
        "skipped:<lang>" or "failed:<reason>". The Doc is yielded so that the resolve stage reuses
        its entities instead of parsing again."""
        batch: list[Article] = []
        for article in articles:
            skipped = self._language_status(article)
            if skipped is not None:
                yield from self._flush(batch)
                batch = []
                yield article, (), skipped, None
                continue
            batch.append(article)
            if len(batch) >= self.batch_size:
                yield from self._flush(batch)
                batch = []
        yield from self._flush(batch)

    def _flush(self, batch: list[Article]) -> Iterator[tuple[Article, tuple[Claim, ...], str, Any | None]]:
        if not batch:
            return
        try:
            docs = self._parse([a.text for a in batch])
        except ClaimgraphError:
            raise  # no pipeline installed: every article would fail the same way
        except Exception:  # noqa: BLE001 - find the article that broke the batch
            docs = []
            for a in batch:
                try:
                    docs.append(self._parse([a.text])[0])
                except Exception as exc:  # noqa: BLE001
                    docs.append(exc)
        staged: list[tuple[Article, Any, list[Relation] | str]] = []
        for article, doc in zip(batch, docs, strict=True):
            if isinstance(doc, Exception):
                staged.append((article, None, f"failed:parse: {type(doc).__name__}: {doc}"))
            else:
                staged.append((article, doc, self._relations(doc)))
        self._tag([(doc, rels) for _a, doc, rels in staged if not isinstance(rels, str)])
        for article, doc, rels in staged:
            if isinstance(rels, str):
                yield article, (), rels, doc
                continue
            claims, status = self._claims(article, doc, rels)
            yield article, claims, status, doc
