"""khabar eval's scores may not fall below the floors pinned in eval_baseline.json."""

import json

import pytest

from eval_gate import BASELINE, MODELS, SETS, digest, measure
from khabar.extract.nlp import load_nlp

BASE = json.loads(BASELINE.read_text())


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize("model", MODELS)
def test_eval_gate_scores_stay_above_their_floors(name, model):
    gold, articles = SETS[name]
    if not gold.exists():
        pytest.skip(f"{name} is not beside this checkout")
    if model == "auto" and not load_nlp("auto")[1].statistical:
        pytest.skip("no spaCy model installed")
    entry = BASE[name]
    assert entry["digest"] == digest(gold, articles), (
        f"the {name} gold data changed since its floors were pinned: run "
        "`python tests/eval_gate.py --update` and commit eval_baseline.json"
    )
    scores = measure(name, model)
    for metric, floor in entry["floors"][model].items():
        assert scores[metric] >= floor, f"{name}/{model}/{metric}: {scores[metric]} < {floor}"
