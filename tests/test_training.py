"""The training script's pure parts (training itself needs the "train" extra and NewsFANE)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_ner.py"


def _script():  # noqa: ANN202 - a module loaded from a path
    spec = importlib.util.spec_from_file_location("train_ner", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_ner"] = module
    spec.loader.exec_module(module)
    return module


def test_models_of_several_seeds_average_into_one() -> None:
    """A weight missing from one run counts 0 in the mean; a mean under 1e-3 is dropped."""
    train_ner = _script()
    first = (
        ["O", "B-PER", "I-PER"],
        {("O", "B-PER"): 1.0, ("B-PER", "I-PER"): 2.0},
        {("w:قال", "O"): 0.5, ("w:محمد", "B-PER"): 3.0, ("w:نادر", "B-PER"): 0.0015},
    )
    second = (
        ["O", "B-PER", "I-PER", "B-ORG"],
        {("O", "B-PER"): 3.0},
        {("w:قال", "O"): 1.5, ("w:وزارة", "B-ORG"): 2.0},
    )
    labels, transitions, weights = train_ner.mean_model([first, second])
    assert labels == ["O", "B-ORG", "B-PER", "I-PER"]
    assert transitions[0][2] == pytest.approx(2.0) and transitions[2][3] == pytest.approx(1.0)
    assert weights["w:قال"] == [1.0, 0.0, 0.0, 0.0]
    assert weights["w:محمد"] == [0.0, 0.0, 1.5, 0.0]
    assert weights["w:وزارة"] == [0.0, 1.0, 0.0, 0.0]
    assert "w:نادر" not in weights  # 0.00075 on average
    single_labels, _, single = train_ner.mean_model([first])
    assert single_labels == ["O", "B-PER", "I-PER"] and single["w:نادر"] == [0.0, 0.0015, 0.0]
