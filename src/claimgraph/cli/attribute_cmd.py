"""``claimgraph attributions``: attribution spans for a JSON Lines file of texts (PolNeAR format)."""

from __future__ import annotations

import sys

import click

from .common import CONTEXT_SETTINGS, error_line, settings_from


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--input", "in_path", required=True, type=click.Path(dir_okay=False),
              help='JSON Lines, one {"id", "text"} object per line.')
@click.option("--output", "out_path", required=True, type=click.Path(dir_okay=False),
              help='Where to write {"id", "relations"} lines.')
def attributions(in_path: str, out_path: str) -> None:
    """Find attribution relations (source, cue and content character spans) in each text.

    The output can be scored with ../shared/eval/score_attributions.py. Each bad line gets one error
    line; the others are still written, and the exit code is 1 if any line failed.

    \b
    Example:
      claimgraph attributions --input texts.jsonl --output relations.jsonl
    """
    from ..attribute.model import attributions_jsonl
    from ..errors import ClaimgraphError

    failed = 0

    def on_error(exc: Exception) -> None:
        nonlocal failed
        failed += 1
        error_line(str(exc))

    try:
        n = attributions_jsonl(in_path, out_path, settings_from(), on_error=on_error)
    except (ClaimgraphError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{n} texts attributed" + (f", {failed} failed" if failed else ""), err=True)
    if failed:
        sys.exit(1)
