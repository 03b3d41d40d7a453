"""Ledger entries from notes, on the labelled set: precision >= 0.9 and recall >= 0.85 of
(flow, kind), for each flow and overall (tests/eval/README.md, "Ledger entries from notes")."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.eval import ledger_eval


@pytest.fixture(scope="module")
def rows():
    return ledger_eval.load()


def test_the_labelled_set_is_as_described(rows):
    assert len(rows) >= 60
    langs = Counter(r["lang"] for r in rows)
    assert langs["ja"] == langs["en"]
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["split"] for r in rows} == set(ledger_eval.SPLITS)
    empty = sum(1 for r in rows if not r["entries"])
    assert 0.25 * len(rows) <= empty <= 0.45 * len(rows)     # about a third state nothing
    for row in rows:
        for entry in row["entries"]:
            assert entry["flow"] in ledger_eval.FLOWS and entry["kind"] in ledger_eval.KINDS
    for flow in ledger_eval.FLOWS:
        assert sum(e["flow"] == flow for r in rows for e in r["entries"]) >= 20, flow


def test_precision_and_recall_meet_the_targets(rows):
    result = ledger_eval.score(rows)
    lines = "\n".join(ledger_eval.report(result, rows))
    for key in (*ledger_eval.FLOWS, "all"):
        counts = result.counts(key)
        assert counts.precision >= ledger_eval.PRECISION_TARGET, lines
        assert counts.recall >= ledger_eval.RECALL_TARGET, lines


def test_the_measure_can_fail():
    """A wrong kind counts against both precision and recall; a missing entry against recall."""
    rows = [{"id": "x1", "lang": "en", "split": "design", "text": "She sent me the deck.",
             "entries": [{"flow": "received", "kind": "help"}]},
            {"id": "x2", "lang": "en", "split": "design", "text": "Lovely weather.",
             "entries": [{"flow": "given", "kind": "help"}]}]
    result = ledger_eval.score(rows)
    assert (result.counts("received").tp, result.counts("received").fp,
            result.counts("received").fn) == (0, 1, 1)
    assert result.counts("given").recall == 0.0
    assert len(result.errors) == 2


def test_the_script_prints_the_figures(capsys):
    assert ledger_eval.main(["--split", "blind"]) == 0
    out = capsys.readouterr().out
    assert "received" in out and "given" in out and "all" in out
