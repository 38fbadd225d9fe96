"""A CLI that starts at once (issue 15): the commands that only read the database import
neither spaCy, nor the web stack, nor pandas/pyarrow. Checked on sys.modules in a fresh
interpreter, not by timing."""

import json
import subprocess
import sys

import pytest

from conftest import REPO

HEAVY = (
    "spacy",
    "thinc",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "pandas",
    "pyarrow",
    "httpx",  # the fetcher's: a reading command never fetches
    "trafilatura",
)

PROBE = """
import json, sys
from khabar.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
heavy = [m for m in {heavy!r} if m in sys.modules]
print("\\nLOADED " + json.dumps(heavy))
"""


def _loaded(*args: str, watched: tuple[str, ...] = HEAVY) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=watched), *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin", "COLUMNS": "100"},
        timeout=120,
    )
    line = result.stdout.rsplit("LOADED ", 1)
    assert len(line) == 2, result.stdout + result.stderr
    return json.loads(line[1])


def test_help_imports_no_model_and_no_web_stack():
    assert _loaded("--help") == []


def test_help_imports_neither_the_records_nor_the_store():
    """Help is the typer app alone: pydantic (typer's own coercion loads it only to parse
    a command's options), the record models, DuckDB and the actor file's YAML reader
    are a command's cost, not the listing of commands."""
    watched = ("pydantic", "khabar.records", "duckdb", "yaml", "khabar.store")
    assert _loaded("--help", watched=watched) == []


def test_listing_incidents_reads_no_actor_file(demo_db):
    """Without an actor filter the listing never reads actors.yaml, so it does not
    import the YAML reader either."""
    assert _loaded("incidents", "--db", str(demo_db), watched=("yaml",)) == []
    assert _loaded("incidents", "--actor", "TTP", "--db", str(demo_db), watched=("yaml",)) == [
        "yaml"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["incidents"],
        ["incidents", "--country", "Pakistan", "--format", "jsonl"],
        ["articles"],
        ["statements", "--format", "jsonl"],
    ],
)
def test_reading_commands_import_no_model_and_no_web_stack(demo_db, args):
    assert _loaded(*args, "--db", str(demo_db)) == []


def test_show_imports_no_model_and_no_web_stack(demo_db, runner):
    from khabar.cli import app

    event = json.loads(
        runner.invoke(app, ["incidents", "--db", str(demo_db), "--format", "jsonl"]).output.split(
            "\n"
        )[0]
    )
    assert _loaded("show", event["id"], "--db", str(demo_db)) == []
    assert _loaded("show", event["sources"][0]["article_id"], "--db", str(demo_db)) == []


def test_the_model_still_loads_for_extraction():
    """The lazy imports are only deferred: the extraction package still has its parts."""
    import khabar.extract as extract

    assert extract.NlpInfo.__name__ == "NlpInfo"
    assert callable(extract.Extractor)


def test_default_database_matches_the_settings(monkeypatch):
    from khabar.cli._app import DEFAULT_DB, _where
    from khabar.settings import Settings

    monkeypatch.delenv("KHABAR_DB", raising=False)
    assert Settings().db == DEFAULT_DB
    assert _where(None).db == DEFAULT_DB
    assert _where("other.duckdb").db == "other.duckdb"
