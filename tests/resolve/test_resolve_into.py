"""Resolution over a database: incremental equals rebuild; hand decisions persist."""

import json
import shutil

import duckdb

from conftest import REPO
from khabar.cli import app

CORPUS = REPO / "demo" / "corpus"


def partition(db_path):
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT mention_id, event_id FROM incident_links").fetchall()
    groups = {}
    for mention, event in rows:
        groups.setdefault(event, set()).add(mention)
    return sorted(sorted(g) for g in groups.values())


def test_resolve_incremental_ingest_equals_rebuild(runner, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    for index, path in enumerate(files):
        target = (first if index % 2 else second) / path.relative_to(CORPUS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    db = tmp_path / "k.duckdb"
    for folder in (first, second):
        result = runner.invoke(app, ["ingest", "--db", str(db), str(folder), "--no-follow-links"])
        assert result.exit_code == 0, result.output
    incremental = partition(db)
    result = runner.invoke(app, ["resolve", "--db", str(db), "--rebuild"])
    assert result.exit_code == 0, result.output
    assert partition(db) == incremental
    assert len(incremental) < sum(len(g) for g in incremental)  # something merged
    # The other way round (the later-published half first, as a second process on a
    # shared database might store it): the same incidents. A stored decision is
    # replayed only while no newly stored mention sorts before it.
    reverse = tmp_path / "reverse.duckdb"
    for folder in (second, first):
        result = runner.invoke(
            app, ["ingest", "--db", str(reverse), str(folder), "--no-follow-links"]
        )
        assert result.exit_code == 0, result.output
    assert partition(reverse) == incremental


def test_resolve_hand_merge_and_split_survive_rebuild_and_reextraction(runner, db_path):
    runner.invoke(app, ["ingest", "--db", str(db_path), str(CORPUS), "--no-follow-links"])
    listed = runner.invoke(
        app, ["incidents", "--db", str(db_path), "--format", "jsonl", "--mentioned"]
    )
    events = [json.loads(line) for line in listed.output.splitlines()]
    merged = max(events, key=lambda e: len(e["sources"]))
    lone = min(events, key=lambda e: len(e["sources"]))
    before = len(events)

    result = runner.invoke(
        app, ["incidents", "merge", merged["id"], lone["id"], "--db", str(db_path), "--force"]
    )
    assert result.exit_code == 0, result.output
    after_merge = partition(db_path)
    assert len(after_merge) == before - 1

    listed = runner.invoke(app, ["incidents", "--db", str(db_path), "--format", "jsonl"])
    biggest = max(
        (json.loads(line) for line in listed.output.splitlines()), key=lambda e: len(e["sources"])
    )
    article = lone["sources"][0]["article_id"]
    assert article in {s["article_id"] for s in biggest["sources"]}
    result = runner.invoke(
        app, ["incidents", "split", biggest["id"], article, "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    after_split = partition(db_path)
    assert len(after_split) == before

    runner.invoke(app, ["extract", "--all", "--db", str(db_path)])
    runner.invoke(app, ["resolve", "--rebuild", "--db", str(db_path)])
    assert partition(db_path) == after_split


def test_show_an_incident_lists_sources_disagreements_and_evidence(runner, db_path):
    runner.invoke(app, ["ingest", "--db", str(db_path), str(CORPUS), "--no-follow-links"])
    listed = runner.invoke(app, ["incidents", "--db", str(db_path), "--format", "jsonl"])
    event = max(
        (json.loads(line) for line in listed.output.splitlines()), key=lambda e: len(e["sources"])
    )
    shown = runner.invoke(app, ["show", event["id"][:12], "--db", str(db_path)])
    assert shown.exit_code == 0, shown.output
    assert f"sources ({len(event['sources'])})" in shown.output
    assert "where the sources disagree" in shown.output
    assert "evidence:" in shown.output
    table = runner.invoke(app, ["incidents", "--db", str(db_path)])
    assert "incident(s); sources: r = reports, m = mentions" in table.output


def test_export_points_statements_at_resolved_incidents(runner, db_path):
    runner.invoke(app, ["ingest", "--db", str(db_path), str(CORPUS), "--no-follow-links"])
    lines = runner.invoke(app, ["export", "--db", str(db_path)]).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    events = {r["id"] for r in records if r["kind"] == "incident"}
    abouts = {r["about"] for r in records if r["kind"] != "incident" and r["about"]}
    assert events and abouts and abouts <= events
