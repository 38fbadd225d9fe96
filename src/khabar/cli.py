"""The ``khabar`` command: parse, build Settings, call a stage, print.

Command names and output formats (``ingest``, ``articles --format jsonl``,
``export --format jsonl``, ``KHABAR_DB``) are a contract with scripts outside the
project: extend them, never break them. Exit codes: 0 success, 1 some inputs or the
database failed, 2 usage error.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import KhabarError, UsageError
from .ingest import Source
from .pipeline import (
    IngestSummary,
    export_records,
    extract_into,
    ingest_into,
    khabar_version,
    resolve_into,
)
from .records import Article
from .settings import Settings
from .store import ArticleQuery, Store, open_store

__all__ = ["app"]

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

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="KHABAR_DB",
        help="DuckDB file to use (created when missing). Default: ./khabar.duckdb.",
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
            err.print(f"error: {escape(str(error))}")
            code = next(code for kind, code in EXIT_CODES if isinstance(error, kind))
            raise typer.Exit(code) from error

    return wrapper  # type: ignore[return-value]


def _settings(db: str | None, *, model: str | None = None, **ingest: Any) -> Settings:
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


def _version(value: bool) -> None:
    if value:
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


# -- ingest ---------------------------------------------------------------------------


@app.command()
@_handles_errors
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (read recursively) and http(s) URLs of pages or feeds.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Allow fetching from private, loopback and link-local addresses.",
        ),
    ] = False,
    max_bytes: Annotated[
        int | None,
        typer.Option(help="Largest document read, in bytes (default 8,000,000).", min=1),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help="Seconds allowed for one download (default 20).", min=0.1),
    ] = None,
    follow_links: Annotated[
        bool,
        typer.Option(
            "--follow-links/--no-follow-links",
            help="Fetch the page of a feed entry that carries only a summary.",
        ),
    ] = True,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")
    ] = True,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as one JSON object.")
    ] = False,
    extract: Annotated[
        bool,
        typer.Option(
            "--extract/--no-extract",
            help="Extract incidents from the new articles (and any not read yet).",
        ),
    ] = True,
    model: ModelOption = None,
) -> None:
    """Read articles from files, folders, feeds, URLs and WARC files into the database,
    then extract incidents from them.

    Re-running is safe: an article already stored (same text) is counted as known.
    Exit code 1 when some inputs failed; the rest are stored all the same.
    """
    settings = _settings(
        db,
        model=model,
        allow_private=allow_private or None,
        max_bytes=max_bytes,
        timeout=timeout,
        follow_feed_links=follow_links,
    )
    extractor = _extractor(settings) if extract else None
    store = open_store(settings.db)
    try:
        with _progress_bar(enabled=progress and not as_json) as on_source:
            summary = ingest_into(
                store, inputs, options=settings.ingest, on_source=on_source, extractor=extractor
            )
        total = store.count_articles()
    finally:
        store.close()
    if as_json:
        out.print_json(data=summary.model_dump(mode="json") | {"database": settings.db})
    else:
        _print_summary(summary, settings.db, total)
    if summary.failures:
        raise typer.Exit(1)


class _progress_bar:
    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and err.is_terminal
        self.bar: Progress | None = None
        self.task: Any = None

    def __enter__(self) -> Callable[[Source | None, int], None] | None:
        if not self.enabled:
            return None
        self.bar = Progress(
            TextColumn("ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}"),
            console=err,
            transient=True,
        )
        self.bar.start()
        return self._advance

    def _advance(self, source: Source | None, total: int) -> None:
        assert self.bar is not None
        if source is None:
            self.task = self.bar.add_task("ingest", total=total, current="")
        else:
            self.bar.update(self.task, advance=1, current=escape(source.locator[-60:]))

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _print_summary(summary: IngestSummary, db: str, total: int) -> None:
    stories = sum(summary.split.values())
    out.print(
        f"{summary.sources} source(s) read into {escape(db)}: "
        f"{summary.new} new, {summary.known} already known, "
        f"{len(summary.split)} page(s) split into {stories} stories, "
        f"{len(summary.failures)} failed, {len(summary.skipped)} skipped. "
        f"The database holds {total} article(s)."
    )
    if summary.model:
        found = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(summary.records.items()))
        out.print(
            f"Extraction ({escape(summary.model)}) read {summary.extracted} article(s): "
            f"{found or 'nothing found'}."
        )
    if summary.resolved:
        mentions, events = summary.resolved
        out.print(f"Resolution: {mentions} incident mention(s) in {events} incident(s).")
    for locator, encoding in sorted(summary.decoded.items()):
        out.print(f"  note    {escape(locator)}: not UTF-8, decoded as {escape(encoding)}")
    for name in summary.skipped:
        out.print(f"  skipped {escape(name)}: not a type khabar reads")
    for failure in summary.failures:
        out.print(f"  failed  {escape(failure.locator)}: [{failure.code}] {escape(failure.reason)}")


# -- articles and show ----------------------------------------------------------------


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


def article_row(article: Article) -> dict[str, Any]:
    """The object ``khabar articles --format jsonl`` prints for one article."""
    return {
        "id": article.id,
        "file": article.file,
        "part": article.part,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "published_from": article.published_from,
        "dateline": article.dateline,
        "language": article.language,
        "chars": len(article.text),
    }


@app.command()
@_handles_errors
def articles(
    db: DbOption = None,
    since: Annotated[
        str | None, typer.Option(help="Published on or after this date (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Published on or before this date (YYYY-MM-DD).")
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name contains this.")] = None,
    text: Annotated[str | None, typer.Option(help="Title or text contains this.")] = None,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.", min=1)] = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", help="table for people, jsonl for scripts.")
    ] = ListFormat.table,
) -> None:
    """List stored articles, newest first (undated last)."""
    settings = _settings(db)
    try:
        query = ArticleQuery(since=since, until=until, outlet=outlet, text=text, limit=limit)
    except ValueError as error:
        raise UsageError(f"bad filter: {error}") from error
    with _store(settings) as store:
        found = store.list_articles(query)
    if fmt is ListFormat.jsonl:
        for article in found:
            out.out(json.dumps(article_row(article), ensure_ascii=False), highlight=False)
        return
    # Fixed widths: rich's own fitting drops whole no-wrap columns on a narrow terminal.
    wide = out.width >= 110  # the file column only where it fits beside the title
    widths = {"id": 16, "published": 10, "outlet": 14, "file": 30 if wide else 0}
    padding = 2 * (len([w for w in widths.values() if w]) + 1)
    widths["title"] = max(20, out.width - sum(widths.values()) - padding)
    table = Table(box=None, show_edge=False)
    for name, width in widths.items():
        if width:
            table.add_column(name, no_wrap=True, overflow="ellipsis", width=width)
    for article in found:
        where = article.file or article.url or ""
        if article.part:
            where += f" #{article.part}"
        cells = [
            article.id,
            article.published.isoformat() if article.published else "-",
            escape(article.outlet or "-"),
            *([escape(where)] if wide else []),
            escape(article.title or article.text[:80]),
        ]
        table.add_row(*cells)
    out.print(table)
    out.print(f"{len(found)} article(s)")


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
@_handles_errors
def show(
    article_id: Annotated[
        str, typer.Argument(metavar="ID", help="An article id or its first characters.")
    ],
    db: DbOption = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = ShowFormat.text,
) -> None:
    """Show one article (its metadata, every source it was read from, its text) or one
    incident (its sources, why they were merged, the values they disagree on, and the
    evidence behind each value)."""
    settings = _settings(db)
    with _store(settings) as store:
        if article_id.startswith("evt-"):
            _show_event(store, article_id, fmt)
            return
        found = store.find_articles(article_id)
        if not found:
            raise KhabarError(f"no article with an id starting {article_id!r}")
        if len(found) > 1:
            ids = ", ".join(article.id for article in found)
            raise UsageError(f"{article_id!r} is the start of several ids: {ids}")
        article = found[0]
        sources = store.sources_of(article.id)
    if fmt is ShowFormat.json:
        data = article.model_dump(mode="json") | {
            "sources": [source.model_dump(mode="json") for source in sources]
        }
        out.out(json.dumps(data, ensure_ascii=False, indent=2), highlight=False)
        return
    meta = Table(box=None, show_header=False)
    for key, value in article_row(article).items():
        meta.add_row(key, escape("-" if value is None else str(value)))
    meta.add_row("encoding", escape(article.encoding or "utf-8"))
    out.print(meta)
    out.print(f"\nsources ({len(sources)}):")
    for source in sources:
        out.print(
            f"  {escape(source.locator)}  outlet={escape(source.outlet or '-')}  "
            f"url={escape(source.url or '-')}  first seen {source.first_seen:%Y-%m-%d %H:%M}"
        )
    out.print()
    out.print(escape(article.text))


def _show_event(store: Store, prefix: str, fmt: ShowFormat) -> None:
    event = _one_event(store, prefix)
    links = store.resolution_links()
    members = [
        (mention, published)
        for mention, published in store.incident_mentions()
        if links.get(mention.id, ("",))[0] == event.id
    ]
    if fmt is ShowFormat.json:
        data = event.model_dump(mode="json") | {
            "accounts": [
                {"mention": m.model_dump(mode="json"), "decision": links[m.id][1:]}
                for m, _ in members
            ]
        }
        out.out(json.dumps(data, ensure_ascii=False, indent=2), highlight=False)
        return
    out.print(f"[bold]{event.id}[/bold]  {event.event_type}")
    summary = Table(box=None, show_header=False)
    for name, value in _event_values(event).items():
        summary.add_row(name, escape(value))
    out.print(summary)
    out.print(f"\nsources ({len(event.sources)}):")
    for mention, published in members:
        source = mention.sources[0]
        _, score, reason = links[mention.id]
        out.print(
            f"  {escape(source.file or source.article_id)} ({source.role}, "
            f"{published or 'undated'}): {escape(reason)}"
            + (f" [score {score:.1f}]" if score is not None else "")
        )
    conflicts = Table("field", "value", "source", box=None)
    for name in ("date", "place", "fatalities", "injured", "event_type", "claimed by"):
        values = {_event_values(m)[name] for m, _ in members}
        if len(values) > 1:
            for mention, _ in members:
                conflicts.add_row(
                    name,
                    escape(_event_values(mention)[name]),
                    escape(mention.sources[0].file or ""),
                )
    if conflicts.row_count:
        out.print("\nwhere the sources disagree:")
        out.print(conflicts)
    out.print("\nevidence:")
    for evidence in event.evidence:
        out.print(
            f"  {evidence.field}: {escape(evidence.quote)}  "
            f"[{evidence.article_id} {evidence.start}-{evidence.end}]"
        )


def _event_values(incident) -> dict[str, str]:  # type: ignore[no-untyped-def]
    where = incident.location
    place = (
        ", ".join(filter(None, [where.place, where.admin2, where.admin1, where.country]))
        if where
        else "-"
    )

    def count(value) -> str:  # type: ignore[no-untyped-def]
        if value is None:
            return "-"
        return f"{value.best} (low {value.low}, high {value.high})"

    return {
        "date": (incident.date.value if incident.date else None) or "-",
        "place": place or "-",
        "fatalities": count(incident.fatalities),
        "injured": count(incident.injured),
        "event_type": incident.event_type,
        "victims": ", ".join(f"{v.nationality} {v.count}" for v in incident.victims) or "-",
        "claimed by": (incident.perpetrator.claimed_by if incident.perpetrator else None) or "-",
        "target": incident.target or "-",
    }


# -- export ---------------------------------------------------------------------------


class ExportFormat(StrEnum):
    jsonl = "jsonl"


class RecordKind(StrEnum):
    incident = "incident"
    statement = "statement"
    arrest = "arrest"


@app.command()
@_handles_errors
def export(
    db: DbOption = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="jsonl: one record per line (EVAL.md).")
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
    kind: Annotated[RecordKind | None, typer.Option(help="Only records of this kind.")] = None,
) -> None:
    """Export incidents, statements and arrests, each with its sources and evidence."""
    settings = _settings(db)
    with _store(settings) as store:
        lines = [record.model_dump_json() for record in export_records(store, kind and kind.value)]
    if output is None:
        for line in lines:
            out.out(line, highlight=False)
        return
    _write_atomically(output, "".join(line + "\n" for line in lines))
    err.print(f"{len(lines)} record(s) written to {escape(str(output))}")


def _write_atomically(path: Path, content: str) -> None:
    """Write through a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _store:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: Store | None = None

    def __enter__(self) -> Store:
        location = self.settings.db
        if location != ":memory:" and not Path(location).exists():
            raise KhabarError(
                f"no database at {location}: run `khabar ingest` first, or choose one "
                "with --db or KHABAR_DB"
            )
        self.store = open_store(location)
        return self.store

    def __exit__(self, *exc: object) -> None:
        if self.store is not None:
            self.store.close()


class StatementType(StrEnum):
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    REQUEST = "REQUEST"
    AGREE = "AGREE"
    THREATEN = "THREATEN"
    SUPPORT = "SUPPORT"
    CLAIM_RESPONSIBILITY = "CLAIM_RESPONSIBILITY"


@app.command()
@_handles_errors
def statements(
    db: DbOption = None,
    source: Annotated[
        str | None, typer.Option(help="Source actor (canonical name or alias, any case).")
    ] = None,
    target: Annotated[
        str | None, typer.Option(help="Target actor (canonical name or alias, any case).")
    ] = None,
    kind: Annotated[
        StatementType | None, typer.Option("--type", help="Statement type (PLOVER).")
    ] = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", help="table for people, jsonl for scripts.")
    ] = ListFormat.table,
) -> None:
    """List statements: who accused, rejected, requested, agreed, threatened, supported
    or claimed what, against whom, with the sentence that says so."""
    settings = _settings(db)
    from .extract.actors import load_actors

    actors = load_actors()

    def canonical(name: str | None) -> str | None:
        if not name:
            return None
        actor = actors.lookup(name)
        return (actors.canonical(actor).name if actor else name).casefold()

    wanted_source, wanted_target = canonical(source), canonical(target)
    with _store(settings) as store:
        found = [
            s
            for s in store.iter_records("statement")
            if (kind is None or s.type == kind.value)
            and (wanted_source is None or s.source.name.casefold() == wanted_source)
            and (
                wanted_target is None
                or (s.target is not None and s.target.name.casefold() == wanted_target)
            )
        ]
    found.sort(key=lambda s: ((s.date.value if s.date else "") or "", s.id), reverse=True)
    if fmt is ListFormat.jsonl:
        for statement in found:
            out.out(statement.model_dump_json(), highlight=False)
        return
    table = Table(box=None, show_edge=False)
    for name, width in (("date", 10), ("type", 12), ("source", 14), ("target", 14)):
        table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width)
    table.add_column("said", overflow="fold")
    for statement in found:
        table.add_row(
            (statement.date.value if statement.date else None) or "-",
            statement.type,
            escape(statement.source.name),
            escape(statement.target.name if statement.target else "-"),
            escape(statement.evidence[0].quote if statement.evidence else ""),
        )
    out.print(table)
    out.print(f"{len(found)} statement(s)")


def _extractor(settings: Settings):  # type: ignore[no-untyped-def]
    from .extract import Extractor

    return Extractor(settings.extract)


# -- extract and eval -----------------------------------------------------------------


@app.command("extract")
@_handles_errors
def extract_command(
    db: DbOption = None,
    every: Annotated[
        bool, typer.Option("--all", help="Re-read every article, not only new ones.")
    ] = False,
    model: ModelOption = None,
) -> None:
    """Extract incidents from stored articles that extraction has not read yet.

    With --all, every article is read again and its records replaced (after a model or
    rule change).
    """
    settings = _settings(db, model=model)
    with _store(settings) as store:
        summary = extract_into(store, _extractor(settings), every=every)
        summary.resolved = resolve_into(store)
    found = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(summary.records.items()))
    out.print(
        f"Extraction ({escape(summary.model or '-')}) read {summary.extracted} article(s): "
        f"{found or 'nothing found'}."
    )
    if summary.resolved:
        out.print(
            f"Resolution: {summary.resolved[0]} incident mention(s) in "
            f"{summary.resolved[1]} incident(s)."
        )


@app.command("eval")
@_handles_errors
def eval_command(
    gold: Annotated[
        Path, typer.Option("--gold", help="Gold annotations (JSON Lines, EVAL.md format).")
    ],
    articles_dir: Annotated[
        Path, typer.Option("--articles", help="The folder of articles the gold annotates.")
    ],
    misses: Annotated[
        bool, typer.Option("--misses", help="List missed and spurious incidents.")
    ] = False,
    model: ModelOption = None,
    per_article: Annotated[
        bool,
        typer.Option(
            "--per-article",
            help="Score the fields of every article's account of an incident, not only "
            "the best-matching one (stricter until resolution merges accounts).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score extraction against gold: ingest the articles into a temporary database,
    extract, and print incident detection, per-field and statement/arrest P/R/F1."""
    from .evaluate import load_gold, score
    from .ingest import IngestOptions

    if not gold.is_file():
        raise UsageError(f"no gold file at {gold}")
    if not articles_dir.exists():
        raise UsageError(f"no articles at {articles_dir}")
    try:
        expected = load_gold(gold)
    except ValueError as error:
        raise UsageError(str(error)) from error
    settings = _settings(None, model=model)
    extractor = _extractor(settings)
    with tempfile.TemporaryDirectory() as scratch:
        store = open_store(Path(scratch) / "eval.duckdb")
        try:
            ingest_into(
                store,
                [str(articles_dir)],
                options=IngestOptions(follow_feed_links=False),
                extractor=extractor,
            )
            records = export_records(store)
        finally:
            store.close()
    report = score(
        records,
        expected,
        gazetteer=extractor.gazetteer,
        actors=extractor.actors,
        per_article=per_article,
    )
    if as_json:
        data = report.as_dict() | {"model": f"{extractor.info.name} {extractor.info.version}"}
        out.print_json(data=data)
        return
    _print_report(report, f"{extractor.info.name} {extractor.info.version}", misses=misses)


def _print_report(report, model: str, *, misses: bool) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"khabar eval ({model})", box=None)
    for column in ("", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column else "left")

    def row(name: str, prf) -> None:  # type: ignore[no-untyped-def]
        table.add_row(
            name,
            str(prf.tp),
            str(prf.fp),
            str(prf.fn),
            f"{prf.precision:.3f}",
            f"{prf.recall:.3f}",
            f"{prf.f1:.3f}",
        )

    row("incidents", report.incidents)
    row("merges (pairwise)", report.merges)
    row("fields (all)", report.field_total)
    for name, prf in report.fields.items():
        row(f"  {name}", prf)
    row("statements", report.statements)
    row("arrests", report.arrests)
    out.print(table)
    out.print(
        f"{report.duplicates} matched incident(s) left unmerged with another of the same "
        "event (fields are scored on the best; --per-article scores every account)"
    )
    if misses:
        out.print("\nmissed gold incidents:")
        for line in report.misses or ["(none)"]:
            out.print(f"  {escape(line)}")
        out.print("spurious incidents:")
        for line in report.spurious or ["(none)"]:
            out.print(f"  {escape(line)}")
        out.print("field errors on matched incidents:")
        for line in report.field_errors or ["(none)"]:
            out.print(f"  {escape(line)}")
        out.print("statements (article / type / source / target):")
        for line in report.statement_errors or ["(none)"]:
            out.print(f"  {escape(line)}")
        out.print("arrests (article / actor / count):")
        for line in report.arrest_errors or ["(none)"]:
            out.print(f"  {escape(line)}")


# -- resolution -----------------------------------------------------------------------


@app.command("resolve")
@_handles_errors
def resolve_command(
    db: DbOption = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Decide every mention again, not only new ones.")
    ] = False,
) -> None:
    """Merge the incidents that articles report into one incident per real event.

    Runs after every ingest and extract; run it with --rebuild to decide everything
    again (the result is the same as the incremental one). Analysts' merges and splits
    (khabar incidents merge/split) always apply.
    """
    settings = _settings(db)
    with _store(settings) as store:
        mentions, events = resolve_into(store, rebuild=rebuild)
    out.print(f"Resolution: {mentions} incident mention(s) in {events} incident(s).")


incidents_app = typer.Typer(
    help="List resolved incidents; merge or split them by hand.", no_args_is_help=False
)
app.add_typer(incidents_app, name="incidents")


@incidents_app.callback(invoke_without_command=True)
@_handles_errors
def incidents(
    ctx: typer.Context,
    db: DbOption = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. PK.")] = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", help="table for people, jsonl for scripts.")
    ] = ListFormat.table,
) -> None:
    """List incidents, one per real event, with how many articles report or mention them."""
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings(db)
    with _store(settings) as store:
        found = [
            e
            for e in store.iter_events()
            if country is None or (e.location and e.location.country == country.upper())
        ]
    found.sort(key=lambda e: ((e.date.value if e.date else None) or "", e.id), reverse=True)
    if fmt is ListFormat.jsonl:
        for event in found:
            out.out(event.model_dump_json(), highlight=False)
        return
    table = Table(box=None, show_edge=False)
    for name, width in (
        ("id", 20),
        ("date", 10),
        ("type", 13),
        ("where", 24),
        ("killed", 6),
        ("sources", 9),
    ):
        table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width)
    for event in found:
        where = event.location
        place = (where.place or where.admin2 or where.admin1 or where.country) if where else "-"
        reports = sum(1 for s in event.sources if s.role == "report")
        table.add_row(
            event.id,
            (event.date.value if event.date else None) or "-",
            event.event_type,
            escape(f"{place}, {where.country}" if where and where.country else place or "-"),
            str(event.fatalities.best)
            if event.fatalities and event.fatalities.best is not None
            else "-",
            f"{reports}r {len(event.sources) - reports}m",
        )
    out.print(table)
    out.print(f"{len(found)} incident(s); sources: r = reports, m = mentions")


def _one_event(store: Store, prefix: str):  # type: ignore[no-untyped-def]
    found = store.find_events(prefix)
    if not found:
        raise KhabarError(f"no incident with an id starting {prefix!r}")
    if len(found) > 1:
        raise UsageError(f"{prefix!r} is the start of several incident ids")
    return found[0]


def _mentions_of(store: Store, event_id: str) -> list[str]:
    return sorted(m for m, (e, _, _) in store.resolution_links().items() if e == event_id)


@incidents_app.command("merge")
@_handles_errors
def incidents_merge(
    first: Annotated[str, typer.Argument(metavar="A", help="An incident id (or its start).")],
    second: Annotated[str, typer.Argument(metavar="B", help="Another incident id.")],
    db: DbOption = None,
) -> None:
    """Merge incident B into A by hand; the decision is stored and survives re-runs."""
    settings = _settings(db)
    with _store(settings) as store:
        a, b = _one_event(store, first), _one_event(store, second)
        store.add_overrides(
            [
                (x, y, "together")
                for x in _mentions_of(store, a.id)
                for y in _mentions_of(store, b.id)
            ]
        )
        mentions, events = resolve_into(store, rebuild=True)
    out.print(f"Merged {b.id} into {a.id}: {mentions} mention(s) in {events} incident(s).")


@incidents_app.command("split")
@_handles_errors
def incidents_split(
    event: Annotated[str, typer.Argument(metavar="INCIDENT", help="An incident id.")],
    article: Annotated[
        str, typer.Argument(metavar="ARTICLE", help="The id of the article to split off.")
    ],
    db: DbOption = None,
) -> None:
    """Split one article's account off an incident by hand; stored, survives re-runs."""
    settings = _settings(db)
    with _store(settings) as store:
        found = _one_event(store, event)
        members = _mentions_of(store, found.id)
        mentions = {
            m: mention
            for mention, _ in store.incident_mentions()
            for m in [mention.id]
            if m in members
        }
        leaving = [
            m
            for m, mention in mentions.items()
            if mention.sources[0].article_id.startswith(article)
        ]
        if not leaving:
            raise UsageError(f"no account of {found.id} comes from an article {article!r}")
        staying = [m for m in members if m not in leaving]
        store.add_overrides([(x, y, "apart") for x in leaving for y in staying])
        total, events = resolve_into(store, rebuild=True)
    out.print(
        f"Split {len(leaving)} account(s) off {found.id}: {total} mention(s) in "
        f"{events} incident(s)."
    )
