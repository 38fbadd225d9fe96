"""The typer app, its shared options, settings and error handling."""

import dataclasses
import functools
import logging
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import KhabarError, NoDatabase, UsageError

if TYPE_CHECKING:  # the settings pull in every stage's options: imported when a command runs
    from ..settings import Settings
    from ..store import Store

app = typer.Typer(
    name="khabar",
    help="News coverage of political violence -> an evidence-linked record of incidents, "
    "statements and arrests.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

# Exit code by error class; the first class that matches wins.
EXIT_CODES: list[tuple[type[KhabarError], int]] = [(UsageError, 2), (KhabarError, 1)]

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="spaCy model for extraction: auto (default), blank, or an installed package.",
        show_default=False,
    ),
]

DocTimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--doc-timeout",
        help="Seconds allowed to read one document, and again to extract it (default 20; "
        "0: no limit). A document that overruns is abandoned (K130); the run goes on.",
        min=0,
        show_default=False,
    ),
]

QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="No progress bar (there is none when stderr is no terminal)."
    ),
]

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="KHABAR_DB",
        help="DuckDB file to use (created when missing), or a postgresql://user@host/name "
        "URL. Default: ./khabar.duckdb.",
        show_default=False,
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def _handles_errors(command: F) -> F:
    """Print a KhabarError as one line and exit with its code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KhabarError as error:
            err.print(f"error: {escape(str(error))}", soft_wrap=True)  # one line
            code = next(code for kind, code in EXIT_CODES if isinstance(error, kind))
            raise typer.Exit(code) from error

    return wrapper  # type: ignore[return-value]


def _settings(db: str | None, *, model: str | None = None, **ingest: Any) -> "Settings":
    from ..settings import Settings

    base = Settings()
    overrides: dict[str, Any] = {}
    if db:
        overrides["db"] = db
    if model:
        overrides["extract"] = base.extract.model_copy(update={"model": model})
    chosen = {key: value for key, value in ingest.items() if value is not None}
    if chosen:
        overrides["ingest"] = base.ingest.model_copy(update=chosen)
    try:
        return base.model_copy(update=overrides) if overrides else base
    except ValueError as error:
        raise UsageError(str(error)) from error


DEFAULT_DB = "khabar.duckdb"
"""Settings().db's default, known here so that reading commands skip the settings."""


@dataclasses.dataclass(frozen=True)
class Where:
    """The one setting a reading command needs: the database (option, else KHABAR_DB,
    which the option reads, else the default)."""

    db: str


def _where(db: str | None) -> Where:
    return Where(db or DEFAULT_DB)


def _version(value: bool) -> None:
    if value:
        from ..pipeline import khabar_version

        out.print(f"khabar {khabar_version()}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """khabar: turn news into incidents, statements and arrests, each with its evidence.

    Every command takes --db (or the KHABAR_DB environment variable) to choose the
    database.
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


class _store:
    """The database of a command. ``read_only``: the command only reads, so a DuckDB
    file opens read-only and can be read while another reader holds it; when a writer
    (khabar serve) holds it, the error names that process and the way through its API."""

    def __init__(self, settings: "Settings | Where", *, read_only: bool = False) -> None:
        self.settings = settings
        self.read_only = read_only
        self.store: Store | None = None

    def __enter__(self) -> "Store":
        from ..store import is_server_url, open_store

        location = self.settings.db
        if location != ":memory:" and not is_server_url(location) and not Path(location).exists():
            raise NoDatabase(
                f"no database at {location}: run `khabar ingest` first, or choose one "
                "with --db or KHABAR_DB"
            )
        self.store = open_store(location, read_only=self.read_only)
        return self.store

    def __exit__(self, *exc: object) -> None:
        if self.store is not None:
            self.store.close()
