"""Extraction gives the same records whatever the process's hash seed: a tie settled by
a set's order would place or count the same article differently from run to run, and a
re-ingest or a second worker would disagree with the first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_SCRIPT = """
import sys
from khabar.extract import ExtractOptions, Extractor
from khabar.ingest import IngestOptions, run
from khabar.records import Article

articles = [
    a for a in run([sys.argv[1]], options=IngestOptions(follow_feed_links=False))
    if isinstance(a, Article)
]
extractor = Extractor(ExtractOptions(model="blank"))
for records in extractor.pipe(sorted(articles, key=lambda a: a.id)):
    for record in records:
        print(record.model_dump_json())
"""


def _records(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(REPO / "demo" / "corpus")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout


def test_records_do_not_depend_on_the_hash_seed():
    first = _records("1")
    assert first.count("\n") > 20
    assert _records("2") == first
    assert _records("3") == first
