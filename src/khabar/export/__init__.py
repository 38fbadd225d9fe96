"""Exports: the stored records in the formats analysts load.

Each format is one module with a ``write(records, stream, context)`` function; this
package names them, says which record kinds each holds, and what media type and file
suffix it has. ``jsonl`` is the records exactly as ``EVAL.md`` fixes them (a contract for
scripts); the others are derived from the same records:

- ``acled``: ACLED's CSV columns in ACLED's order, mapped by ``docs/codebooks.md``, then
  khabar's own precision, victims and evidence in ``khabar_*`` columns;
- ``csv``: one row per record, one column per field (nested fields as ``date.value``,
  lists as JSON text);
- ``geojson``: a FeatureCollection, one Point feature per incident (no geometry when the
  place has no coordinates), the record as its properties;
- ``parquet``: typed columns, nested structs and lists (victims, sources, evidence);
- ``stix``: a STIX 2.1 bundle of reports, locations, identities, threat actors and
  relationships.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO, Literal

from ..errors import UsageError
from ..store import ExportRecord
from ._context import ExportContext

__all__ = [
    "FORMATS",
    "ExportContext",
    "ExportFormat",
    "FormatInfo",
    "check_kind",
    "write",
]

ExportFormat = Literal["jsonl", "acled", "csv", "geojson", "parquet", "stix"]
Kind = Literal["incident", "statement", "arrest"]


@dataclass(frozen=True)
class FormatInfo:
    """What a format holds and how it is served."""

    name: str
    media_type: str
    suffix: str
    kinds: tuple[str, ...]
    """the record kinds it can hold; the first is what it holds when no kind is given"""
    binary: bool = False
    description: str = ""


FORMATS: dict[str, FormatInfo] = {
    "jsonl": FormatInfo(
        "jsonl",
        "application/x-ndjson",
        ".jsonl",
        ("incident", "statement", "arrest"),
        description="one record per line, as EVAL.md fixes them (every kind by default)",
    ),
    "acled": FormatInfo(
        "acled",
        "text/csv; charset=utf-8",
        ".acled.csv",
        ("incident",),
        description="ACLED's columns in ACLED's order, then khabar_* columns",
    ),
    "csv": FormatInfo(
        "csv",
        "text/csv; charset=utf-8",
        ".csv",
        ("incident", "statement", "arrest"),
        description="one row per record, every field a column (incidents by default)",
    ),
    "geojson": FormatInfo(
        "geojson",
        "application/geo+json",
        ".geojson",
        ("incident",),
        description="a FeatureCollection of incidents, Point geometry, the record as properties",
    ),
    "parquet": FormatInfo(
        "parquet",
        "application/vnd.apache.parquet",
        ".parquet",
        ("incident", "statement", "arrest"),
        binary=True,
        description="typed columns with nested victims, sources and evidence (incidents by "
        "default)",
    ),
    "stix": FormatInfo(
        "stix",
        "application/stix+json;version=2.1",
        ".stix.json",
        ("incident",),
        description="a STIX 2.1 bundle: reports, locations, identities, threat actors, "
        "relationships",
    ),
}


def check_kind(fmt: str, kind: str | None) -> str | None:
    """The kind a format writes for a requested kind (None: every kind, jsonl only).

    Raises:
        UsageError: the format cannot hold that kind.
    """
    info = FORMATS[fmt]
    if fmt == "jsonl":
        return kind
    if kind is None:
        return info.kinds[0]
    if kind not in info.kinds:
        raise UsageError(f"the {fmt} format holds {', '.join(info.kinds)} records, not {kind}")
    return kind


def write(
    records: Sequence[ExportRecord],
    fmt: str,
    stream: BinaryIO,
    context: ExportContext | None = None,
    *,
    kind: str | None = None,
) -> int:
    """Write ``records`` in format ``fmt`` to a binary stream.

    Args:
        records: the records, all of one kind except for jsonl (``check_kind``).
        fmt: a key of ``FORMATS``.
        stream: where the bytes go (text formats are UTF-8).
        context: what the records do not hold (outlets of the articles, the time of the
            export); an empty one by default.
        kind: the kind the records are of (a table of no records still gets that kind's
            columns); incidents by default.

    Returns:
        How many records were written.
    """
    from . import _acled, _csv, _geojson, _jsonl, _parquet, _stix

    writers = {
        "jsonl": _jsonl.write,
        "acled": _acled.write,
        "csv": _csv.write,
        "geojson": _geojson.write,
        "parquet": _parquet.write,
        "stix": _stix.write,
    }
    if fmt not in writers:
        raise UsageError(f"unknown export format {fmt!r}; khabar writes {', '.join(FORMATS)}")
    if fmt == "parquet":
        from .._extras import require

        require("pyarrow", "parquet", "the parquet export")
    context = context or ExportContext()
    if kind is not None:
        context = dataclasses.replace(context, kind=kind)
    writers[fmt](records, stream, context)
    return len(records)
