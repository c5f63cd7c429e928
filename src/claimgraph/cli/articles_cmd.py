"""``claimgraph articles``: list stored articles."""

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
@json_option
@click.option("--search", help="Full-text search over titles and text.")
@limit_option("articles")
def articles(db: str | None, as_json: bool, search: str | None, limit: int | None) -> None:
    """List stored articles as a table, or as JSON Lines with --json.

    \b
    Example:
      claimgraph articles --db demo.db --search helicopters
      claimgraph articles --json | jq .title
    """
    from ..store import ArticleFilter

    store = open_store_or_exit(settings_from(db=db))
    try:
        rows = store.iter_articles(ArticleFilter(search=search), limit=limit)
        if as_json:
            print_jsonl(rows)
            return
        from rich.table import Table

        table = Table("id", "published", "outlet", "lang", "title", "reprint of", box=None)
        n = 0
        for a in rows:
            n += 1
            cells = (a.id, a.published or "", a.outlet or "", a.language or "", a.title[:70],
                     a.reprint_of or "")
            table.add_row(*(cell(c) for c in cells))  # untrusted: literal, no control codes
        table_console().print(table)
        click.echo(f"{n} articles")
    finally:
        store.close()
