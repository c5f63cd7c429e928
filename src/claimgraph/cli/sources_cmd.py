"""``claimgraph sources``: list, search and show registry entries; check a user registry file."""

from __future__ import annotations

import sys

import click

from .common import (
    CONTEXT_SETTINGS,
    cell,
    error_line,
    json_option,
    limit_option,
    print_jsonl,
    printable,
    settings_from,
    table_console,
)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("query", required=False)
@json_option
@click.option("--registry", "registry", metavar="FILE", default=None,
              help="A user registry (TOML) layered over the shipped one; setting `registry`.")
@click.option("--check", "check", metavar="FILE", default=None,
              help="Validate a user registry file and report each problem with its line.")
@limit_option("entries")
def sources(query: str | None, as_json: bool, registry: str | None, check: str | None,
            limit: int | None) -> None:
    """List the source registry, search it (QUERY matches ids, names, aliases, domains, countries
    and groups; a misspelt name finds its entry), or show one entry by id.

    \b
    Example:
      claimgraph sources sana
      claimgraph sources "Russian state" --json
      claimgraph sources --check my-sources.toml
    """
    from ..errors import RegistryError

    if check:
        sys.exit(_check(check))
    settings = settings_from(registry=registry)
    from ..resolve.registry import Registry

    try:
        reg = Registry.load(settings.registry, fuzzy_threshold=settings.fuzzy_threshold)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    exact = reg.get(query) if query else None
    found = [exact] if exact else reg.search(query, limit=limit)
    if as_json:
        print_jsonl(e.to_dict() for e in found)
        return
    if exact is not None:
        for key, value in exact.to_dict().items():
            shown = ", ".join(value) if isinstance(value, list) else value
            click.echo(f"{key:>10}: {printable(shown)}")
        return
    from rich.table import Table

    table = Table("id", "name", "kind", "country", "ownership", "group", box=None)
    for e in found:
        table.add_row(*(cell(v) for v in (e.id, e.name, e.kind, e.country, e.ownership, e.group)))
    table_console().print(table)
    click.echo(f"{len(found)} of {len(reg)} entries")


def _check(path: str) -> int:
    """Print each problem of a user registry file as FILE:LINE: message; the exit status."""
    from ..errors import RegistryError
    from ..resolve.registry import check_registry_file

    try:
        report = check_registry_file(path)
    except RegistryError as exc:
        error_line(str(exc))
        return 1
    for p in report.problems:
        error_line(f"{path}:{p.line}: {p.message}")
    if report.problems:
        click.echo(f"{path}: {len(report.problems)} problem(s) in {report.entries} entries", err=True)
        return 1
    overriding = report.entries - report.new
    click.echo(f"{path}: {report.entries} entries ok ({report.new} new, {overriding} overriding shipped entries)")
    return 0
