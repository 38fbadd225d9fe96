"""The CLI against PostgreSQL: --db takes a URL; a server that is not there says so."""

import json
import sys

import pytest

from khabar.cli import app
from khabar.errors import UsageError
from khabar.store import open_store

STORY = (
    "Gunmen killed {n} policemen at a checkpoint near Dera Ismail Khan on Tuesday, "
    "officials said. The attackers fled on motorcycles."
)


def test_ingest_list_and_export_through_a_postgresql_url(runner, write, pg_url):
    for n in (2, 4):
        write(f"story-{n}.txt", f"Checkpoint attack {n}\n\n" + STORY.format(n=n))
    folder = str(write("story-2.txt", "Checkpoint attack 2\n\n" + STORY.format(n=2)).parent)
    ingested = runner.invoke(app, ["ingest", "--db", pg_url, "--model", "blank", folder])
    assert ingested.exit_code == 0, ingested.output
    listed = runner.invoke(app, ["articles", "--db", pg_url, "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    titles = sorted(json.loads(line)["title"] for line in listed.output.splitlines())
    assert titles == ["Checkpoint attack 2", "Checkpoint attack 4"]
    again = runner.invoke(app, ["ingest", "--db", pg_url, "--model", "blank", folder, "--json"])
    assert json.loads(again.output)["known"] == 2
    exported = runner.invoke(app, ["export", "--db", pg_url, "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output
    incidents = runner.invoke(app, ["incidents", "--db", pg_url])
    assert incidents.exit_code == 0, incidents.output


def test_a_server_that_is_not_there_is_one_line(runner, tmp_path):
    pytest.importorskip("psycopg", reason="PostgreSQL half skipped: psycopg is not installed")
    result = runner.invoke(
        app, ["articles", "--db", "postgresql://khabar:secret@127.0.0.1:1/none?connect_timeout=2"]
    )
    assert result.exit_code == 1
    message = " ".join(result.output.split())  # the console wraps at its width
    assert "cannot connect to postgresql://khabar:***@127.0.0.1:1/none" in message
    assert "Connection refused" in message
    assert "secret" not in message


def test_without_psycopg_a_url_asks_for_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "khabar.store._postgres", raising=False)
    with pytest.raises(UsageError, match=r"pip install 'khabar\[postgres\]'"):
        open_store("postgresql://khabar@127.0.0.1:1/none")
