"""khabar serve: the API and the dashboard over one database."""

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..errors import UsageError
from ._app import DbOption, _handles_errors, _settings, _store, app, err


@app.command()
@_handles_errors
def serve(
    db: DbOption = None,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="Port to listen on (default 8000).")
    ] = None,
    watch: Annotated[
        Path | None,
        typer.Option(
            "--watch",
            help="Also run `khabar watch CONFIG.toml` in a process of its own, writing "
            "through this server (one DuckDB file serves a small desk).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the REST API (/api, schema at /docs) and the dashboard (/) until stopped.

    Writes (ingest, merge, split, correct) need the key set in KHABAR_SERVE__API_KEY;
    reads are open unless KHABAR_SERVE__OPEN_READS=false. With a DuckDB file the server
    holds the database: while it runs, ingest through the API (POST /api/ingest) or
    --watch, not the CLI. A PostgreSQL database is shared: what other processes write
    shows within a second.
    """
    import uvicorn

    from ..serve import create_app

    settings = _settings(db)
    options = settings.serve.model_copy(
        update={k: v for k, v in (("host", host), ("port", port)) if v is not None}
    )
    settings = settings.model_copy(update={"serve": options})
    if options.host not in ("127.0.0.1", "localhost", "::1") and options.open_reads:
        err.print(
            f"warning: serving on {escape(options.host)} with open reads: anyone who can "
            "reach it can read the database (set KHABAR_SERVE__OPEN_READS=false to close)"
        )
    if watch is not None:
        from ..watch import load_config

        load_config(watch)  # a bad config stops here, not in the child
    with _store(settings) as store:
        try:
            application = create_app(settings, store=store)
        except OSError as error:  # pragma: no cover - depends on the machine
            raise UsageError(str(error)) from error
        watcher = None
        if watch is not None:
            from ..serve._watch import WatchProcess

            catalog = application.state.catalog
            watcher = WatchProcess(watch, settings, store, catalog.guard)
            err.print(f"khabar: watching {escape(str(watch))} in process {watcher.pid}")
        writes = "need the API key" if options.api_key else "are off (no API key set)"
        err.print(
            f"khabar: dashboard at http://{escape(options.host)}:{options.port}/ , API at "
            f"/api (reference at /docs); writes {writes}. Ctrl+C stops."
        )
        try:
            uvicorn.run(application, host=options.host, port=options.port, log_level="warning")
        finally:
            if watcher is not None:
                watcher.stop()
