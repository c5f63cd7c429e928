"""Duplicates (same id) and reprints (near-identical text under another outlet)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from claimgraph.ingest import IngestOptions, article_id
from claimgraph.ingest.dedup import NUM_PERM, Deduper, minhash_signature
from claimgraph.models import Article
from claimgraph.settings import Settings

STORY = (
    "The Eastern Volunteer Militia claimed on Monday that the Halvik dam was leaking after overnight "
    "shelling, according to a post on its channel citing local sources. The militia said water was "
    "seeping through the northern wall and urged residents downstream to move to higher ground. "
    "Regional officials denied the report and said engineers had found no cracks in the structure."
)
OTHER = (
    "The regional council approved a new budget for schools on Tuesday after a four-hour debate in "
    "which opposition members criticised cuts to school transport and called for more teachers in the "
    "mountain districts, where classes have grown to more than forty pupils in some villages."
)


def art(text: str, outlet: str | None, n: int = 0) -> Article:
    return Article(id=article_id(outlet, text), title=f"t{n}", text=text, outlet=outlet)


class MemoryStore:
    """Just what the Deduper reads from a store."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[Article, bytes]] = {}

    def has_article(self, article_id: str) -> bool:
        return article_id in self.rows

    def get_article(self, article_id: str) -> Article | None:
        row = self.rows.get(article_id)
        return row[0] if row else None

    def iter_minhashes(self) -> Iterator[tuple[str, str | None, bytes]]:
        for aid, (a, sig) in self.rows.items():
            yield aid, a.outlet, sig

    def add(self, articles: Sequence[Article], hashes: Mapping[str, bytes]) -> None:
        for a in articles:
            self.rows[a.id] = (a, hashes[a.id])


class CorrectingStore(MemoryStore):
    """A store that can re-point a stored article at its original (the optional ``mark_reprint``)."""

    def mark_reprint(self, article_id: str, original_id: str) -> None:
        a, sig = self.rows[article_id]
        self.rows[article_id] = (dataclasses.replace(a, reprint_of=original_id), sig)


def dated(text: str, outlet: str, published: str) -> Article:
    return dataclasses.replace(art(text, outlet), published=published)


def test_original_published_first_but_ingested_later_gets_the_copies_repointed() -> None:
    store = CorrectingStore()
    d = Deduper(store, Settings())  # type: ignore[arg-type]
    copy = STORY.replace("on Monday", "on Monday,")
    status, reprint, sig = d.check(dated(copy, "horizondaily.example", "2025-11-08"))
    assert status == "new"
    store.add([reprint], {reprint.id: sig})
    status, original, sig2 = d.check(dated(STORY, "meridianwire.example", "2025-11-07"))
    assert status == "new" and original.reprint_of is None
    assert d.pending == {} and store.rows[reprint.id][0].reprint_of == original.id  # applied at once
    # a third copy, later, points at the original too
    status, third, _ = d.check(dated(copy + " Updated.", "keldarblog.net", "2025-11-09"))
    assert status == "reprint" and third.reprint_of == original.id


def test_corrections_wait_until_the_copy_is_stored() -> None:
    store = CorrectingStore()
    d = Deduper(store, Settings())  # type: ignore[arg-type]
    copy = STORY.replace("on Monday", "on Monday,")
    _, reprint, sig = d.check(dated(copy, "horizondaily.example", "2025-11-08"))
    _, original, sig2 = d.check(dated(STORY, "meridianwire.example", "2025-11-07"))
    assert d.pending == {reprint.id: original.id}  # the copy is still in the caller's batch
    store.add([reprint, original], {reprint.id: sig, original.id: sig2})
    assert d.flush_corrections() == 1 and d.pending == {}
    assert store.rows[reprint.id][0].reprint_of == original.id


def test_without_mark_reprint_the_later_seen_copy_is_the_reprint() -> None:
    d = Deduper(MemoryStore(), Settings())  # type: ignore[arg-type]
    copy = STORY.replace("on Monday", "on Monday,")
    first = dated(copy, "horizondaily.example", "2025-11-08")
    d.check(first)
    status, second, _ = d.check(dated(STORY, "meridianwire.example", "2025-11-07"))
    assert status == "reprint" and second.reprint_of == first.id


def test_same_article_twice_in_one_run_is_a_duplicate() -> None:
    d = Deduper(MemoryStore(), Settings())  # type: ignore[arg-type]
    assert d.check(art(STORY, "sana.sy"))[0] == "new"
    assert d.check(art(STORY, "sana.sy"))[0] == "duplicate"


def test_reprint_under_another_outlet_points_at_the_first() -> None:
    d = Deduper(MemoryStore(), Settings())  # type: ignore[arg-type]
    first = art(STORY, "sana.sy")
    d.check(first)
    copy = STORY.replace("on Monday", "on Monday,").replace("Regional officials", "The regional officials")
    status, marked, sig = d.check(art(copy, "keldarblog.net"))
    assert status == "reprint" and marked.reprint_of == first.id
    assert len(sig) == NUM_PERM * 8
    # a reprint of the reprint points at the original, where the words came from
    status, third, _ = d.check(art(copy + " Updated.", "tolvanherald.com"))
    assert status == "reprint" and third.reprint_of == first.id


def test_near_identical_text_under_the_same_outlet_is_new_not_reprint() -> None:
    d = Deduper(MemoryStore(), Settings())  # type: ignore[arg-type]
    d.check(art(STORY, "sana.sy"))
    status, a, _ = d.check(art(STORY + " Updated at noon.", "sana.sy"))
    assert status == "new" and a.reprint_of is None


def test_unrelated_and_short_texts_are_not_reprints() -> None:
    d = Deduper(MemoryStore(), Settings())  # type: ignore[arg-type]
    d.check(art(STORY, "sana.sy"))
    assert d.check(art(OTHER, "tass.com"))[0] == "new"
    d.check(art("Army denies the report.", "a.com"))
    assert d.check(art("Army denies the report!", "b.com"))[0] == "new"  # too short to call


def test_store_signatures_are_used_across_runs() -> None:
    store = MemoryStore()
    d1 = Deduper(store, Settings())  # type: ignore[arg-type]
    first = art(STORY, "sana.sy")
    _, a, sig = d1.check(first)
    store.add([a], {a.id: sig})
    d2 = Deduper(store, Settings())  # type: ignore[arg-type]
    assert d2.check(first)[0] == "duplicate"
    status, b, _ = d2.check(art(STORY, "keldarblog.net"))
    assert status == "reprint" and b.reprint_of == first.id


def test_threshold_setting_is_respected() -> None:
    half = STORY.split(". ")
    mixed = ". ".join(half[:2]) + ". " + OTHER
    d = Deduper(MemoryStore(), Settings(reprint_threshold=0.9))  # type: ignore[arg-type]
    d.check(art(STORY, "sana.sy"))
    assert d.check(art(mixed, "tass.com"))[0] == "new"


def test_signature_is_deterministic() -> None:
    assert minhash_signature(STORY) == minhash_signature(STORY)
    assert minhash_signature(STORY) != minhash_signature(OTHER)


def test_reingest_into_sqlite_stores_nothing_new(tmp_path: Path) -> None:
    """Through the orchestrator and the real store: a second run finds only duplicates, and a reprint
    of a stored article under another outlet is marked."""
    pytest.importorskip("claimgraph.store.sqlite")
    from claimgraph.pipeline import ingest_paths

    fixtures = Path(__file__).parent / "fixtures" / "ingest"
    settings = Settings(db=str(tmp_path / "t.db"), attribute=False)
    paths = [str(fixtures / "dump_wire.txt"), str(fixtures / "feed.rss")]
    first = ingest_paths(paths, IngestOptions(), settings, on_error=lambda m: None)
    assert first.stored == 3 and first.failed == 0
    again = ingest_paths(paths, IngestOptions(), settings, on_error=lambda m: None)
    assert again.stored == 0 and again.duplicates == 3
    reprint = tmp_path / "reprint.txt"
    reprint.write_text((fixtures / "dump_wire.txt").read_text(encoding="utf-8"), encoding="utf-8")
    third = ingest_paths([str(reprint)], IngestOptions(outlet="keldarblog.net"), settings, on_error=lambda m: None)
    assert third.reprints == 1 and third.stored == 1
    from claimgraph.store import open_store

    store = open_store(settings)
    try:
        stored = store.get_article(third.article_ids[0])
        assert stored is not None and stored.reprint_of is not None
        assert dataclasses.asdict(stored)["outlet"] == "keldarblog.net"
    finally:
        store.close()


def test_same_day_copy_that_credits_its_source_is_the_reprint() -> None:
    store = CorrectingStore()
    d = Deduper(store, Settings())  # type: ignore[arg-type]
    wire = dataclasses.replace(dated(STORY + " (VTA)", "vta.example", "2025-11-06"), outlet_name="VTA")
    copy = dated(STORY + " Reported by VTA.", "easterngazette.example", "2025-11-06")
    _, first, _ = d.check(copy)  # the tabloid's copy happens to be read first
    _, source, _ = d.check(wire)
    assert source.reprint_of is None and d.pending == {first.id: source.id}


def test_credits() -> None:
    from claimgraph.ingest.dedup import credits

    meridian = Article(id="m", title="", text="x", outlet="meridianwire.example", outlet_name="Meridian Wire")
    horizon = Article(id="h", title="", text="This story was provided by Meridian Wire.", outlet="horizondaily.example")
    assert credits(horizon, meridian) and not credits(meridian, horizon)
    vta = Article(id="v", title="", text="x", outlet="vta.example")
    assert credits(Article(id="g", title="", text="the agency (VTA) said", outlet="g.example"), vta)
    assert not credits(Article(id="g", title="", text="a vital statement", outlet="g.example"), vta)
