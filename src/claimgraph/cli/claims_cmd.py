"""``claimgraph attribute`` (run attribution over stored articles) and ``claimgraph claims`` (list them)."""

from __future__ import annotations

import click

from .common import (
    CONTEXT_SETTINGS,
    cell,
    db_option,
    json_option,
    limit_option,
    open_store_or_exit,
    print_jsonl,
    settings_from,
    table_console,
)


@click.command(context_settings=CONTEXT_SETTINGS)
@db_option
@click.option("--model", default=None, help="Attribution model: default, accurate, or a weights file.")
def attribute(db: str | None, model: str | None) -> None:
    """Attribute every stored article that no run has attributed yet: who said what, through whom,
    with what stance. Articles in languages not analysed are marked skipped, with their language.

    \b
    Example:
      claimgraph ingest articles/ --no-attribute --db demo.db
      claimgraph attribute --db demo.db
    """
    from ..errors import ClaimgraphError
    from ..pipeline import attribute_stored

    settings = settings_from(db=db, model=model)
    try:
        summary = attribute_stored(settings, progress=True)
    except ClaimgraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(summary.line())
    if summary.failed:
        raise SystemExit(1)


@click.command(context_settings=CONTEXT_SETTINGS)
@db_option
@json_option
@click.option("--search", help="Full-text search over sentence, source and content.")
@click.option("--article", "article_id", help="Only the claims of this article id.")
@click.option("--stance", type=click.Choice(["assert", "accuse", "deny", "opinion", "predict"]),
              help="Only claims with this stance.")
@limit_option("claims")
def claims(db: str | None, as_json: bool, search: str | None, article_id: str | None,
           stance: str | None, limit: int | None) -> None:
    """List attributed claims: source (and its kind), channel, cue, stance and content, as a table
    or as JSON Lines with --json.

    \b
    Example:
      claimgraph claims --db demo.db --search helicopters
      claimgraph claims --json --stance deny | jq '.source.text'
    """
    from ..store import ClaimFilter

    store = open_store_or_exit(settings_from(db=db))
    try:
        rows = store.iter_claims(ClaimFilter(search=search, article_id=article_id, stance=stance),
                                 limit=limit)
        if as_json:
            from ..export import claim_record

            print_jsonl(claim_record(c) for c in rows)
            return
        from rich.table import Table

        table = Table(box=None, expand=True)
        table.add_column("id", no_wrap=True, overflow="ellipsis", max_width=24)
        table.add_column("source (kind)", ratio=2)
        table.add_column("channel / chain", ratio=2)
        table.add_column("cue", no_wrap=True, overflow="ellipsis", max_width=16)
        table.add_column("stance", no_wrap=True)
        table.add_column("content", ratio=5)
        n = 0
        for c in rows:
            n += 1
            chain = " ← ".join(link.text for link in c.chain) if len(c.chain) > 2 else ""
            relay = c.channel.text if c.channel else ""
            source = f"{c.source.text or '(unnamed)'} ({c.source.kind})"
            cells = (c.id, source, chain or relay, c.cue,
                     c.stance + (f" ({', '.join(c.hedges)})" if c.hedges else ""), c.content[:160])
            table.add_row(*(cell(x) for x in cells))  # untrusted: literal, no control codes
        table_console().print(table)
        click.echo(f"{n} claims")
    finally:
        store.close()
