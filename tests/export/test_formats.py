"""Every export format round-trips or validates: JSON lines byte for byte, the flat CSV
back to the records' values, GeoJSON to the records, Parquet with its nested columns,
the STIX bundle through the OASIS validator."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from khabar.errors import UsageError
from khabar.export import FORMATS, ExportContext, check_kind, write
from khabar.export._csv import row
from khabar.export._fields import flat_columns
from khabar.records import Incident, Statement

from .conftest import ARREST, BUS, NOW, POST, STATEMENT, VAGUE

# An incident with the fields resolution adds (status, review reasons).
FLAGGED = BUS.model_copy(update={"status": "mentioned", "review": ("two claimants",)})


def written(records: list[Any], fmt: str, context: ExportContext | None = None) -> bytes:
    stream = io.BytesIO()
    assert write(records, fmt, stream, context) == len(records)
    return stream.getvalue()


def _unflatten(data: dict[str, str], model: type) -> dict[str, Any]:
    """A CSV row back to the nested record (the inverse of the flat columns)."""
    nested: dict[str, Any] = {}
    for column, text in data.items():
        parts = column.split(".")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = text
    return nested


def _value(text: str) -> Any:
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    if text[0] in "[{":
        return json.loads(text)
    return text


def test_export_jsonl_is_model_dump_json_byte_for_byte(incidents):
    records = [*incidents, ARREST, STATEMENT]
    expected = "".join(r.model_dump_json() + "\n" for r in records).encode()
    assert written(records, "jsonl") == expected


def test_export_csv_columns_come_from_the_record_class():
    columns = flat_columns(Incident)
    assert columns[:4] == ["kind", "id", "event_type", "suicide"]
    assert {"date.precision", "location.lat", "fatalities.best", "perpetrator.claimed_by"} <= set(
        columns
    )
    assert {"victims", "sources", "evidence", "perpetrator.alleged"} <= set(columns)


def test_export_csv_round_trips_every_value(incidents):
    text = written(incidents, "csv").decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(incidents)
    for record, data in zip(incidents, rows, strict=True):
        expected = record.model_dump(mode="json")
        for column, cell in data.items():
            value: Any = expected
            for part in column.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            parsed = _value(cell)
            if (
                isinstance(value, float | int)
                and not isinstance(value, bool)
                and parsed is not None
            ):
                parsed = type(value)(parsed)
            assert parsed == (value if value != [] else []), (record.id, column)
    assert rows[0]["victims"].startswith('[{"nationality": "CN"')
    assert rows[2]["date.value"] == "" and rows[2]["location.country"] == ""


def test_export_csv_quotes_commas_quotes_and_newlines():
    record = BUS.model_copy(update={"target": 'a bus, "marked", on\nthe road'})
    rows = list(csv.reader(io.StringIO(written([record], "csv").decode())))
    header, cells = rows
    assert cells[header.index("target")] == 'a bus, "marked", on\nthe road'


def test_export_empty_tables_still_name_the_kinds_columns():
    header = written([], "csv").decode().splitlines()
    assert header[0].startswith("kind,id,event_type,")
    stream = io.BytesIO()
    write([], "csv", stream, kind="statement")
    assert stream.getvalue().decode().startswith("kind,id,type,source.name,")


def test_export_csv_of_statements_has_their_own_columns():
    text = written([STATEMENT], "csv").decode()
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["kind", "id", "type"]
    assert "source.speaker" in header and "target.name" in header and "about" in header


def test_export_extra_fields_pass_through_csv_parquet_and_acled():
    import pyarrow.parquet as pq

    header, cells = list(csv.reader(io.StringIO(written([FLAGGED], "csv").decode())))
    assert cells[header.index("status")] == "mentioned"
    assert json.loads(cells[header.index("review")]) == ["two claimants"]
    table = pq.read_table(io.BytesIO(written([FLAGGED], "parquet")))
    assert table.column("status").to_pylist() == ["mentioned"]
    assert table.column("review").to_pylist() == [["two claimants"]]
    acled = next(csv.DictReader(io.StringIO(written([FLAGGED], "acled").decode())))
    assert acled["khabar_status"] == "mentioned"
    assert json.loads(acled["khabar_review"]) == ["two claimants"]


def test_export_geojson_is_a_feature_collection_that_gives_the_records_back(incidents):
    collection = json.loads(written(incidents, "geojson"))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["id"] for f in features] == [i.id for i in incidents]
    for feature, incident in zip(features, incidents, strict=True):
        assert feature["type"] == "Feature"
        assert Incident.model_validate(feature["properties"]) == incident
        geometry = feature["geometry"]
        if incident.location and incident.location.lat is not None:
            lon, lat = geometry["coordinates"]
            assert geometry["type"] == "Point"
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert (lon, lat) == (incident.location.lon, incident.location.lat)
        else:
            assert geometry is None


def test_export_parquet_reads_back_typed_and_nested(incidents):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(written(incidents, "parquet")))
    assert table.num_rows == 3
    schema = table.schema
    assert schema.field("suicide").type == pa.bool_()
    assert pa.types.is_struct(schema.field("date").type)
    assert schema.field("date").type.field("earliest").type == pa.date32()
    assert schema.field("location").type.field("lat").type == pa.float64()
    assert schema.field("fatalities").type.field("best").type == pa.int64()
    victims = schema.field("victims").type
    assert pa.types.is_list(victims) and pa.types.is_struct(victims.value_type)
    assert pa.types.is_list(schema.field("sources").type)
    assert schema.metadata[b"khabar.kind"] == b"incident"
    rows = table.to_pylist()
    assert rows[0]["date"]["earliest"] == dt.date(2026, 1, 7)
    assert rows[0]["victims"] == [v.model_dump() for v in BUS.victims]
    assert rows[0]["sources"][1] == BUS.sources[1].model_dump()
    assert rows[0]["perpetrator"]["alleged"] == [{"actor": "BLA", "by": "Pakistan"}]
    assert rows[2]["date"] is None and rows[2]["victims"] == []
    for record, data in zip(incidents, rows, strict=True):
        assert Incident.model_validate(data) == record


def test_export_parquet_of_statements():
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(written([STATEMENT], "parquet")))
    assert Statement.model_validate(table.to_pylist()[0]) == STATEMENT


def _validated(data: bytes) -> tuple[bool, list[str], list[str]]:
    """(valid, errors, warnings) from the OASIS STIX validator."""
    from stix2validator import ValidationOptions, validate_string

    result = validate_string(data.decode(), ValidationOptions(version="2.1"))
    results = result if isinstance(result, list) else [result]
    errors = [str(e) for r in results for e in r.errors]
    warnings = [str(w) for r in results for w in r.warnings]
    return all(r.is_valid for r in results), errors, warnings


def test_export_stix_bundle_passes_the_validator(incidents, context):
    valid, errors, warnings = _validated(written(incidents, "stix", context))
    assert valid, errors
    # Only "an external reference has a URL but no hash" may warn: khabar keeps no hash of
    # the page it read.
    assert warnings and all("{302}" in w for w in warnings), warnings


def test_export_stix_validator_catches_a_broken_bundle(incidents, context):
    bundle = json.loads(written(incidents, "stix", context))
    report = next(o for o in bundle["objects"] if o["type"] == "report")
    del report["published"]
    valid, errors, _ = _validated(json.dumps(bundle).encode())
    assert not valid and any("published" in e for e in errors)


def test_export_stix_bundle_holds_reports_places_actors_and_relationships(incidents, context):
    bundle = json.loads(written(incidents, "stix", context))
    assert bundle["type"] == "bundle"
    objects = {o["id"]: o for o in bundle["objects"]}
    by_type: dict[str, list[dict[str, Any]]] = {}
    for o in bundle["objects"]:
        by_type.setdefault(o["type"], []).append(o)
    assert len(by_type["report"]) == 3
    report = next(r for r in by_type["report"] if r["x_khabar_record"]["id"] == BUS.id)
    assert Incident.model_validate(report["x_khabar_record"]) == BUS
    referred = {objects[ref]["type"] for ref in report["object_refs"]}
    assert {"location", "identity", "threat-actor", "relationship"} <= referred
    place = next(objects[r] for r in report["object_refs"] if r.startswith("location--"))
    assert (place["latitude"], place["longitude"], place["country"]) == (33.58, 71.44, "PK")
    actors = {objects[r]["name"] for r in report["object_refs"] if r.startswith("threat-actor--")}
    assert actors == {"TTP", "BLA"}
    bases = {
        objects[r]["x_khabar_basis"]
        for r in report["object_refs"]
        if r.startswith("relationship--")
    }
    assert bases == {"claimed", "alleged"}
    urls = [ref.get("url") for ref in report["external_references"]]
    assert "https://news.example/kohat" in urls
    assert any(
        ref.get("source_name") == "Frontier Test Post" for ref in report["external_references"]
    )


def test_export_stix_ids_are_stable_and_shared(incidents, context):
    first = json.loads(written(incidents, "stix", context))
    again = json.loads(written(incidents, "stix", context))
    assert first == again
    other = POST.model_copy(update={"id": "evt-00000000000000d4"})
    bundle = json.loads(written([POST, other], "stix", context))
    locations = [o for o in bundle["objects"] if o["type"] == "location"]
    assert len(locations) == 1  # one place, one object


def test_export_stix_of_nothing_is_a_valid_bundle(context):
    data = written([], "stix", context)
    assert _validated(data)[0]
    assert json.loads(data)["type"] == "bundle"


@pytest.mark.parametrize(
    ("fmt", "kind", "expected"),
    [
        ("jsonl", None, None),
        ("jsonl", "statement", "statement"),
        ("csv", None, "incident"),
        ("csv", "arrest", "arrest"),
        ("parquet", "statement", "statement"),
        ("acled", None, "incident"),
        ("stix", None, "incident"),
        ("geojson", "incident", "incident"),
    ],
)
def test_export_check_kind(fmt, kind, expected):
    assert check_kind(fmt, kind) == expected


@pytest.mark.parametrize(
    ("fmt", "kind"), [("acled", "statement"), ("geojson", "arrest"), ("stix", "statement")]
)
def test_export_check_kind_refuses_what_a_format_cannot_hold(fmt, kind):
    with pytest.raises(UsageError, match=fmt):
        check_kind(fmt, kind)


def test_export_unknown_format_is_a_usage_error():
    with pytest.raises(UsageError, match="xlsx"):
        write([], "xlsx", io.BytesIO())


def test_export_formats_name_their_media_types():
    assert set(FORMATS) == {"jsonl", "acled", "csv", "geojson", "parquet", "stix"}
    assert FORMATS["jsonl"].media_type == "application/x-ndjson"
    assert FORMATS["parquet"].binary and not FORMATS["csv"].binary


def test_export_row_of_an_empty_incident_is_empty_cells():
    columns = flat_columns(Incident)
    cells = dict(zip(columns, row(VAGUE, columns), strict=True))
    assert cells["event_type"] == "kidnapping"
    assert cells["date.value"] == "" and cells["victims"] == "[]"
    assert NOW.year == 2026
