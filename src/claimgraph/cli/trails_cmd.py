"""``claimgraph link``, ``claimgraph trails`` and ``claimgraph trail ID``."""

from __future__ import annotations

import click

from .common import (
    CONTEXT_SETTINGS,
    db_option,
    error_line,
    json_option,
    open_store_or_exit,
    print_jsonl,
    settings_from,
    table_console,
)


@click.command(context_settings=CONTEXT_SETTINGS)
@db_option
@click.option("--rebuild", is_flag=True, help="Drop every trail and link all claims again (new trail ids).")
def link(db: str | None, rebuild: bool) -> None:
    """Link stored claims into trails (only claims in no trail yet are matched).

    \b
    Example:
      claimgraph link --db demo.db
      claimgraph link --db demo.db --rebuild
    """
    from ..errors import ClaimgraphError
    from ..link import link_store

    settings = settings_from(db=db)
    store = open_store_or_exit(settings)
    try:
        report = link_store(store, settings, rebuild=rebuild)
    except ClaimgraphError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    for message in report.errors:
        error_line(message)
    click.echo(report.line())


@click.command(context_settings=CONTEXT_SETTINGS)
@db_option
@json_option
@click.option("--search", help="Full-text search over trail summaries and sources.")
@click.option("--limit", type=int, default=None, help="At most this many trails.")
@click.option("--order", type=click.Choice(["size", "latest"]), default="size", show_default=True,
              help="Most articles first (the stories a fact-checker wants first), or most recent first.")
def trails(db: str | None, as_json: bool, search: str | None, limit: int | None, order: str) -> None:
    """List trails: one claim followed across outlets, with its verdict.

    \b
    Example:
      claimgraph trails --db demo.db --limit 10
      claimgraph trails --db demo.db --order latest
      claimgraph trails --json --search helicopters | jq .verdict
    """
    from ..link.render import trail_json

    store = open_store_or_exit(settings_from(db=db))
    try:
        rows = store.iter_trails(search=search, limit=limit, order=order)
        if as_json:
            print_jsonl(trail_json(t) for t in rows)
            return
        from rich.table import Table
        from rich.text import Text  # claim text is untrusted: never rich markup

        table = Table("id", "first seen", "last seen", "summary", "verdict", box=None)
        n = 0
        for t in rows:
            n += 1
            cells = (t.id, t.first_seen or "", t.last_seen or "", t.summary, t.verdict)
            table.add_row(*(Text(c) for c in cells))
        table_console().print(table)
        click.echo(f"{n} trails")
    finally:
        store.close()


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("trail_id", metavar="ID")
@db_option
@json_option
def trail(trail_id: str, db: str | None, as_json: bool) -> None:
    """Show one trail as a timeline: date, outlet, cue, source chain, stance, and its verdict.

    \b
    Example:
      claimgraph trail t7ce65f5177f6 --db demo.db
    """
    from ..link.render import timeline, timeline_text, trail_json

    store = open_store_or_exit(settings_from(db=db))
    try:
        found = store.get_trail(trail_id)
        if found is None:
            raise click.ClickException(f"no trail {trail_id!r} in the database; list them with `claimgraph trails`")
        if as_json:
            print_jsonl([trail_json(found)])
            return

        def reprint_of(article_id: str) -> str | None:
            # A reader wants to know whose words were copied: the original's outlet and date, with
            # its id to look it up; the bare id only when the original is no longer stored.
            article = store.get_article(article_id)
            if article is None or not article.reprint_of:
                return None
            original = store.get_article(article.reprint_of)
            if original is None:
                return article.reprint_of
            who = original.outlet_name or original.outlet or "?"
            when = f" {original.published[:10]}" if original.published else ""
            return f"{who}{when}, {original.id}"

        rows = timeline(found, store.get_claim, reprint_of)
        click.echo(timeline_text(found, rows))
    finally:
        store.close()
