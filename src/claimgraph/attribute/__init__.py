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
from typing import Any

from ..errors import ClaimgraphError, ModelError
from ..models import Article, Claim
from ..settings import Settings
from .enrich import build_claims
from .rules import Relation, find_relations, from_model, merge_relations

__all__ = ["Attributor", "attribute_doc", "relations_for_doc"]


def relations_for_doc(doc: Any, model: Any | None) -> list[Relation]:
    """The model's relations merged with the rules', in text order (character spans into doc.text).
    This is what the PolNeAR evaluation should score to see the rules' effect."""
    model_rels = [from_model(r) for r in model.predict_doc(doc)] if model is not None else []
    return merge_relations(doc, model_rels, find_relations(doc))


def attribute_doc(article: Article, doc: Any, model: Any | None) -> tuple[Claim, ...]:
    """Claims of one article whose ``doc`` was parsed from ``article.text``; ``model`` may be None."""
    return build_claims(article, doc, relations_for_doc(doc, model))


class Attributor:
    """Runs attribution over articles, parsing them in batches with ``nlp.pipe``."""

    def __init__(self, settings: Settings, nlp: Any | None = None, model: Any | None = None,
                 batch_size: int = 32) -> None:
        self.settings = settings
        self._nlp = nlp
        self._model = model
        self.batch_size = batch_size

    @classmethod
    def from_settings(cls, settings: Settings) -> Attributor:
        """Nothing heavy is loaded here: spaCy and the model load on the first English article."""
        return cls(settings)

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from .spacy_load import load_nlp

            self._nlp = load_nlp()
        return self._nlp

    @property
    def model(self) -> Any | None:
        if self._model is None:
            try:
                from .model import SpanModel
            except ImportError:  # the trained model is optional: the rules still work alone
                return None
            # "default" means the shipped weights; anything that is not a known name is a file.
            name = self.settings.model
            path = None if name in ("", "default", "accurate") else name
            self._model = SpanModel.load(path)
        return self._model

    def _language_status(self, article: Article) -> str | None:
        lang = article.language
        if lang is not None and lang not in self.settings.languages:
            return f"skipped:{lang}"
        return None

    def _attribute(self, article: Article, doc: Any) -> tuple[tuple[Claim, ...], str]:
        try:
            return attribute_doc(article, doc, self.model), "attributed"
        except ModelError:
            raise  # a missing model is one clear error for the run, not a failure per article
        except ClaimgraphError as exc:
            return (), f"failed:{exc}"
        except Exception as exc:  # noqa: BLE001 - one odd article must not stop the run
            return (), f"failed:{type(exc).__name__}: {exc}"

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
            docs = list(self.nlp.pipe([a.text for a in batch], batch_size=self.batch_size))
        except ClaimgraphError:
            raise  # no pipeline installed: every article would fail the same way
        except Exception:  # noqa: BLE001 - find the article that broke the batch
            docs = []
            for a in batch:
                try:
                    docs.append(self.nlp(a.text))
                except Exception as exc:  # noqa: BLE001
                    docs.append(exc)
        for article, doc in zip(batch, docs, strict=True):
            if isinstance(doc, Exception):
                yield article, (), f"failed:parse: {type(doc).__name__}: {doc}", None
                continue
            claims, status = self._attribute(article, doc)
            yield article, claims, status, doc
