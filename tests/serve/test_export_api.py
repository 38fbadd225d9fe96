"""GET /api/export?format=...: every format of `khabar export`, for the same filters as
/api/incidents (the dashboard's "download what is shown")."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

FILTERS: list[dict[str, Any]] = [
    {},
    {"country": "AF"},
    {"country": "PK", "min_fatalities": 4},
    {"event_type": ["bombing", "drone_strike"]},
    {"since": "2026-01-01"},
]


def ids_of(client, params: dict[str, Any]) -> list[str]:  # type: ignore[no-untyped-def]
    """The incidents the list shows for these filters; with none, the export is the
    CLI's (every incident, mention-only ones included, as the list shows with
    mentioned=true)."""
    params = params or {"mentioned": "true"}
    page = client.get("/api/incidents", params={**params, "limit": 500, "sort": "date"})
    assert page.status_code == 200
    return sorted(item["id"] for item in page.json()["items"])


def exported(client, fmt: str, params: dict[str, Any]):  # type: ignore[no-untyped-def]
    response = client.get("/api/export", params={**params, "format": fmt})
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    return response


@pytest.mark.parametrize("params", FILTERS)
def test_export_api_acled_holds_the_filtered_incidents(client, params):
    response = exported(client, "acled", params)
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="khabar-incident.acled.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["khabar_id"] for r in rows) == ids_of(client, params)
    if rows:
        assert list(rows[0])[:2] == ["event_id_cnty", "event_date"]


@pytest.mark.parametrize("params", FILTERS)
def test_export_api_geojson_and_stix_hold_the_filtered_incidents(client, params):
    wanted = ids_of(client, params)
    collection = exported(client, "geojson", params)
    assert collection.headers["content-type"].startswith("application/geo+json")
    assert sorted(f["id"] for f in collection.json()["features"]) == wanted
    bundle = exported(client, "stix", params).json()
    reports = [o["x_khabar_record"]["id"] for o in bundle["objects"] if o["type"] == "report"]
    assert sorted(reports) == wanted


def test_export_api_parquet_and_csv(client):
    import pyarrow.parquet as pq

    params = {"country": "PK"}
    wanted = ids_of(client, params)
    response = exported(client, "parquet", params)
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content))
    assert sorted(table.column("id").to_pylist()) == wanted
    rows = list(csv.DictReader(io.StringIO(exported(client, "csv", params).text)))
    assert sorted(r["id"] for r in rows) == wanted
    statements = list(
        csv.DictReader(io.StringIO(exported(client, "csv", {"kind": "statement"}).text))
    )
    assert statements and {r["kind"] for r in statements} == {"statement"}


def test_export_api_jsonl_with_filters_keeps_what_is_about_the_incidents(client):
    params = {"country": "PK"}
    wanted = set(ids_of(client, params))
    records = [json.loads(line) for line in exported(client, "jsonl", params).text.splitlines()]
    incidents = {r["id"] for r in records if r["kind"] == "incident"}
    assert incidents == wanted
    others = [r for r in records if r["kind"] != "incident"]
    assert others and all(r["about"] in wanted for r in others)
    every = [json.loads(line) for line in exported(client, "jsonl", {}).text.splitlines()]
    about = [r for r in every if r["kind"] != "incident" and r.get("about") in wanted]
    assert [r["id"] for r in others] == [r["id"] for r in about]  # the export's order


def test_export_api_filters_are_checked_like_the_list(client):
    response = client.get("/api/export", params={"format": "acled", "country": "PAK"})
    assert response.status_code == 422
    assert "country" in response.json()["message"]
