"""Hand decisions from the command line: merge warns, unmerge and revert take back,
decisions lists them, incidents --review lists the incidents to check."""

import json

from conftest import REPO
from khabar.cli import app

CORPUS = REPO / "demo" / "corpus"


def listed(runner, db, *flags):
    result = runner.invoke(app, ["incidents", "--db", str(db), "--format", "jsonl", *flags])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def where(event):
    location = event["location"] or {}
    return location.get("place") or location.get("admin2")


def test_merge_warns_then_unmerge_and_decisions_revert_take_it_back(runner, db_path):
    runner.invoke(app, ["ingest", "--db", str(db_path), str(CORPUS), "--no-follow-links"])
    before = listed(runner, db_path)
    gwadar = next(e for e in before if where(e) == "Gwadar")
    mazar = next(e for e in before if where(e) == "Mazar-i-Sharif")

    refused = runner.invoke(
        app, ["incidents", "merge", gwadar["id"], mazar["id"], "--db", str(db_path)]
    )
    assert refused.exit_code != 0
    assert "days apart" in refused.output and "--force" in refused.output
    assert len(listed(runner, db_path)) == len(before)

    merged = runner.invoke(
        app, ["incidents", "merge", gwadar["id"], mazar["id"], "--db", str(db_path), "--force"]
    )
    assert merged.exit_code == 0, merged.output
    assert "warning" in merged.output
    after = listed(runner, db_path)
    assert len(after) == len(before) - 1
    joined = next(e for e in after if where(e) == "Gwadar")
    assert any("merged by hand across" in r for r in joined["review"])
    assert any(e["id"] == joined["id"] for e in listed(runner, db_path, "--review"))

    decisions = runner.invoke(app, ["decisions", "--db", str(db_path), "--format", "jsonl"])
    (decision,) = [json.loads(line) for line in decisions.output.splitlines()]
    assert decision["kind"] == "merge" and decision["pairs"] >= 1

    undone = runner.invoke(app, ["incidents", "unmerge", joined["id"], "--db", str(db_path)])
    assert undone.exit_code == 0, undone.output
    assert len(listed(runner, db_path)) == len(before)
    assert runner.invoke(app, ["decisions", "--db", str(db_path), "--format", "jsonl"]).output == ""
    again = runner.invoke(app, ["incidents", "unmerge", joined["id"], "--db", str(db_path)])
    assert again.exit_code != 0 and "no hand merge" in again.output


def test_decisions_revert_takes_back_a_split(runner, db_path):
    runner.invoke(app, ["ingest", "--db", str(db_path), str(CORPUS), "--no-follow-links"])
    before = listed(runner, db_path)
    biggest = max(before, key=lambda e: len(e["sources"]))
    article = next(s["article_id"] for s in biggest["sources"] if s["role"] == "report")
    split = runner.invoke(app, ["incidents", "split", biggest["id"], article, "--db", str(db_path)])
    assert split.exit_code == 0, split.output
    assert len(listed(runner, db_path)) == len(before) + 1
    table = runner.invoke(app, ["decisions", "--db", str(db_path)])
    assert "split" in table.output and "1 hand decision(s)" in table.output
    (decision,) = [
        json.loads(line)
        for line in runner.invoke(
            app, ["decisions", "--db", str(db_path), "--format", "jsonl"]
        ).output.splitlines()
    ]
    reverted = runner.invoke(app, ["decisions", "revert", decision["id"][:6], "--db", str(db_path)])
    assert reverted.exit_code == 0, reverted.output
    assert len(listed(runner, db_path)) == len(before)
    unknown = runner.invoke(app, ["decisions", "revert", "hd-nothing", "--db", str(db_path)])
    assert unknown.exit_code != 0


def test_incidents_review_lists_only_incidents_with_reasons(runner, db_path):
    runner.invoke(app, ["ingest", "--db", str(db_path), str(CORPUS), "--no-follow-links"])
    everything = listed(runner, db_path, "--mentioned")
    reported = listed(runner, db_path)
    assert all(e["status"] == "reported" for e in reported)
    assert len(everything) > len(reported), "the demo has mention-only incidents"
    to_review = listed(runner, db_path, "--review")
    assert to_review and all(e["review"] for e in to_review)
    assert {e["id"] for e in everything if e["review"]} == {e["id"] for e in to_review}
    table = runner.invoke(app, ["incidents", "--db", str(db_path), "--review"])
    assert "to review" in table.output and "known only from passing mentions" in table.output
