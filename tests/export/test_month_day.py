"""A month and day without a year (``DateSpan.month_day``) is a column of its own in
every tabular export, and the JSON lines carry it as a key."""

from __future__ import annotations

import csv
import io
import json

from khabar.export import write
from khabar.records import DateSpan

from .conftest import BUS

UNDATED_YEAR = BUS.model_copy(update={"date": DateSpan(month_day="10-11")})


def written(records, fmt):  # type: ignore[no-untyped-def]
    stream = io.BytesIO()
    write(records, fmt, stream, None)
    return stream.getvalue()


def test_month_day_is_in_jsonl_csv_and_parquet():
    import pyarrow.parquet as pq

    line = json.loads(written([UNDATED_YEAR, BUS], "jsonl").decode().splitlines()[0])
    assert line["date"] == {
        "value": None,
        "precision": "unknown",
        "earliest": None,
        "latest": None,
        "month_day": "10-11",
    }
    rows = list(csv.DictReader(io.StringIO(written([UNDATED_YEAR, BUS], "csv").decode())))
    assert [r["date.month_day"] for r in rows] == ["10-11", ""]
    assert [r["date.value"] for r in rows] == ["", "2026-01-07"]
    table = pq.read_table(io.BytesIO(written([UNDATED_YEAR, BUS], "parquet")))
    assert [d["month_day"] for d in table.column("date").to_pylist()] == ["10-11", None]
