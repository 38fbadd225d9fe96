"""Parquet: typed columns, one per field of the record class, nested where the record
is (``date``, ``location``, ``fatalities`` are structs; ``victims``, ``sources`` and
``evidence`` are lists of structs). Dates are ``date32``, counts ``int64``, coordinates
``double``. The schema is derived from the record class, so new fields follow."""

from __future__ import annotations

import datetime as dt
import json
import typing
from collections.abc import Sequence
from typing import Any, BinaryIO

from pydantic import BaseModel

from ..records import SCHEMA_VERSION
from ..store import ExportRecord
from ._context import ExportContext
from ._fields import is_model, is_sequence, model_of, unwrap

__all__ = ["arrow_schema", "write"]


def _arrow_type(annotation: Any) -> Any:
    import pyarrow as pa

    inner, _ = unwrap(annotation)
    if is_model(inner):
        return pa.struct(
            [
                pa.field(name, _arrow_type(info.annotation))
                for name, info in inner.model_fields.items()
            ]
        )
    if is_sequence(inner):
        return pa.list_(_arrow_type(typing.get_args(inner)[0]))
    if inner is bool:
        return pa.bool_()
    if inner is int:
        return pa.int64()
    if inner is float:
        return pa.float64()
    if inner is dt.date:
        return pa.date32()
    if inner is dt.datetime:
        return pa.timestamp("us", tz="UTC")
    return pa.string()  # str, Literal[...] and anything else (as JSON text)


def arrow_schema(model: type[BaseModel]) -> Any:
    """The pyarrow schema of a record class's table."""
    import pyarrow as pa

    kind = model.model_fields["kind"].default
    fields = [
        pa.field(name, _arrow_type(info.annotation)) for name, info in model.model_fields.items()
    ]
    return pa.schema(
        fields, metadata={"khabar.kind": kind, "khabar.schema_version": str(SCHEMA_VERSION)}
    )


def _fit(value: Any, arrow_type: Any) -> Any:
    """A python value shaped for its arrow type (JSON text where the type is string but
    the value is not)."""
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_struct(arrow_type):
        return {f.name: _fit(value.get(f.name), f.type) for f in arrow_type}
    if pa.types.is_list(arrow_type):
        return [_fit(item, arrow_type.value_type) for item in value]
    if pa.types.is_string(arrow_type) and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def write(records: Sequence[ExportRecord], stream: BinaryIO, context: ExportContext) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(type(records[0]) if records else model_of(context.kind))
    rows = [record.model_dump(mode="python") for record in records]
    columns = [
        pa.array([_fit(row.get(field.name), field.type) for row in rows], type=field.type)
        for field in schema
    ]
    table = pa.Table.from_arrays(columns, schema=schema)
    pq.write_table(table, stream, compression="zstd")
