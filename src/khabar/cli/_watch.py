"""khabar watch: poll feeds, alert on watchlists (see khabar.watch)."""

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..errors import UsageError
from ._app import DbOption, ModelOption, _handles_errors, _settings, app, err, out


@app.command()
@_handles_errors
def watch(
    config_file: Annotated[
        Path, typer.Argument(help="The TOML file of feeds, watchlists and notifiers.")
    ],
    db: DbOption = None,
    once: Annotated[
        bool, typer.Option("--once", help="Run one round and exit (for cron and tests).")
    ] = False,
    interval: Annotated[
        str | None,
        typer.Option(
            help="Time between rounds: 30s, 10m, 1h (default: the config's, else 10m).",
            show_default=False,
        ),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Allow fetching from private, loopback and link-local addresses.",
        ),
    ] = False,
    model: ModelOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print each round's report as one JSON line.")
    ] = False,
) -> None:
    """Poll the feeds of CONFIG.toml, ingest and extract what is new, and send an alert
    for each incident or statement a watchlist matches (again when an incident's toll,
    claimant or place precision changes).

    State lives in the database, so a restart neither re-alerts nor misses anything.
    With --once, exit code 1 when a feed failed or an alert is still queued.
    """
    from ..watch import Watcher, load_config, parse_duration

    config = load_config(config_file)
    options = config.watch
    updates: dict[str, object] = {}
    if allow_private:
        updates["allow_private"] = True
    if model:
        updates["model"] = model
    if interval is not None:
        try:
            updates["interval"] = parse_duration(interval)
        except ValueError as error:
            raise UsageError(f"--interval: {error}") from error
    if updates:
        config = config.model_copy(update={"watch": options.model_copy(update=updates)})
    settings = _settings(db, model=config.watch.model)
    from ._extract import _extractor

    extractor = _extractor(settings)
    from ..store import open_store

    store = open_store(settings.db)

    names = {feed.url: feed.name for feed in config.feed if feed.name}

    def show(report) -> None:  # type: ignore[no-untyped-def]
        if as_json:
            out.out(json.dumps(report.model_dump(mode="json")), highlight=False)
            return
        outcomes: dict[str, int] = {}
        for outcome in report.feeds.values():
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        feeds = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(outcomes.items()))
        pending = sum(report.pending.values())
        err.print(
            f"{report.started_at:%Y-%m-%d %H:%M:%S}Z  feeds: {feeds or 'none'}; "
            f"{report.new_articles} new article(s); {report.queued} alert(s) queued, "
            f"{report.delivered} delivered, {pending} waiting ({report.seconds:.1f} s)"
        )
        for url, problem in report.feed_errors.items():
            name = names.get(url)
            feed = f"{name} ({url})" if name else url
            err.print(f"  feed failed  {escape(feed)}: {escape(problem)}")
        for locator, problem in report.entry_errors.items():
            err.print(f"  entry failed {escape(locator)}: {escape(problem)} (retried next round)")
        for name, problem in report.notifier_errors.items():
            err.print(f"  notifier {escape(name)}: {escape(problem)}")

    last = None
    try:
        watcher = Watcher(store, config, extractor=extractor)
        try:
            if once:
                last = watcher.run_round()
                show(last)
            else:
                watcher.run(interval=config.watch.interval, on_round=show)
        finally:
            watcher.close()
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        store.close()
    if once and last is not None and last.failed:
        raise typer.Exit(1)
