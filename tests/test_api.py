"""The public API stays small, and every setting is documented in the README."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import claimgraph
from claimgraph.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_public_names_are_exactly_all() -> None:
    public = {n for n in dir(claimgraph) if not n.startswith("_")}
    modules = {"cli", "errors", "models", "pipeline", "settings", "store", "ingest", "attribute",
               "resolve", "link", "web", "export", "annotations"}
    assert set(claimgraph.__all__) == public - modules


def test_every_setting_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for f in dataclasses.fields(Settings):
        if f.name != "extra":
            assert f"`{f.name}`" in readme, f"setting {f.name} is not documented in README.md"


def test_settings_layering(tmp_path, monkeypatch) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('batch_size = 7\nmodel = "default"\nlanguages = ["en", "fr"]\n')
    monkeypatch.setenv("CLAIMGRAPH_BATCH_SIZE", "9")
    s = load_settings(cfg, db="x.db")
    assert s.batch_size == 9 and s.db == "x.db" and s.languages == ("en", "fr")


def test_run_is_callable_from_the_public_names_alone(tmp_path) -> None:
    # run() takes IngestOptions, so a user must not need an internal module to call it.
    page = tmp_path / "p.txt"
    page.write_text("Velmar pier to reopen\n\nThe Velmar harbour office said on Monday that the "
                    "north pier would reopen in April once the storm damage had been repaired.\n",
                    encoding="utf-8")
    settings = claimgraph.load_settings(db=str(tmp_path / "t.db"), attribute=False)
    summary = claimgraph.run([str(page)], claimgraph.IngestOptions(outlet="velmar.example"), settings)
    assert summary.ok and summary.ingest.stored == 1
