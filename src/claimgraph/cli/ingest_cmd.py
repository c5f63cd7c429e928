"""``claimgraph ingest``: read articles into the store, then attribute, resolve and link them."""

from __future__ import annotations

import sys

import click

from .common import CONTEXT_SETTINGS, db_option, error_line, settings_from

FORMATS = ["auto", "html", "text", "warc", "feed", "jsonl"]


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a --published that is no date once, up front, rather than once per file read
    (a plain ClickException: one error line and exit code 1, like every other bad input)."""
    if value is None:
        return None
    from ..ingest.article import normalise_date

    date = normalise_date(value)
    if date is None:
        raise click.ClickException(f"--published {value!r} is not a date; give it as YYYY-MM-DD, e.g. 2017-12-29")
    return date


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="Input format; detected from content and name when auto.")
@click.option("--outlet", help="Outlet (domain) of the input when the page does not say it.")
@click.option("--url", help="URL of the input when the page does not say it.")
@click.option("--published", callback=_date_option, help="Publication date (YYYY-MM-DD) when the page does not say it.")
@click.option("--recursive", "-r", is_flag=True, help="Descend into sub-folders of folder PATHs.")
@click.option("--attribute/--no-attribute", default=None,
              help="Attribute, resolve and link after ingesting (default on).")
@click.option("--registry", type=click.Path(dir_okay=False), default=None,
              help="A registry file (TOML) layered over the shipped one; env CLAIMGRAPH_REGISTRY.")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on a terminal.")
def ingest(paths: tuple[str, ...], db: str | None, fmt: str, outlet: str | None, url: str | None,
           published: str | None, recursive: bool, attribute: bool | None, registry: str | None,
           progress: bool) -> None:
    """Ingest articles from files, folders, .gz files, WARC files, RSS/Atom feeds, JSON Lines or
    '-' (stdin).

    Each bad file or record gets one error line; the rest is processed and the exit code is 1 if
    anything failed.

    \b
    Example:
      claimgraph ingest examples/ --recursive --db demo.db
      claimgraph ingest page.txt --outlet example.org --published 2017-12-29
    """
    from ..errors import ClaimgraphError
    from ..ingest import IngestOptions
    from ..pipeline import run

    settings = settings_from(db=db, attribute=attribute, registry=registry)
    options = IngestOptions(fmt=fmt, outlet=outlet, url=url, published=published, recursive=recursive)
    try:
        summary = run(list(paths), options, settings, on_error=error_line, progress=progress)
    except ClaimgraphError as exc:  # the store or a stage cannot run at all: one line, not a traceback
        raise click.ClickException(str(exc)) from exc
    click.echo(summary.ingest.line())
    if summary.attribute is not None:
        click.echo(summary.attribute.line())
    if summary.link is not None:
        line = getattr(summary.link, "line", None)
        click.echo(line() if callable(line) else str(summary.link))
    if not summary.ok:
        sys.exit(1)
