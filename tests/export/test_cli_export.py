"""``khabar export --format F [-o FILE] [--kind K]`` over the demo database."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from khabar.cli import app
from khabar.pipeline import export_records
from khabar.store import open_store


@pytest.fixture(scope="module")
def db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("export") / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


def run(runner, *args: object):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_export_jsonl_is_unchanged(runner, db):
    store = open_store(db)
    try:
        expected = "".join(r.model_dump_json() + "\n" for r in export_records(store))
    finally:
        store.close()
    assert run(runner, "export", "--db", db).stdout == expected
    assert run(runner, "export", "--db", db, "--format", "jsonl").stdout == expected


@pytest.mark.parametrize("fmt", ["acled", "csv", "geojson", "parquet", "stix"])
def test_export_every_format_to_a_file(runner, db, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    result = run(runner, "export", "--db", db, "--format", fmt, "-o", target)
    assert "record(s) written" in result.output
    data = target.read_bytes()
    assert data
    incidents = [
        json.loads(line)
        for line in run(runner, "export", "--db", db, "--kind", "incident").stdout.splitlines()
    ]
    if fmt in ("acled", "csv"):
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        assert len(rows) == len(incidents)
    elif fmt == "geojson":
        assert len(json.loads(data)["features"]) == len(incidents)
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        assert pq.read_table(io.BytesIO(data)).num_rows == len(incidents)
    else:
        reports = [o for o in json.loads(data)["objects"] if o["type"] == "report"]
        assert len(reports) == len(incidents)


def test_export_csv_of_statements_to_stdout(runner, db):
    rows = list(
        csv.DictReader(
            io.StringIO(
                run(runner, "export", "--db", db, "--format", "csv", "--kind", "statement").stdout
            )
        )
    )
    assert rows and all(r["kind"] == "statement" for r in rows)


def test_export_refuses_a_kind_the_format_cannot_hold(runner, db):
    result = runner.invoke(
        app, ["export", "--db", str(db), "--format", "acled", "--kind", "statement"]
    )
    assert result.exit_code == 2
    assert "acled" in result.output


def test_export_refuses_an_unknown_format(runner, db):
    assert runner.invoke(app, ["export", "--db", str(db), "--format", "xlsx"]).exit_code == 2
