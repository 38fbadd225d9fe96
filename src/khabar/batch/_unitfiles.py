"""Rows a unit to a file, so that the driver stores a unit while the job goes on.

Spark's own Parquet writer makes a job's files visible when the whole job commits: the
driver could store nothing until the last task ended, and then stored and resolved
alone while the cores that had extracted stood idle. With a local master the driver
and the executor share one file system, so each task writes the rows of each of its
units into ``unit-NNNNNNNN.parquet`` itself (under a hidden name, renamed when the unit
is whole, so a file that exists is complete), and the driver reads the units in order
as they appear: unit 0 is stored while the tasks of units 2, 3, ... still extract.
Rows within a unit are written in item order, so reading the files in unit order gives
the (unit, item) order that ``ordered_rows`` sorts the writer's files into.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["read_units", "unit_path", "write_unit"]


def unit_path(folder: Path, index: int) -> Path:
    return folder / f"unit-{index:08d}.parquet"


def write_unit(
    folder: Path, index: int, rows: Iterable[dict[str, Any]], *, chunk: int = 500
) -> int:
    """The rows of unit ``index`` into its file, a row group of ``chunk`` rows at a
    time (a unit of a million rows never sits in memory); returns how many. The file
    appears only once it is complete; a unit with no rows gets an empty file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ._driver import arrow_schema

    folder.mkdir(parents=True, exist_ok=True)
    final = unit_path(folder, index)
    hidden = folder / f".{final.name}.{os.getpid()}.tmp"
    schema = arrow_schema()
    count = 0
    buffer: list[dict[str, Any]] = []
    try:
        with pq.ParquetWriter(hidden, schema) as writer:
            for row in rows:
                buffer.append(row)
                if len(buffer) >= chunk:
                    writer.write_table(pa.Table.from_pylist(buffer, schema))
                    count += len(buffer)
                    buffer.clear()
            if buffer or not count:
                writer.write_table(pa.Table.from_pylist(buffer, schema))
                count += len(buffer)
        os.replace(hidden, final)  # atomic: a retried task replaces it whole
    except BaseException:
        hidden.unlink(missing_ok=True)
        raise
    return count


def read_units(
    folder: Path,
    count: int,
    *,
    ended: Callable[[], bool],
    poll: float = 0.05,
    page: int = 500,
) -> Iterator[tuple[Any, ...]]:
    """The rows of units 0 .. ``count``-1 in (unit, item) order, each unit as soon as
    its file exists. ``ended()`` says the job is over (it raises the job's error, if
    any): a file still missing then is an error, never a wait without end."""
    import pyarrow.parquet as pq

    from ._driver import STORED_COLUMNS

    columns = list(STORED_COLUMNS)
    for index in range(count):
        path = unit_path(folder, index)
        while not path.exists():
            if ended():
                if path.exists():
                    break
                raise RuntimeError(f"the Spark job ended without the rows of unit {index}")
            time.sleep(poll)
        last = -1
        for batch in pq.ParquetFile(path).iter_batches(batch_size=page, columns=columns):
            for row in zip(*(batch.column(name).to_pylist() for name in columns), strict=True):
                if row[0] != index or row[1] <= last:
                    raise RuntimeError(f"{path.name}: rows out of order or of another unit")
                last = row[1]
                yield row
