"""The CLI's promises that do not depend on a stage: light start-up, documented commands."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from claimgraph.cli import cli

HEAVY = ("spacy", "trafilatura", "torch", "thinc", "transformers", "dask", "pyarrow", "plotly")


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys, json\n"
        "from claimgraph.cli import cli\n"
        "try:\n    cli(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(json.loads(out.stdout.strip().splitlines()[-1]))
    loaded = [m for m in HEAVY if m in modules]
    assert not loaded, f"claimgraph --help imported {loaded}"


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    ctx = cli.make_context("claimgraph", ["--help"], resilient_parsing=True)
    names = cli.list_commands(ctx)
    assert "ingest" in names and "articles" in names
    for name in names:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Example" in result.output, f"'claimgraph {name} --help' shows no example"


def test_module_entry_point() -> None:
    out = subprocess.run([sys.executable, "-m", "claimgraph", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "ingest" in out.stdout
