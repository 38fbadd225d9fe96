"""The bundled demo corpus: every format it holds ingests without a failure."""

import json

from conftest import REPO
from khabar.cli import app

CORPUS = REPO / "demo" / "corpus"


def test_demo_corpus_ingests_completely(runner, db_path):
    result = runner.invoke(
        app, ["ingest", "--db", str(db_path), str(CORPUS), "--no-follow-links", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["failures"] == []
    assert summary["skipped"] == []
    assert summary["new"] == 30
    assert summary["split"] == {
        "pages/dik-kp-page-frontier-ledger.txt": 2,
        "pages/china-topic-page-crescent-times.txt": 3,
    }
    assert summary["decoded"] == {"html/gwadar-convoy-crescent-times.html": "cp1252"}


def test_demo_corpus_articles_have_titles_and_dates(runner, db_path):
    runner.invoke(app, ["ingest", "--db", str(db_path), str(CORPUS), "--no-follow-links"])
    rows = [
        json.loads(line)
        for line in runner.invoke(
            app, ["articles", "--db", str(db_path), "--format", "jsonl"]
        ).output.splitlines()
    ]
    untitled = [row["file"] for row in rows if not row["title"]]
    assert untitled == ["txt/mazar-shooting-untitled.txt"]
    undated = sorted(row["file"] for row in rows if not row["published"])
    assert undated == [
        "txt/dik-checkpoint-toll-rises.txt",
        "txt/gwadar-ctd-arrests.txt",
        "txt/mazar-shooting-untitled.txt",
    ]
    by_title = {row["title"]: row for row in rows}
    page = by_title[
        "China asks Pakistan to bring Gwadar bombers to justice, tighten security for its nationals"
    ]
    assert page["published_from"] == "text"
    assert page["dateline"] == "GWADAR"
