"""JSON lines: one record per line, ``record.model_dump_json()``, exactly as EVAL.md
fixes it. Scripts parse this byte for byte; never change what a line holds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from ..store import ExportRecord
from ._context import ExportContext

__all__ = ["line", "write"]


def line(record: ExportRecord) -> str:
    """The line (with its newline) that stands for one record."""
    return record.model_dump_json() + "\n"


def write(records: Sequence[ExportRecord], stream: BinaryIO, context: ExportContext) -> None:
    for record in records:
        stream.write(line(record).encode("utf-8"))
