"""GeoJSON: a FeatureCollection with one feature per incident.

The geometry is the incident's point ([lon, lat], RFC 7946); an incident without
coordinates keeps its feature with ``"geometry": null`` (allowed by RFC 7946), so the
file holds every incident exported. The properties are the record as JSON lines write
it, so ``Incident.model_validate(feature["properties"])`` gives the record back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, BinaryIO

from ..records import Incident
from ..store import ExportRecord
from ._context import ExportContext

__all__ = ["feature", "write"]


def feature(incident: Incident) -> dict[str, Any]:
    where = incident.location
    point = where is not None and where.lat is not None and where.lon is not None
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": {"type": "Point", "coordinates": [where.lon, where.lat]}
        if point and where
        else None,
        "properties": incident.model_dump(mode="json"),
    }


def write(records: Sequence[ExportRecord], stream: BinaryIO, context: ExportContext) -> None:
    features = [feature(record) for record in records if isinstance(record, Incident)]
    collection = {"type": "FeatureCollection", "features": features}
    stream.write(json.dumps(collection, ensure_ascii=False).encode("utf-8"))
    stream.write(b"\n")
