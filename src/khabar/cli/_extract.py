"""khabar extract, eval and statements."""

import json
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import UsageError
from ._app import (
    DbOption,
    DocTimeoutOption,
    ListFormat,
    ModelOption,
    QuietOption,
    _handles_errors,
    _settings,
    _store,
    _where,
    app,
    out,
)
from ._batch import WorkersOption, workers_or_default

if TYPE_CHECKING:
    from ..settings import Settings


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
        StatementType | None,
        typer.Option("--type", case_sensitive=False, help="Statement type (PLOVER)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Said on or after this day (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Said on or before this day (YYYY-MM-DD).")
    ] = None,
    about: Annotated[
        str | None,
        typer.Option(help="About this incident (an evt- id, or an inc- account id)."),
    ] = None,
    fmt: Annotated[
        ListFormat,
        typer.Option("--format", case_sensitive=False, help="table for people, jsonl for scripts."),
    ] = ListFormat.table,
) -> None:
    """List statements: who accused, rejected, requested, agreed, threatened, supported
    or claimed what, against whom, with the sentence that says so.

    The filters are those of GET /api/statements. `about` is the incident's evt- id, as
    export and the API give it; jsonl adds `about_account`, the inc- id of the article's
    account the statement was found beside.
    """
    from ..serve._catalog import StatementFilter
    from ._filters import build_filter
    from ._incidents import _catalog

    settings = _where(db)
    with _store(settings, read_only=True) as store:
        if about and about.startswith("inc-"):
            about = store.resolution_links().get(about, (about,))[0]
        wanted = build_filter(
            StatementFilter,
            {
                "since": "--since",
                "until": "--until",
                "about": "--about",
                "source": "--source",
                "target": "--target",
                "type": "--type",
            },
            source=source,
            target=target,
            type=[kind.value] if kind else None,
            since=since,
            until=until,
            about=about,
        )
        found = _catalog(store, source, target).filter_statements(wanted)
        accounts = {s.id: s.about for s in store.iter_records("statement")}
    found.sort(key=lambda s: ((s.date.value if s.date else "") or "", s.id), reverse=True)
    if fmt is ListFormat.jsonl:
        for statement in found:
            row = statement.model_dump(mode="json") | {"about_account": accounts.get(statement.id)}
            out.out(json.dumps(row, ensure_ascii=False, separators=(",", ":")), highlight=False)
        return
    table = Table(box=None, show_edge=False)
    for name, width in (("date", 10), ("type", 12), ("source", 14), ("target", 14)):
        table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width)
    table.add_column("said", overflow="fold")
    for statement in found:
        table.add_row(
            (statement.date.label() if statement.date else None) or "-",
            statement.type,
            escape(statement.source.name),
            escape(statement.target.name if statement.target else "-"),
            escape(statement.evidence[0].quote if statement.evidence else ""),
        )
    out.print(table)
    out.print(f"{len(found)} statement(s)")


def _extractor(settings: "Settings"):  # type: ignore[no-untyped-def]
    from ..extract import Extractor

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
    doc_timeout: DocTimeoutOption = None,
    quiet: QuietOption = False,
    workers: WorkersOption = None,
) -> None:
    """Extract incidents from stored articles that extraction has not read yet.

    With --all, every article is read again and its records replaced (after a model or
    rule change). An article whose extraction overruns --doc-timeout is abandoned (K130)
    and stays unread, so the next run tries it again.
    """
    from ..pipeline import extract_into, resolve_into
    from ._progress import counter

    settings = _settings(db, model=model, doc_timeout=doc_timeout)
    with _store(settings) as store:
        extractor = _extractor(settings)
        with counter("extract", enabled=not quiet) as on_article:
            summary = extract_into(
                store,
                extractor,
                every=every,
                doc_timeout=settings.ingest.doc_timeout,
                on_article=on_article,
                workers=workers_or_default(workers),
            )
        summary.resolved = resolve_into(store)
    from ._articles import extraction_line

    out.print(extraction_line(summary))
    if summary.resolved:
        out.print(
            f"Resolution: {summary.resolved[0]} incident mention(s) in "
            f"{summary.resolved[1]} incident(s)."
        )
    for failure in summary.failures:
        out.print(f"  failed  {escape(failure.locator)}: [{failure.code}] {escape(failure.reason)}")
    if summary.failures:
        raise typer.Exit(1)


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
    quiet: QuietOption = False,
) -> None:
    """Score extraction against gold: ingest the articles into a temporary database,
    extract, and print incident detection, per-field and statement/arrest P/R/F1."""
    from ..evaluate import load_gold, score
    from ..ingest import IngestOptions
    from ..pipeline import account_records, export_records, ingest_into
    from ..store import open_store
    from ._progress import counter

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
            with counter("eval", enabled=not quiet) as on_done:
                ingest_into(
                    store,
                    [str(articles_dir)],
                    options=IngestOptions(follow_feed_links=False),
                    on_source=_each_source(on_done),
                    extractor=extractor,
                )
            records = export_records(store)
            accounts = [account for account, _ in account_records(store)]
        finally:
            store.close()
    report = score(
        records,
        expected,
        gazetteer=extractor.gazetteer,
        actors=extractor.actors,
        per_article=per_article,
    )
    # Extraction apart from merging: every account scored on its own, statements and
    # arrests as exported.
    by_account = score(
        [*accounts, *(r for r in records if r.kind != "incident")],
        expected,
        gazetteer=extractor.gazetteer,
        actors=extractor.actors,
        per_article=True,
    )
    model_name = f"{extractor.info.name} {extractor.info.version}"
    if as_json:
        data = report.as_dict() | {"model": model_name, "accounts": by_account.as_dict()}
        out.print_json(data=data)
        return
    _print_report(by_account, model_name, misses=misses, title="per account, before resolution")
    out.print()
    _print_report(
        report,
        model_name,
        misses=False,
        title="merged incidents" + (", every article's account" if per_article else ""),
    )


def _each_source(on_done):  # type: ignore[no-untyped-def]
    """ingest's callback (called first with no source and the total) as a counter."""
    if on_done is None:
        return None
    return lambda source, total: on_done(None, total) if source is not None else None


def _print_report(report, model: str, *, misses: bool, title: str) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"khabar eval ({model}): {title}", box=None)
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
    if "merged" in title:
        row("merges (pairwise)", report.merges)
    row("fields (all)", report.field_total)
    for name, prf in report.fields.items():
        row(f"  {name}", prf)
    row("statements", report.statements)
    row("arrests", report.arrests)
    out.print(table)
    if "merged" in title:
        out.print(
            f"{report.duplicates} matched incident(s) left unmerged with another of the same "
            "event (fields are scored on the best; --per-article scores every account)"
        )
    if misses:
        out.print()
        for heading, lines in (
            ("missed gold incidents", report.misses),
            ("spurious incidents", report.spurious),
            ("field errors on matched incidents", report.field_errors),
            ("statements (article / type / source / target)", report.statement_errors),
            ("arrests (article / actor / count)", report.arrest_errors),
        ):
            out.print(f"{heading}:")
            for line in lines or ["(none)"]:
                out.print(f"  {escape(line)}")
