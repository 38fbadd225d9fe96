"""The fields of a record class, walked once for the flat and the typed formats.

Columns come from the record classes themselves, so a field added to ``Incident`` (a
``status``, a ``review`` list) becomes a column of the CSV and the Parquet file without
a change here.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel

from ..records import Arrest, Incident, Statement

__all__ = ["MODELS", "flat_columns", "model_of", "unwrap"]

MODELS: dict[str, type[BaseModel]] = {
    "incident": Incident,
    "statement": Statement,
    "arrest": Arrest,
}


def model_of(kind: str) -> type[BaseModel]:
    return MODELS[kind]


def unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type without ``None``, whether ``None`` was allowed)."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner = args[0] if len(args) == 1 else str
        return inner, True
    return annotation, False


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def is_sequence(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (tuple, list)


def is_scalar(annotation: Any) -> bool:
    return annotation in (str, int, float, bool, dt.date, dt.datetime) or (
        typing.get_origin(annotation) is Literal
    )


def flat_columns(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Column names of a flat table: nested records as ``date.value``, lists whole."""
    columns = []
    for name, info in model.model_fields.items():
        inner, _ = unwrap(info.annotation)
        if is_model(inner):
            columns += flat_columns(inner, f"{prefix}{name}.")
        else:
            columns.append(prefix + name)
    return columns
