"""The orchestrator: the one module that knows the order of the stages.

ingest -> (dedup) -> store articles -> attribute -> resolve -> store claims -> link trails.

Each stage module is imported inside the function that needs it, so importing this module (as the CLI
and the web server do) stays cheap. Every write is committed per batch or per article, so a killed run
loses at most what was in flight, and a re-run picks up where it stopped: articles already stored are
recognised as duplicates, and articles stored but not yet attributed are attributed then.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .errors import ClaimgraphError, InputError
from .models import Article
from .settings import Settings
from .store import Store, open_store

ErrorSink = Callable[[str], None]


def _stderr_sink(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


@dataclass
class IngestSummary:
    stored: int = 0
    duplicates: int = 0
    reprints: int = 0
    failed: int = 0
    skipped: int = 0  # records skipped on purpose (non-HTML WARC records, revisits, ...)
    article_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"{self.stored} stored, {self.duplicates} duplicates, {self.reprints} reprints, "
            f"{self.failed} failed"
        )
        if self.skipped:
            text += f", {self.skipped} skipped"
        return text


@dataclass
class AttributeSummary:
    articles: int = 0
    claims: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # language -> articles not analysed
    failed: int = 0
    languages: tuple[str, ...] = ("en",)

    def line(self) -> str:
        text = f"{self.articles} articles attributed, {self.claims} claims"
        if self.skipped:
            langs = ", ".join(f"{n} in {lang}" for lang, n in sorted(self.skipped.items()))
            text += f"; not analysed (analysed: {'/'.join(self.languages)}): {langs}"
        if self.failed:
            text += f", {self.failed} failed"
        return text


@dataclass
class RunSummary:
    ingest: IngestSummary
    attribute: AttributeSummary | None = None
    link: Any = None  # the link stage's report

    @property
    def ok(self) -> bool:
        return self.ingest.failed == 0 and (self.attribute is None or self.attribute.failed == 0)


@contextmanager
def _progress(enabled: bool, description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr when it is a terminal; a no-op otherwise (logs stay clean)."""
    if not (enabled and sys.stderr.isatty()):
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


@contextmanager
def _store_for(settings: Settings, store: Store | None) -> Iterator[Store]:
    """The caller's store (left open for its next stage), or one opened and closed for this call."""
    if store is not None:
        yield store
        return
    opened = open_store(settings)
    try:
        yield opened
    finally:
        opened.close()


def ingest_articles(
    store: Store,
    items: Iterable[Article | InputError],
    settings: Settings,
    on_error: ErrorSink = _stderr_sink,
    advance: Callable[[int], None] = lambda n: None,
) -> IngestSummary:
    """Deduplicate and store articles (and report bad records) in batches of ``settings.batch_size``."""
    from .ingest.dedup import Deduper

    summary = IngestSummary()
    deduper = Deduper(store, settings)
    batch: list[Article] = []
    hashes: dict[str, bytes] = {}

    def flush() -> None:
        if batch:
            summary.stored += store.add_articles(batch, hashes)
            batch.clear()
            hashes.clear()
        # Re-point copies whose earlier-published original arrived after them (needs them stored).
        deduper.flush_corrections()

    for item in items:
        advance(1)
        if isinstance(item, InputError):
            summary.failed += 1
            on_error(str(item))
            continue
        try:
            status, article, signature = deduper.check(item)
        except ClaimgraphError as exc:
            summary.failed += 1
            on_error(f"{item.origin or item.id}: {exc}")
            continue
        except Exception as exc:  # a bug must not cost the rest of the run its articles
            summary.failed += 1
            on_error(f"{item.origin or item.id}: internal error {type(exc).__name__}: {exc} — "
                     "the article was not stored; please report this with the file")
            continue
        if status == "duplicate":
            summary.duplicates += 1
            continue
        batch.append(article)
        hashes[article.id] = signature
        summary.article_ids.append(article.id)
        if len(batch) >= settings.batch_size:
            flush()
    flush()
    summary.reprints = deduper.reprints_seen()
    return summary


def ingest_paths(
    paths: Sequence[str],
    options: Any,
    settings: Settings,
    on_error: ErrorSink = _stderr_sink,
    progress: bool = False,
    store: Store | None = None,
) -> IngestSummary:
    """Read every input (files, folders, .gz, WARC, feeds, JSONL, "-") into the store."""
    from .ingest import IngestStats, count_inputs, read_inputs

    # This run's own counts object: no state is left behind on the reader between runs.
    stats = IngestStats()
    with _store_for(settings, store) as db, _progress(progress, "ingest", count_inputs(paths, options)) as advance:
        summary = ingest_articles(db, read_inputs(paths, options, settings, stats), settings, on_error, advance)
    summary.skipped += stats.skipped
    return summary


def attribute_stored(
    settings: Settings,
    progress: bool = False,
    store: Store | None = None,
    on_error: ErrorSink = _stderr_sink,
) -> AttributeSummary:
    """Attribute and resolve every stored article no run has attributed yet; claims are committed
    per article, so an interrupted run resumes where it stopped."""
    from .attribute import Attributor
    from .resolve import Resolver

    summary = AttributeSummary(languages=settings.languages)
    with _store_for(settings, store) as db:
        pending = list(db.articles_to_attribute())
        if not pending:
            return summary
        attributor = Attributor.from_settings(settings)
        resolver = Resolver.from_settings(settings)
        with _progress(progress, "attribute", len(pending)) as advance:
            for article, claims, status, doc in attributor.run(pending):
                advance(1)
                if status == "attributed":
                    try:
                        claims = resolver.resolve(article, claims, doc)
                    except ClaimgraphError as exc:
                        status = f"failed:resolve: {exc}"
                    except Exception as exc:  # one article's bug must not stop the others
                        status = f"failed:resolve: internal error {type(exc).__name__}: {exc}"
                if status.startswith("failed"):
                    summary.failed += 1
                    on_error(f"article {article.id} ({article.origin or article.url}): {status}")
                    claims = ()
                elif status.startswith("skipped:"):
                    lang = status.split(":", 1)[1] or "unknown"
                    summary.skipped[lang] = summary.skipped.get(lang, 0) + 1
                else:
                    summary.articles += 1
                    summary.claims += len(claims)
                db.replace_claims(article.id, claims, status)
        return summary


def link_stored(settings: Settings, store: Store | None = None) -> Any:
    """Update the trails with every claim that has none yet."""
    from .link import link_store

    with _store_for(settings, store) as db:
        return link_store(db, settings)


def run(
    paths: Sequence[str],
    options: Any,
    settings: Settings,
    on_error: ErrorSink = _stderr_sink,
    progress: bool = False,
) -> RunSummary:
    """The whole job: ingest, then (unless ``settings.attribute`` is off) attribute, resolve and link."""
    store = open_store(settings)
    try:
        summary = RunSummary(ingest_paths(paths, options, settings, on_error, progress, store))
        if settings.attribute:
            summary.attribute = attribute_stored(settings, progress, store, on_error)
            summary.link = link_stored(settings, store)
        return summary
    finally:
        store.close()


def ingest_documents(
    documents: Sequence[tuple[str, bytes]],
    options: Any,
    settings: Settings,
    store: Store,
) -> tuple[RunSummary, list[str]]:
    """Ingest in-memory documents (name, bytes) as the CLI would ingest files: used by the web
    server's upload endpoint. Returns the summary and the error lines."""
    import os
    import tempfile

    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="claimgraph-upload-") as tmp:
        names: dict[str, str] = {}
        for i, (name, data) in enumerate(documents):
            # Only the base name is kept, so an uploaded name can never point outside the folder.
            safe = os.path.basename(name) or f"upload-{i}"
            path = os.path.join(tmp, f"{i:04d}-{safe}")
            with open(path, "wb") as fh:
                fh.write(data)
            names[path] = safe

        def report(message: str) -> None:
            # The uploader knows its file by the name it sent, not by the server's temporary path.
            for path, safe in names.items():
                message = message.replace(path, safe)
            errors.append(message)

        summary = RunSummary(ingest_paths(list(names), options, settings, report, False, store))
    if settings.attribute:
        summary.attribute = attribute_stored(settings, False, store, errors.append)
        summary.link = link_stored(settings, store)
    return summary, errors
