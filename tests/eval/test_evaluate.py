"""The labelled-set quality target of issue 6, asserted on the full set: precision >= 0.9 and
recall >= 0.85 for every label (promise-me, promise-them, question, event, none)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.eval import evaluate as evaluate_module


@pytest.fixture(scope="module")
def evaluate():
    return evaluate_module


def test_the_labelled_set_is_as_described(evaluate):
    rows = evaluate.load()
    assert len(rows) >= 150
    langs = Counter(r["lang"] for r in rows)
    assert abs(langs["ja"] - langs["en"]) <= len(rows) * 0.1
    assert {r["split"] for r in rows} == {"train", "test", "blind", "blind2", "blind3"}
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert row["direction"] in ("in", "out")
        assert set(row["labels"]) <= set(evaluate.LABELS)
        assert ("none" in row["labels"]) == (row["labels"] == ["none"])
        assert ("event" in row["labels"]) == (row["event"] is not None)
        assert set(row["due"]) <= set(row["labels"])
    for label in evaluate.LABELS:
        assert sum(label in r["labels"] for r in rows) >= 30, label


def test_every_label_meets_the_targets_on_the_full_set(evaluate):
    result = evaluate.score(evaluate.load())
    lines = "\n".join(evaluate.report("all", result))
    for label in evaluate.LABELS:
        assert result.precision(label) >= evaluate.PRECISION_TARGET, lines
        assert result.recall(label) >= evaluate.RECALL_TARGET, lines


def test_the_score_can_fail(evaluate):
    """A predictor that says "none" to everything must miss the targets."""
    rows = evaluate.load()
    result = evaluate.Score()
    for row in rows:
        gold = set(row["labels"])
        for label in evaluate.LABELS:
            if label == "none" and label in gold:
                result.tp[label] += 1
            elif label == "none":
                result.fp[label] += 1
            elif label in gold:
                result.fn[label] += 1
    assert set(result.misses()) == set(evaluate.LABELS)


def test_the_script_exits_zero_and_prints_every_split(evaluate, capsys):
    assert evaluate.main([]) == 0
    out = capsys.readouterr().out
    for name in ("train", "test (held out)", "blind (", "blind2 (", "all"):
        assert name in out
