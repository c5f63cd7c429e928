"""``claimgraph serve`` (the web UI and JSON API) and ``claimgraph export`` (files for other tools)."""

from __future__ import annotations

import sys

import click

from .common import CONTEXT_SETTINGS, db_option, open_store_or_exit, settings_from

EXPORT_FORMATS = ("json", "csv", "parquet", "claimreview", "graphml", "prov")  # = export.FORMATS, kept light


@click.command(context_settings=CONTEXT_SETTINGS)
@db_option
@click.option("--host", default=None, help="Interface to bind (default 127.0.0.1: this machine only).")
@click.option("--port", type=int, default=None, help="Port (default 8080).")
@click.option("--token", envvar="CLAIMGRAPH_TOKEN", default=None,
              help="Enables POST /api/articles for clients sending this bearer token; env CLAIMGRAPH_TOKEN.")
@click.option("--demo", is_flag=True, help="Serve a small fictional demo from memory instead of a database.")
def serve(db: str | None, host: str | None, port: int | None, token: str | None, demo: bool) -> None:
    """Serve the web UI and the JSON API (every page has a .json twin; OpenAPI at /openapi.json).

    \b
    Example:
      claimgraph serve --db demo.db            # then open http://127.0.0.1:8080/
      claimgraph serve --demo --port 8000
    """
    import uvicorn

    from ..web import create_app

    settings = settings_from(db=db, host=host, port=port, token=token)
    factory = None
    if demo:
        from ..web.demo import demo_store

        store = demo_store()

        def factory():  # type: ignore[no-untyped-def]
            return store
    else:
        open_store_or_exit(settings).close()  # fail now, with a clear message, not on the first request
    from ..web.app import LOOPBACK_HOSTS

    loopback = settings.host in LOOPBACK_HOSTS
    if not loopback:
        click.echo(f"warning: listening on {settings.host}: other machines can reach this server", err=True)
    _check_port_free(settings.host, settings.port)
    app = create_app(settings, store_factory=factory, allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    click.echo(f"claimgraph: open http://{settings.host}:{settings.port}/ (Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning",
                limit_concurrency=64, timeout_keep_alive=5)


def _check_port_free(host: str, port: int) -> None:
    """Fail with one line before the "open http://..." invitation when the address is taken;
    uvicorn would print its own log line after it and exit with status 3."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}: {exc}; check --host") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # The same option uvicorn sets, so a port in TIME_WAIT after a restart does not count as taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise click.ClickException(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port "
                "or stop the program that uses it") from exc


@click.command(context_settings=CONTEXT_SETTINGS)
@db_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="Export format.")
@click.option("--trail", "trail_id", default=None, metavar="ID", help="Only this trail and what it touches.")
@click.option("--table", type=click.Choice(["claims", "articles"]), default="claims", show_default=True,
              help="For csv and parquet: which table.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE (default: standard output).")
def export(db: str | None, fmt: str, trail_id: str | None, table: str, out_path: str | None) -> None:
    """Export claims, articles and trails: json, csv, parquet, claimreview (JSON-LD), graphml, prov.

    \b
    Example:
      claimgraph export --format claimreview --trail t-3f2a --out trail.jsonld
      claimgraph export --format csv --table articles --out articles.csv
    """
    from ..errors import ClaimgraphError
    from ..export import export_to_file, write_export

    if fmt == "parquet" and out_path is None and sys.stdout.isatty():
        raise click.UsageError("parquet is binary: give --out FILE or redirect standard output")
    store = open_store_or_exit(settings_from(db=db))
    try:
        if out_path is None:
            n = write_export(store, fmt, sys.stdout.buffer, trail_id, table)
            sys.stdout.buffer.flush()
        else:
            n = export_to_file(store, fmt, out_path, trail_id, table)
        click.echo(f"{n} records exported as {fmt}" + (f" to {out_path}" if out_path else ""), err=True)
    except ClaimgraphError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
