"""khabar ingest, articles, show and export."""

import io
import json
import os
import sys
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import NotFound, UsageError
from ._app import (
    DbOption,
    DocTimeoutOption,
    ListFormat,
    ModelOption,
    ShowFormat,
    _handles_errors,
    _settings,
    _store,
    _where,
    app,
    err,
    out,
)
from ._batch import WorkersOption, workers_or_default

if TYPE_CHECKING:  # the stages load when a command needs them, so --help starts at once
    from rich.progress import Progress

    from ..ingest import Source
    from ..pipeline import IngestSummary
    from ..records import Article

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
    doc_timeout: DocTimeoutOption = None,
    follow_symlinks: Annotated[
        bool,
        typer.Option(
            "--follow-symlinks",
            help="Follow symbolic links in a folder that lead outside it (not followed by "
            "default: a folder from an archive or a share may link to /etc).",
        ),
    ] = False,
    workers: WorkersOption = None,
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
        doc_timeout=doc_timeout,
        follow_symlinks=follow_symlinks or None,
    )
    from ..ingest import discover
    from ..pipeline import ingest_into
    from ..store import open_store
    from ._extract import _extractor  # the model loads only when extraction runs

    # Inputs are checked before the model loads: nothing to read fails at once.
    found = discover(inputs, follow_symlinks=settings.ingest.follow_symlinks)
    if not found.sources and found.failures and not found.skipped:
        out.print(f"nothing read: all {len(inputs)} input(s) failed (the model was not loaded)")
        for failure in found.failures:
            out.print(
                f"  failed  {escape(failure.locator)}: [{failure.code}] {escape(failure.reason)}"
            )
        raise typer.Exit(1)
    extractor = _extractor(settings) if extract else None
    store = open_store(settings.db)
    try:
        with _progress_bar(enabled=progress and not as_json) as on_source:
            summary = ingest_into(
                store,
                inputs,
                options=settings.ingest,
                on_source=on_source,
                extractor=extractor,
                workers=workers_or_default(workers),
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

    def __enter__(self) -> "Callable[[Source | None, int], None] | None":
        if not self.enabled:
            return None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

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

    def _advance(self, source: "Source | None", total: int) -> None:
        assert self.bar is not None
        if source is None:
            self.task = self.bar.add_task("ingest", total=total, current="")
        else:
            self.bar.update(self.task, advance=1, current=escape(source.locator[-60:]))

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _print_summary(summary: "IngestSummary", db: str, total: int) -> None:
    stories = sum(summary.split.values())
    out.print(
        f"{summary.sources} source(s) read into {escape(db)}: "
        f"{summary.new} new, {summary.known} already known, "
        f"{len(summary.split)} page(s) split into {stories} stories, "
        f"{len(summary.failures)} failed, "
        f"{len(summary.skipped) + len(summary.skipped_links)} skipped. "
        f"The database holds {total} article(s)."
    )
    if summary.model:
        out.print(extraction_line(summary, total))
    if summary.resolved:
        mentions, events = summary.resolved
        out.print(f"Resolution: {mentions} incident mention(s) in {events} incident(s).")
    for locator, encoding in sorted(summary.decoded.items()):
        out.print(f"  note    {escape(locator)}: not UTF-8, decoded as {escape(encoding)}")
    for name in summary.skipped:
        out.print(f"  skipped {escape(name)}: not a type khabar reads")
    for name in summary.skipped_links:
        out.print(
            f"  skipped {escape(name)}: a symbolic link leading outside the folder "
            "(--follow-symlinks follows it)"
        )
    for failure in summary.failures:
        out.print(f"  failed  {escape(failure.locator)}: [{failure.code}] {escape(failure.reason)}")


def extraction_line(summary: "IngestSummary", total: int | None = None) -> str:
    """What extraction did, in words: a run with nothing new says that everything was
    already read rather than "read 0 article(s): nothing found"."""
    model = escape(summary.model or "-")
    if summary.extracted == 0 and not summary.failures:
        held = f"all {total} article(s) in the database" if total else "every stored article"
        return f"Extraction ({model}): nothing new to read; {held} had been read already."
    found = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(summary.records.items()))
    return (
        f"Extraction ({model}) read {summary.extracted} article(s): "
        f"{found or 'no incident, statement or arrest in them'}."
    )


# -- articles and show ----------------------------------------------------------------


def article_row(article: "Article") -> dict[str, Any]:
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
        ListFormat,
        typer.Option("--format", case_sensitive=False, help="table for people, jsonl for scripts."),
    ] = ListFormat.table,
) -> None:
    """List stored articles, newest first (undated last)."""
    from ..store import ArticleQuery

    settings = _where(db)
    try:
        query = ArticleQuery(since=since, until=until, outlet=outlet, text=text, limit=limit)
    except ValueError as error:
        raise UsageError(f"bad filter: {error}") from error
    with _store(settings, read_only=True) as store:
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


@app.command()
@_handles_errors
def show(
    article_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Any id khabar prints (article, evt-, inc-, st-, ar-, hd-) or its first "
            "characters.",
        ),
    ],
    db: DbOption = None,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", case_sensitive=False, help="text or json.")
    ] = ShowFormat.text,
) -> None:
    """Show one article (its metadata, every source it was read from, its text), one
    incident (its articles and sources, why they were merged, the values they disagree
    on, and the evidence behind each value), or a statement, arrest or hand decision.

    An account id (inc-, as extraction numbers one article's account) shows the
    incident that holds it."""
    from ._show import RECORD_PREFIXES, show_record

    settings = _where(db)
    with _store(settings, read_only=True) as store:
        if article_id.startswith(RECORD_PREFIXES):
            show_record(store, article_id, fmt)
            return
        found = store.find_articles(article_id)
        if not found:
            raise NotFound(f"no article with an id starting {article_id!r}")
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


# -- export ---------------------------------------------------------------------------


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    acled = "acled"
    csv = "csv"
    geojson = "geojson"
    parquet = "parquet"
    stix = "stix"


class RecordKind(StrEnum):
    incident = "incident"
    statement = "statement"
    arrest = "arrest"


@app.command()
@_handles_errors
def export(
    db: DbOption = None,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
            help="jsonl: one record per line (EVAL.md); acled: ACLED's CSV columns "
            "(docs/codebooks.md); csv: one row per record; geojson; parquet; stix (2.1).",
        ),
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
    kind: Annotated[
        RecordKind | None,
        typer.Option(
            case_sensitive=False,
            help="Only records of this kind (every kind in jsonl, else incidents).",
        ),
    ] = None,
    accounts: Annotated[
        bool,
        typer.Option(
            "--accounts",
            help="One incident record per article's account, before resolution, with "
            "`event`: the resolved incident it joined (jsonl only).",
        ),
    ] = False,
) -> None:
    """Export incidents, statements and arrests, each with its sources and evidence.

    With --accounts: every article's own account of an incident as extraction read it
    (the same format plus `event`), to score extraction apart from merging.
    """
    from .. import export as formats
    from ..pipeline import account_records, export_context, export_records

    settings = _settings(db)
    wanted = formats.check_kind(fmt.value, kind and kind.value)
    with _store(settings, read_only=True) as store:
        if accounts:
            if kind is not None and kind is not RecordKind.incident:
                raise UsageError("--accounts exports incident accounts only")
            if fmt is not ExportFormat.jsonl:
                raise UsageError("--accounts is written as jsonl only (--format jsonl)")
            lines = [
                json.dumps(record.model_dump(mode="json") | {"event": event}, ensure_ascii=False)
                for record, event in account_records(store)
            ]
            buffer = io.BytesIO("".join(line + "\n" for line in lines).encode("utf-8"))
            count = len(lines)
        else:
            records = export_records(store, wanted)
            context = export_context(store, records) if fmt is not ExportFormat.jsonl else None
            buffer = io.BytesIO()
            count = formats.write(records, fmt.value, buffer, context, kind=wanted)
    if output is None:
        if formats.FORMATS[fmt.value].binary and sys.stdout.isatty():
            raise UsageError(f"{fmt.value} is binary: give -o FILE or redirect the output")
        sys.stdout.flush()
        sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.flush()
        return
    _write_atomically(output, buffer.getvalue())
    err.print(f"{count} record(s) written to {escape(str(output))}")


def _write_atomically(path: Path, content: str | bytes) -> None:
    """Write through a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
