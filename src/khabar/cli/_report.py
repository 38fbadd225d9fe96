"""khabar report: a period's situation report as one self-contained HTML file."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..errors import UsageError
from ._app import DbOption, _handles_errors, _settings, _store, app, err, out


@app.command()
@_handles_errors
def report(
    db: DbOption = None,
    since: Annotated[
        str,
        typer.Option(
            help="Start: 7d, 2w, 3m, 1y back from --until (both days counted), or a day YYYY-MM-DD."
        ),
    ] = "7d",
    until: Annotated[
        str | None, typer.Option(help="Last day of the period, YYYY-MM-DD (default today, UTC).")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Only this country (ISO code, e.g. PK).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="The dashboard's address (http://host:port): incidents link to it."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="A title instead of the default.")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
) -> None:
    """Write a situation report: headline figures against the previous period, a map,
    incidents and killed over time, by province and by actor, the incidents with their
    sources, the notable statements. One HTML file; images inlined, nothing fetched."""
    from .._extras import require
    from ..report import ReportOptions, build, parse_since, render

    require("matplotlib", "report", "khabar report (its map and charts)")
    from ._articles import _write_atomically

    try:
        last = dt.date.fromisoformat(until) if until else dt.datetime.now(dt.UTC).date()
        options = ReportOptions(
            since=parse_since(since, last),
            until=last,
            country=country,
            base_url=base_url,
            title=title,
        )
    except ValueError as error:
        from pydantic import ValidationError

        reason = (
            "; ".join(e["msg"] for e in error.errors())
            if isinstance(error, ValidationError)
            else str(error)
        )
        raise UsageError(f"bad period or option: {reason}") from error
    settings = _settings(db)
    with _store(settings, read_only=True) as store:
        data = build(store, options)
    page = render(data)
    if output is None:
        out.out(page, highlight=False)
        return
    _write_atomically(output, page)
    err.print(
        f"report of {options.since} to {options.until}: {data.current.incidents} incident(s), "
        f"{data.current.statements} statement(s), written to {escape(str(output))}"
    )
