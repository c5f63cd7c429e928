"""The ``claimgraph`` command: a thin layer over the library.

Each command lives in its own module under this package, parses options, calls one library function and
prints. Command modules import only click and the standard library at import time, so that
``claimgraph --help`` starts in milliseconds without spaCy, trafilatura or torch (a test checks it).
"""

from __future__ import annotations

import importlib
import sys

import click

from .common import CONTEXT_SETTINGS

# name -> "module:attribute"; loaded when the group is built, each module is light.
COMMANDS = {
    "ingest": "claimgraph.cli.ingest_cmd:ingest",
    "articles": "claimgraph.cli.articles_cmd:articles",
    "attribute": "claimgraph.cli.claims_cmd:attribute",
    "claims": "claimgraph.cli.claims_cmd:claims",
    "attributions": "claimgraph.cli.attribute_cmd:attributions",
    "sources": "claimgraph.cli.sources_cmd:sources",
    "link": "claimgraph.cli.trails_cmd:link",
    "trails": "claimgraph.cli.trails_cmd:trails",
    "trail": "claimgraph.cli.trails_cmd:trail",
    "serve": "claimgraph.cli.serve_cmd:serve",
    "export": "claimgraph.cli.serve_cmd:export",
}


class LazyGroup(click.Group):
    """Imports a command's module only when the command is listed or run; a module that is not
    written yet is simply absent, so the CLI works while stages are added."""

    def invoke(self, ctx: click.Context) -> object:
        # The safety net under every command: a claimgraph error that escapes one (a database damaged
        # under a running listing, say) is still one error line and exit code 1, never a traceback.
        from ..errors import ClaimgraphError
        from .common import printable

        try:
            return super().invoke(ctx)
        except ClaimgraphError as exc:
            raise click.ClickException(printable(exc)) from exc
        except click.UsageError:
            raise  # click's own wording, with the usage line
        except click.ClickException as exc:  # its message may quote a user's path or an id: no escapes
            raise click.ClickException(printable(exc.message)) from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [n for n in COMMANDS if self.get_command(ctx, n) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        return getattr(module, attr, None)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="claimgraph")
def cli() -> None:
    """Show where news claims come from: who said what, through whom, and how many
    independent sources stand behind it.

    \b
    Example:
      claimgraph ingest examples/ --recursive --db demo.db
      claimgraph trails --db demo.db
    """


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)
