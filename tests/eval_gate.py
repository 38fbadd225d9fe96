"""Extraction quality floors, pinned with a digest of the gold data they were measured on.

    python tests/eval_gate.py            # print today's scores against the floors
    python tests/eval_gate.py --update   # raise the floors to today's scores (minus slack)
    python tests/eval_gate.py --update --allow-regression   # also lower them, on purpose

The test suite (tests/test_eval_gate.py) fails when a score drops below its floor, or when
the gold data changed since the floors were pinned.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "eval_baseline.json"
SLACK = 0.02
SETS = {
    "fixtures": (HERE / "data" / "extract" / "gold.jsonl", HERE / "data" / "extract" / "articles"),
    "demo": (HERE.parent / "demo" / "gold.jsonl", HERE.parent / "demo" / "corpus"),
    "devset": (
        HERE.parent.parent / "shared" / "devset" / "gold.jsonl",
        HERE.parent.parent / "shared" / "devset" / "articles",
    ),
    "devset-news": (
        HERE.parent.parent / "shared" / "devset-news" / "gold.jsonl",
        HERE.parent.parent / "shared" / "devset-news" / "articles",
    ),
}
MODELS = ("auto", "blank")
METRICS = ("incidents", "fields_all", "statements", "arrests")


def digest(gold: Path, articles: Path) -> str:
    sha = hashlib.sha256(gold.read_bytes())
    for path in sorted(articles.rglob("*")):
        if path.is_file():
            sha.update(path.name.encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def measure(name: str, model: str) -> dict[str, float]:
    from typer.testing import CliRunner

    from khabar.cli import app

    gold, articles = SETS[name]
    result = CliRunner().invoke(
        app,
        ["eval", "--gold", str(gold), "--articles", str(articles), "--model", model, "--json"],
    )
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    report = json.loads(result.stdout)
    return {metric: report[metric]["f1"] for metric in METRICS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--allow-regression", action="store_true")
    args = parser.parse_args()
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    for name, (gold, articles) in SETS.items():
        if not gold.exists():
            print(f"{name}: not here, skipped")
            continue
        entry = baseline.setdefault(name, {"digest": None, "floors": {}})
        for model in MODELS:
            scores = measure(name, model)
            floors = entry["floors"].setdefault(model, {})
            for metric, value in scores.items():
                floor = floors.get(metric, 0.0)
                print(f"{name:9} {model:6} {metric:11} {value:.3f}  floor {floor:.3f}")
                proposed = round(max(value - SLACK, 0.0), 3)
                if args.update and (proposed > floor or args.allow_regression):
                    floors[metric] = proposed
        if args.update:
            entry["digest"] = digest(gold, articles)
    if args.update:
        BASELINE.write_text(json.dumps(baseline, indent=2) + "\n")
        print(f"floors written to {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
