"""``khabar batch``: read, clean and extract a corpus with an engine, then store and
resolve it.

Both engines write the same rows (``_rows``) as Parquet files in ``DIR/rows/``: the
local engine through the process pool, Spark through ``mapInPandas``. The driver then
reads the rows back in (unit, item) order with DuckDB (which sorts out of core), writes
the articles and their records through the store API (DuckDB or any backend
``open_store`` knows), and resolves the incidents: the Resolver files each account by
country and week (a week and its neighbours nest in a country × month block), so only
accounts in one block are ever compared, never all pairs.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..ingest import IngestOptions, Reader
from ..records import Article, IngestFailure
from ._pool import WorkerPool, default_workers
from ._rows import (
    ROW_COLUMNS,
    Unit,
    extract_rows,
    parse_records,
    plan,
    read_rows,
    read_unit,
    reading_budget,
)

if TYPE_CHECKING:
    from ..extract import ExtractOptions
    from ..store import Store
    from ._spark import SparkJob

__all__ = ["BatchOptions", "BatchSummary", "is_database", "run_batch"]

ENGINES = ("local", "spark")


@dataclass(frozen=True)
class BatchOptions:
    engine: str = "local"
    master: str = "local[2]"
    workers: int = field(default_factory=default_workers)
    partitions: int | None = None  # Spark: extraction tasks (default: 4 per core of master)
    keep_rows: bool = True  # a folder output keeps DIR/rows/*.parquet


@dataclass
class BatchSummary:
    units: int = 0
    articles: int = 0
    new: int = 0
    extracted: int = 0
    records: dict[str, int] = field(default_factory=dict)
    failures: list[IngestFailure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    resolved: tuple[int, int] | None = None
    database: str = ""
    parquet: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "articles": self.articles,
            "new": self.new,
            "extracted": self.extracted,
            "records": self.records,
            "failures": [f.model_dump(mode="json") for f in self.failures],
            "skipped": self.skipped,
            "resolved": list(self.resolved) if self.resolved else None,
            "database": self.database,
            "parquet": self.parquet,
        }


def is_database(out: str) -> bool:
    """``--out`` names a database (a DuckDB file or a server URL), not a folder."""
    return "://" in out or out.endswith((".duckdb", ".db"))


def run_batch(
    inputs: list[str],
    out: str,
    *,
    options: BatchOptions,
    ingest: IngestOptions,
    extract: ExtractOptions,
) -> BatchSummary:
    """Run a batch: rows by ``options.engine``, then the store and resolution.

    ``out`` is a database (``x.duckdb``, ``postgresql://...``) or a folder, which gets
    ``rows/`` (Parquet, one row per article with its records as JSON),
    ``khabar.duckdb`` and ``incidents.parquet`` (the resolved incidents, as
    ``khabar export --format parquet`` writes them).
    """
    if options.engine not in ENGINES:
        raise UsageError(f"unknown engine {options.engine!r} (choose local or spark)")
    planned = plan(inputs, follow_symlinks=ingest.follow_symlinks)
    summary = BatchSummary(
        units=len(planned.units), failures=list(planned.failures), skipped=planned.skipped
    )
    database = out if is_database(out) else str(Path(out) / "khabar.duckdb")
    scratch = None
    if is_database(out):
        scratch = tempfile.mkdtemp(prefix="khabar-batch-")
        rows_dir = Path(scratch) / "rows"
    else:
        Path(out).mkdir(parents=True, exist_ok=True)
        rows_dir = Path(out) / "rows"
        summary.parquet = str(rows_dir)
    if rows_dir.exists():
        shutil.rmtree(rows_dir)
    stopping = job = None
    try:
        if options.engine == "spark":
            from ._spark import start_job

            job = start_job(
                planned.units,
                rows_dir,
                master=options.master,
                ingest=ingest,
                extract=extract,
                partitions=options.partitions,
            )
            rows = job.rows()
        else:
            _local_rows(planned.units, rows_dir, options.workers, ingest=ingest, extract=extract)
            rows = ordered_rows(rows_dir)
        # Spark's rows come as the tasks write them: the driver stores each unit while
        # the job goes on (``_unitfiles``), as the local engine's parent stores records
        # while its workers extract; resolution waits for the last one.
        _load(
            rows, database, summary, extract=extract, inputs=inputs, engine=options.engine, job=job
        )
        if job is not None:
            stopping, job = job.finish(), None
        if not is_database(out):
            _export_incidents(database, Path(out) / "incidents.parquet")
    finally:
        if job is not None:  # the driver failed while the job ran
            job.abort()
        if stopping is not None:
            stopping.join()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    summary.database = database
    return summary


def unit_budget(unit: Unit, options: IngestOptions) -> float | None:
    """A unit's reading budget: ``ingest``'s rule for the source it stands for."""
    return reading_budget(unit.source(), options)


def _local_rows(
    units: list[Unit],
    rows_dir: Path,
    workers: int,
    *,
    ingest: IngestOptions,
    extract: ExtractOptions,
) -> None:
    """The rows through the process pool: reading and extraction each in ``workers``
    budgeted processes, streamed into Parquet files of 2,000 rows."""
    from ..extract import Extractor

    extractor = Extractor(extract)
    budget = ingest.doc_timeout
    with (
        Reader(ingest) as reader,
        WorkerPool(partial(read_unit, reader), workers=workers, budget=budget) as readers,
        WorkerPool(extractor.pipe, workers=workers, budget=budget) as extractors,
    ):
        rows = read_rows(units, pool=readers, budget_of=partial(unit_budget, options=ingest))
        write_parquet(extract_rows(extractor, rows, pool=extractors), rows_dir)


def arrow_schema() -> Any:
    import pyarrow as pa

    types = {"bigint": pa.int64(), "string": pa.string()}
    return pa.schema([(name, types[kind]) for name, kind in ROW_COLUMNS])


def write_parquet(rows: Iterator[dict[str, Any]], folder: Path, *, chunk: int = 2000) -> None:
    """Rows into ``folder/part-NNNNN.parquet`` files of ``chunk`` rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    schema = arrow_schema()
    buffer: list[dict[str, Any]] = []
    parts = 0

    def flush() -> None:
        nonlocal parts
        pq.write_table(pa.Table.from_pylist(buffer, schema), folder / f"part-{parts:05d}.parquet")
        parts += 1
        buffer.clear()

    for row in rows:
        buffer.append(row)
        if len(buffer) >= chunk:
            flush()
    if buffer or parts == 0:
        flush()


STORED_COLUMNS = ("unit", "item", "article", "records", "failure")
"""The row columns the driver stores, in the order ``ordered_rows`` gives them."""


def ordered_rows(rows_dir: Path, *, page: int = 500) -> Iterator[tuple[Any, ...]]:
    """The rows of every Parquet file in ``rows_dir`` by (unit, item), a page at a time
    (DuckDB sorts larger-than-memory data on disk)."""
    import duckdb

    con = duckdb.connect()
    try:
        glob = str(rows_dir / "*.parquet").replace("'", "''")
        cursor = con.execute(
            f"SELECT {', '.join(STORED_COLUMNS)} FROM read_parquet('{glob}') ORDER BY unit, item"
        )
        while chunk := cursor.fetchmany(page):
            yield from chunk
    finally:
        con.close()


def _load(
    rows: Iterator[tuple[Any, ...]],
    database: str,
    summary: BatchSummary,
    *,
    extract: ExtractOptions,
    inputs: list[str],
    engine: str,
    batch_size: int = 200,
    job: SparkJob | None = None,
) -> None:
    """The rows (``ordered_rows``'s columns, in (unit, item) order) into the store:
    articles a batch at a time (as ``khabar ingest`` writes them), then each article's
    records; then, once the job has ended, resolution."""
    from ..pipeline import bounded_writes, khabar_version, resolve_into
    from ..store import open_store

    store = open_store(database)
    # DuckDB's memory capped while the rows are stored and resolved, as in `ingest`.
    try:
        with bounded_writes(store):
            run_id = store.start_run("batch", {"khabar": khabar_version(), "inputs": inputs})
            model = _model_name(extract)
            pending: list[tuple[Article, str | None]] = []
            for _unit, _item, article, records, failure in rows:
                if failure:
                    summary.failures.append(IngestFailure.model_validate_json(failure))
                if article:
                    pending.append((Article.model_validate_json(article), records))
                if len(pending) >= batch_size:
                    _store(store, pending, summary, model)
            _store(store, pending, summary, model)
            if job is not None:  # every task's rows were read: check them before resolving
                job.check()
            summary.resolved = resolve_into(store)
            store.finish_run(
                run_id,
                {
                    "khabar": khabar_version(),
                    "inputs": inputs,
                    "engine": engine,
                    "model": model,
                    "counts": {
                        "units": summary.units,
                        "articles": summary.articles,
                        "new": summary.new,
                        "extracted": summary.extracted,
                        "failed": len(summary.failures),
                    },
                },
            )
    finally:
        store.close()


def _store(
    store: Store, pending: list[tuple[Article, str | None]], summary: BatchSummary, model: str
) -> None:
    from ..pipeline import record_writer

    if not pending:
        return
    for is_new in store.add_articles([article for article, _ in pending]):
        summary.articles += 1
        summary.new += int(is_new)
    write = record_writer(store, model=model, size=len(pending))
    for article, records in pending:
        if records is None:  # extraction overran: the article stays unread
            continue
        parsed = parse_records(records)
        write(article.id, parsed)
        summary.extracted += 1
        for record in parsed:
            summary.records[record.kind] = summary.records.get(record.kind, 0) + 1
    write(None, None)
    pending.clear()


def _model_name(extract: ExtractOptions) -> str:
    """The model's name and version as ``khabar ingest`` records it (``load_nlp``'s
    ``NlpInfo``), read from the installed package's ``meta.json``: the driver never
    extracts, and loading the pipeline only for its name cost it seconds."""
    from ..extract.nlp import load_nlp

    name = installed_model_name(extract.model)
    if name is not None:
        return name
    _, info = load_nlp(extract.model)
    return f"{info.name} {info.version}"


def installed_model_name(model: str) -> str | None:
    """``load_nlp``'s name and version for ``model`` without loading it: the first
    installed package of ``MODEL_PACKAGES`` for ``auto`` (its ``meta.json``), spaCy's
    version for ``blank``; None when the package gives no answer (then load it)."""
    import importlib.metadata
    import importlib.util

    from ..extract.nlp import MODEL_PACKAGES

    if model == "blank":
        try:
            return f"blank_en {importlib.metadata.version('spacy')}"
        except importlib.metadata.PackageNotFoundError:
            return None
    for package in MODEL_PACKAGES if model == "auto" else (model,):
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            continue
        try:
            folder = Path(next(iter(spec.submodule_search_locations)))
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, StopIteration):
            return None
        if not isinstance(meta, dict):
            return None
        name = f"{meta.get('lang', 'en')}_{meta.get('name', package)}"
        return f"{name} {meta.get('version', 'unknown')}"
    return None


def _export_incidents(database: str, path: Path) -> None:
    from .. import export as formats
    from ..pipeline import export_context, export_records
    from ..store import open_store

    store = open_store(database)
    try:
        records = export_records(store, "incident")
        context = export_context(store, records)
    finally:
        store.close()
    with path.open("wb") as stream:
        formats.write(records, "parquet", stream, context, kind="incident")


def summary_lines(summary: BatchSummary) -> list[str]:
    """The summary for people (the CLI prints these)."""
    found = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(summary.records.items()))
    lines = [
        f"{summary.units} input(s) read into {summary.database}: {summary.articles} "
        f"article(s), {summary.new} new, {len(summary.failures)} failed; extraction read "
        f"{summary.extracted}: {found or 'nothing found'}."
    ]
    if summary.resolved:
        lines.append(
            f"Resolution: {summary.resolved[0]} incident mention(s) in "
            f"{summary.resolved[1]} incident(s)."
        )
    if summary.parquet:
        lines.append(f"Rows (Parquet): {summary.parquet}")
    return lines


def dumps(summary: BatchSummary) -> str:
    return json.dumps(summary.as_json(), ensure_ascii=False)
