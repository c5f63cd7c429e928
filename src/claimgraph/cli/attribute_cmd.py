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
@click.option("--model", default=None, help="Attribution model: default, accurate, or a weights file.")
@click.option("--model-only", is_flag=True,
              help="The model's relations alone, without the rules the pipeline merges in.")
def attributions(in_path: str, out_path: str, model: str | None, model_only: bool) -> None:
    """Find attribution relations (source, cue and content character spans) in each text.

    The output can be scored with ../shared/eval/score_attributions.py. Each bad line gets one error
    line; the others are still written, and the exit code is 1 if any line failed.

    \b
    Example:
      claimgraph attributions --input texts.jsonl --output relations.jsonl
    """
    _check_files(in_path, out_path)
    from ..attribute.scorer_output import attributions_jsonl
    from ..errors import ClaimgraphError

    failed = 0

    def on_error(exc: Exception) -> None:
        nonlocal failed
        failed += 1
        error_line(str(exc))

    try:
        n = attributions_jsonl(in_path, out_path, settings_from(model=model), on_error=on_error,
                               rules=not model_only)
    except OSError as exc:
        raise click.ClickException(f"{exc.filename or in_path}: {exc.strerror or exc}; check the path") from exc
    except ClaimgraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{n} texts attributed" + (f", {failed} failed" if failed else ""), err=True)
    if failed:
        sys.exit(1)


def _check_files(in_path: str, out_path: str) -> None:
    """Refuse an unreadable or non-UTF-8 input and an output in a missing folder before the model
    loads (seconds), and before a decoding error half-way would cut the output short."""
    import codecs
    import os

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    try:
        with open(in_path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{in_path}: not UTF-8 text (near byte {offset + exc.start:,}); "
                                   "save it as UTF-8") from exc
    except OSError as exc:
        raise click.ClickException(f"{in_path}: cannot read it ({exc.strerror or exc}); check the path") from exc
    folder = os.path.dirname(os.path.abspath(out_path))
    if not os.path.isdir(folder):
        raise click.ClickException(f"{out_path}: folder {folder} does not exist; create it or choose "
                                   "another --output")
