"""Flat CSV: one row per record, one column per field.

Nested records become dotted columns (``date.value``, ``location.lat``,
``perpetrator.claimed_by``), the way ``pandas.json_normalize`` names them; lists
(``victims``, ``perpetrator.alleged``, ``sources``, ``evidence``, and any list a later
field adds) are JSON text in one cell. Unknown is an empty cell; booleans are ``true`` /
``false``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any, BinaryIO

from ..store import ExportRecord
from ._context import ExportContext
from ._fields import flat_columns, model_of

__all__ = ["cell", "row", "write"]


def cell(value: Any) -> str:
    """How one value is written in a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def row(record: ExportRecord, columns: Sequence[str]) -> list[str]:
    """The cells of one record, in ``columns`` order."""
    data = record.model_dump(mode="json")
    cells = []
    for column in columns:
        value: Any = data
        for part in column.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        cells.append(cell(value))
    return cells


def write(records: Sequence[ExportRecord], stream: BinaryIO, context: ExportContext) -> None:
    columns = flat_columns(type(records[0]) if records else model_of(context.kind))
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow(row(record, columns))
    stream.write(text.getvalue().encode("utf-8"))
