"""The per-article work of a batch, shared by both engines, and its rows.

A batch is planned as ``Unit``s (one input file or URL each, numbered in input order).
Reading a unit gives its Articles (and failures) numbered in reading order; extracting
an article gives its records. Each engine (the local process pool, Spark) runs the same
two functions, ``read_unit`` and ``extract_rows``, and writes the same rows: the unit's
number, the item's number in it, the Article, its records and any failure, as JSON.
Ordered by (unit, item), the rows of both engines are the same sequence, which is what
makes their databases the same.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from ..ingest import IngestOptions, Reader, Source, discover
from ..records import Arrest, Article, Incident, IngestFailure, Statement
from ._budget import Late
from ._pool import WorkerPool

if TYPE_CHECKING:
    from ..extract import Extractor

__all__ = [
    "ROW_COLUMNS",
    "Plan",
    "Unit",
    "extract_each",
    "extract_rows",
    "late_failure",
    "parse_records",
    "plain_record",
    "plan",
    "read_rows",
    "read_unit",
    "reading_row",
    "split_units",
]

# The columns of a row, in Arrow terms (Spark's schema string is built from them).
ROW_COLUMNS: list[tuple[str, str]] = [
    ("unit", "bigint"),
    ("item", "bigint"),
    ("article_id", "string"),
    ("locator", "string"),
    ("article", "string"),
    ("records", "string"),
    ("failure", "string"),
]

# How much of a file ``split_units`` reads at a time while it looks for line starts.
_CHUNK = 1 << 20

_RECORDS = TypeAdapter(list[Incident | Statement | Arrest])


@dataclass(frozen=True)
class Unit:
    """One input of a batch: a file of a kind khabar reads, a Parquet file, or a URL."""

    index: int
    kind: str
    locator: str
    path: str | None = None
    url: str | None = None
    # A part of a JSONL file (``split_units``): its bytes [start, stop), whose first
    # line is line ``line`` of the file; stop None is the whole file.
    start: int = 0
    stop: int | None = None
    line: int = 1

    def source(self) -> Source:
        return Source(
            kind=self.kind,  # type: ignore[arg-type]
            locator=self.locator,
            path=Path(self.path) if self.path else None,
            url=self.url,
            start=self.start,
            stop=self.stop,
            line=self.line,
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Unit:
        """A unit from a row as pandas gives it (NaN for nulls, numpy integers)."""
        return cls(**plain_record(record, ints=("index", "start", "stop", "line")))


def plain_record(record: dict[str, Any], *, ints: tuple[str, ...]) -> dict[str, Any]:
    """pandas gives NaN / numpy ints for Arrow nulls and int64s: plain Python values
    (None, and ``int`` for the keys in ``ints``)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if value is None or (isinstance(value, float) and value != value):
            out[key] = None
        elif key in ints:
            out[key] = int(value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class Plan:
    units: list[Unit]
    failures: list[IngestFailure]
    skipped: list[str]


def plan(inputs: list[str], *, follow_symlinks: bool = False) -> Plan:
    """The units of ``inputs`` in a fixed order: ``ingest.discover``'s sources, and the
    Parquet files (named, or found in a folder, sorted) after each input's others."""
    units: list[Unit] = []
    failures: list[IngestFailure] = []
    skipped: list[str] = []
    for item in inputs:
        path = Path(item)
        parquet: list[tuple[str, Path]] = []
        others = [item]
        if path.is_file() and path.name.endswith(".parquet"):
            parquet, others = [(item, path)], []
        elif path.is_dir():
            parquet = [
                (p.relative_to(path).as_posix(), p)
                for p in sorted(path.rglob("*.parquet"))
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
        found = discover(others, follow_symlinks=follow_symlinks) if others else None
        if found is not None:
            names = {name for name, _ in parquet}
            for source in found.sources:
                units.append(
                    Unit(
                        len(units),
                        source.kind,
                        source.locator,
                        str(source.path) if source.path else None,
                        source.url,
                    )
                )
            failures += found.failures
            skipped += [name for name in found.skipped if name not in names]
        for locator, file in parquet:
            units.append(Unit(len(units), "parquet", locator, str(file)))
    return Plan(units, failures, skipped)


def split_units(units: list[Unit], parts: int, *, min_bytes: int = 1 << 16) -> list[Unit]:
    """At least ``parts`` units where the inputs allow it: big JSONL files become
    byte ranges that start and end at line starts (as Hadoop's input splits), so that
    several tasks read one file. The units are numbered again in order, a file's parts
    one after the other, so (unit, item) order is still the order of the inputs and
    every line keeps its locator (the file's own line number). Other kinds, and files
    under ``min_bytes`` a part, stay whole."""
    if len(units) >= parts:
        return units
    sizes: dict[int, int] = {}
    for unit in units:
        if unit.kind == "jsonl" and unit.path and unit.start == 0 and unit.stop is None:
            try:
                sizes[unit.index] = Path(unit.path).stat().st_size
            except OSError:
                continue
    total = sum(sizes.values())
    if not total:
        return units
    share = max(1, parts - (len(units) - len(sizes)))
    # The files' shares of ``share`` pieces, in proportion to their sizes and summing
    # to it exactly (largest remainder): rounding each up gave two files of 8.4 MB
    # 9 pieces for 8 tasks, and the task with two ran alone at the end.
    quotas = {index: share * size / total for index, size in sizes.items()}
    counts = {index: max(1, int(quota)) for index, quota in quotas.items()}
    by_remainder = sorted(quotas, key=lambda index: int(quotas[index]) - quotas[index])
    for index in by_remainder[: max(0, share - sum(counts.values()))]:
        counts[index] += 1
    out: list[Unit] = []
    for unit in units:
        size = sizes.get(unit.index, 0)
        pieces = min(counts.get(unit.index, 1), max(1, size // min_bytes))
        ranges = line_ranges(Path(unit.path or ""), pieces) if pieces > 1 else None
        if not ranges:
            out.append(replace(unit, index=len(out)))
            continue
        for start, stop, line in ranges:
            out.append(replace(unit, index=len(out), start=start, stop=stop, line=line))
    return out


def line_ranges(path: Path, pieces: int) -> list[tuple[int, int | None, int]] | None:
    """``path`` cut into about ``pieces`` ranges (start, stop, first line number) at
    the first line start at or after each equal cut; None when it cannot be read."""
    try:
        size = path.stat().st_size
        cuts = [size * k // pieces for k in range(1, pieces)]
        starts: list[tuple[int, int]] = [(0, 1)]
        newlines = position = 0
        with path.open("rb") as stream:
            while cuts and (chunk := stream.read(_CHUNK)):
                while cuts:
                    # The line that starts at or after the cut: after the first newline
                    # at or after the byte before it.
                    low = max(cuts[0] - 1 - position, 0)
                    found = chunk.find(b"\n", low) if low < len(chunk) else -1
                    if found < 0:
                        break
                    offset = position + found + 1
                    if offset < size:
                        starts.append((offset, newlines + chunk.count(b"\n", 0, found + 1) + 1))
                    cuts = [cut for cut in cuts[1:] if cut > offset]
                newlines += chunk.count(b"\n")
                position += len(chunk)
    except OSError:
        return None
    if len(starts) < 2:
        return None
    stops: list[int | None] = [offset for offset, _ in starts[1:]]
    return [(start, stop, line) for (start, line), stop in zip(starts, [*stops, None], strict=True)]


def read_unit(reader: Reader, unit: Unit) -> Iterator[Article | IngestFailure]:
    """The Articles of one unit (and a failure per item that could not be read)."""
    if unit.kind != "parquet":
        yield from reader.read(unit.source())
        return
    import pyarrow.parquet as pq

    source = Source(kind="jsonl", locator=unit.locator, path=Path(unit.path or ""))
    try:
        table = pq.read_table(unit.path)
    except (OSError, ValueError) as error:
        yield IngestFailure(
            locator=unit.locator, code="K105", reason=f"unreadable Parquet: {error}"
        )
        return
    for number, row in enumerate(table.to_pylist(), start=1):
        obj = {
            k: v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for k, v in row.items()
        }
        yield from reader.read_object(obj, source, f"{unit.locator}:{number}")


def reading_budget(source: Source, options: IngestOptions) -> float | None:
    """A document's reading budget; a download has its own timeout on top."""
    if not options.doc_timeout:
        return None
    online = source.kind == "url" or (source.path is None and source.url is not None)
    return options.doc_timeout + (options.timeout if online or source.kind == "feed" else 0)


def late_failure(locator: str, stage: str, late: Late) -> IngestFailure:
    """The K130 failure of a document that overran its budget (as ``khabar ingest``)."""
    from ..errors import DocumentTimeout

    after = f" after {late.items} item(s)" if late.items else ""
    if late.died:
        error = DocumentTimeout(f"{stage} was abandoned{after}: its worker process died")
    else:
        error = DocumentTimeout(
            f"{stage} took longer than {late.budget:g} s and was abandoned{after} "
            "(raise the budget with --doc-timeout)"
        )
    return IngestFailure(locator=locator, code=error.code, reason=error.message)


def _batches(articles: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_each(
    pool: WorkerPool[list[Article], list[Any]], articles: Iterable[Article], size: int
) -> Iterator[tuple[Article, list[Any] | Late]]:
    """Each article with its records, or ``Late`` when its extraction overran.

    Articles go to the pool in batches (spaCy is faster on a batch); when a batch
    overruns, the articles it had not finished are tried one by one, so that only the
    one at fault is abandoned.
    """
    for batch, results, late in pool.map(_batches(articles, size)):
        for article, records in zip(batch, results, strict=False):
            yield article, list(records)
        if late is None:
            continue
        for article in batch[len(results) :]:
            retried = list(pool.run([article]))
            yield article, retried[0] if len(retried) == 1 else Late(pool.budget or 0, 0)


def extract_rows(
    extractor: Extractor,
    rows: Iterable[dict[str, Any]],
    *,
    pool: WorkerPool[list[Article], list[Any]],
) -> Iterator[dict[str, Any]]:
    """Rows with ``article`` and no ``failure`` get their ``records``; rows of reading
    failures pass through. The order is kept."""
    waiting: list[dict[str, Any]] = []

    def articles() -> Iterator[Article]:
        for row in rows:
            if row.get("failure") or not row.get("article"):
                waiting.append(row)
                continue
            waiting.append(row)
            yield Article.model_validate_json(row["article"])

    for article, records in extract_each(pool, articles(), extractor.options.batch_size):
        while waiting and (waiting[0].get("failure") or not waiting[0].get("article")):
            yield waiting.pop(0)
        row = waiting.pop(0)
        if isinstance(records, Late):
            failure = late_failure(article.locator or article.id, "extraction", records)
            yield row | {"failure": failure.model_dump_json()}
        else:
            yield row | {"records": json.dumps([r.model_dump(mode="json") for r in records])}
    yield from waiting


def parse_records(text: str) -> list[Incident | Statement | Arrest]:
    return _RECORDS.validate_json(text)


def reading_row(unit: Unit, item: int, value: Article | IngestFailure) -> dict[str, Any]:
    """One row before extraction."""
    if isinstance(value, Article):
        return {
            "unit": unit.index,
            "item": item,
            "article_id": value.id,
            "locator": value.locator,
            "article": value.model_dump_json(),
            "records": None,
            "failure": None,
        }
    return {
        "unit": unit.index,
        "item": item,
        "article_id": None,
        "locator": value.locator,
        "article": None,
        "records": None,
        "failure": value.model_dump_json(),
    }


def read_rows(
    units: Iterable[Unit],
    *,
    pool: WorkerPool[Unit, Article | IngestFailure],
    budget_of: Callable[[Unit], float | None] | None = None,
) -> Iterator[dict[str, Any]]:
    """The rows of ``units`` read through ``pool`` (its target is ``read_unit``)."""
    for unit, items, late in pool.map(units, budget_of=budget_of):
        for item, value in enumerate(items):
            yield reading_row(unit, item, value)
        if late is not None:
            yield reading_row(unit, len(items), late_failure(unit.locator, "reading", late))
