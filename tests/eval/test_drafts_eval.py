"""The drafts targets of issue 6 on a small generated network (the full size is in
tests/eval/README.md): every draft cites a fact about its person, no two drafts to different
people share more than 0.3 of their 3-gram shingles (names masked), and every draft passes the
template guard."""

from __future__ import annotations

import pytest

from companion.db import Database
from companion.services.followup import guard_shingles
from tests.eval import drafts_eval

SIZE = dict(contacts=160, identities_per_contact=2, interactions=14_000, captures=200, seed=3)
ARGS = ["--contacts", "160", "--identities-per-contact", "2", "--interactions", "14000",
        "--captures", "200", "--seed", "3"]


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("drafts-eval") / "net"
    drafts_eval.network(data_dir, False, SIZE, log=lambda message: None)
    return data_dir


def test_every_draft_cites_a_fact_no_two_are_alike_and_all_pass_the_guard(network):
    db = Database(network / "goen.sqlite3")
    try:
        result = drafts_eval.evaluate(db)
    finally:
        db.close()
    lines = "\n".join(drafts_eval.report(result, "small network"))
    assert result.drafts >= 60, lines
    assert len(result.by_reason) >= 3 and set(result.by_lang) == {"ja", "en"}, lines
    assert result.citing == result.drafts, lines
    assert result.max_jaccard <= drafts_eval.MAX_JACCARD, lines
    assert result.guard_ok == result.drafts, lines
    assert result.misses() == []


def test_the_measure_can_fail():
    """The same draft to two people, names aside, is similarity 1.0."""
    a = guard_shingles.shingles("Hi Emily, here is the deck I promised on Nov 3.", ["Emily"])
    b = guard_shingles.shingles("Hi Kenji, here is the deck I promised on Nov 3.", ["Kenji"])
    [(score, i, j)] = drafts_eval._max_pairs([(1, a, "a"), (2, b, "b")], 1)
    assert score == 1.0
    result = drafts_eval.Result(drafts=2, citing=1, max_jaccard=score, guard_ok=2)
    assert len(result.misses()) == 2


def test_the_script_prints_the_figures(network, capsys):
    assert drafts_eval.main(["--data-dir", str(network), *ARGS]) == 0
    out = capsys.readouterr().out
    assert "largest 3-gram Jaccard" in out and "citing a fact" in out
    assert "passing the template guard" in out
