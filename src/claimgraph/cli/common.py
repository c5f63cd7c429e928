"""Option bundles shared by the commands (one decorator each, as sqlite-utils does)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

F = TypeVar("F", bound=Callable[..., Any])


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        "db",
        envvar="CLAIMGRAPH_DB",
        default=None,
        metavar="FILE",
        help="SQLite file (default claimgraph.db) or postgresql:// URL; env CLAIMGRAPH_DB.",
    )(fn)


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON Lines instead of a table.")(fn)


def limit_option(noun: str) -> Callable[[F], F]:
    """``--limit N``: at most N rows. A negative N is refused rather than read as "none"."""
    def decorate(fn: F) -> F:
        return click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
                            help=f"At most this many {noun}.")(fn)
    return decorate


def settings_from(**overrides: Any):  # -> Settings, imported lazily to keep --help light
    from ..errors import SettingsError
    from ..settings import load_settings, unknown_keys_note

    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    note = unknown_keys_note(settings)
    if note:
        click.echo(f"warning: {note}", err=True)
    return settings


def open_store_or_exit(settings: Any):
    from ..errors import StoreError
    from ..store import open_store

    try:
        return open_store(settings)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def print_jsonl(rows: Iterable[Any]) -> int:
    """Write dicts (or dataclasses) as JSON Lines to stdout; returns how many."""
    from ..models import to_dict

    n = 0
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(to_dict(row), ensure_ascii=False) + "\n")
        n += 1
    return n


# Control characters (escape sequences among them) in stored or user-named strings would drive the
# terminal: recolour it, clear it, plant hyperlinks. Newlines and tabs stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """``text`` without terminal control characters."""
    return _CONTROL.sub("", str(text))


def cell(text: object) -> Any:  # -> rich.text.Text, imported lazily to keep --help light
    """A table cell for an untrusted string: rich markup in it stays literal, control codes go."""
    from rich.text import Text

    return Text(printable(text))


def error_line(message: str) -> None:
    """One clear error line on stderr: which file/record, what is wrong, what to do."""
    click.echo(f"error: {printable(message)}", err=True)


def table_console() -> Any:  # -> rich.console.Console, imported lazily to keep --help light
    """A console for tables: the terminal's width on a terminal, and a wide page when the output goes
    to a file or a pipe (rich would assume 80 columns and wrap every summary into a tall column)."""
    from rich.console import Console

    if sys.stdout.isatty():
        return Console()
    import os

    columns = os.environ.get("COLUMNS", "")
    return Console(width=int(columns) if columns.isdigit() else 160)
