"""The five real articles khabar started from (../shared/devset), read but never copied."""

import json

import pytest

from conftest import DEVSET
from khabar.cli import app

pytestmark = pytest.mark.skipif(
    not (DEVSET / "articles").is_dir(), reason="../shared/devset is not beside this checkout"
)


def test_devset_ingests_into_six_articles_and_a_second_run_adds_none(runner, db_path):
    args = ["ingest", "--db", str(db_path), str(DEVSET / "articles"), "--json"]
    first = json.loads(runner.invoke(app, args).output)
    assert (first["new"], first["known"], first["failures"]) == (6, 0, [])
    assert first["split"] == {"seed-004.txt": 2}
    second = json.loads(runner.invoke(app, args).output)
    assert (second["new"], second["known"]) == (0, 6)


def test_devset_multi_story_page_is_dated_and_clean(runner, db_path):
    runner.invoke(app, ["ingest", "--db", str(db_path), str(DEVSET / "articles")])
    listed = runner.invoke(app, ["articles", "--db", str(db_path), "--format", "jsonl"])
    rows = {(row["file"], row["part"]): row for row in map(json.loads, listed.output.splitlines())}
    assert rows[("seed-004.txt", 1)]["published"] == "2025-11-28"
    assert rows[("seed-004.txt", 2)]["published"] == "2025-12-06"
    for part in (1, 2):
        shown = runner.invoke(
            app,
            ["show", rows[("seed-004.txt", part)]["id"], "--db", str(db_path), "--format", "json"],
        )
        text = json.loads(shown.output)["text"]
        for furniture in ("Short Url", "\nFollow\n", "(AFP/File)", "Updated "):
            assert furniture not in text
    assert rows[("seed-001.txt", None)]["title"].startswith("Afghan Taliban")
