"""The duplicate pass in a worker process (proposals_worker.py) does what it does in-process."""

from __future__ import annotations

from companion.services.matching import proposals, proposals_worker
from tests.companion.services.matching.test_proposals import add, open_pairs, yamada_pair


def test_the_worker_finds_and_stores_what_the_companion_would(db, monkeypatch):
    a, b = yamada_pair(db)
    c = add(db, "Mia Thornton", emails=["mia@larkspur.example"])
    d = add(db, "M. Thornton", emails=["MIA@larkspur.example"])
    monkeypatch.setattr(proposals_worker, "WORKER_MIN_CONTACTS", 1)   # a real subprocess
    summary = proposals_worker.refresh(db)
    assert isinstance(summary, proposals.RefreshSummary)
    assert (summary.auto_merged, summary.proposed) == (1, 1)
    assert open_pairs(db) == {(a, b)}
    merged = {r[0] for r in db.query_all("SELECT id FROM contacts")}
    assert c in merged and d not in merged       # the older one kept
    again = proposals_worker.refresh(db)
    assert (again.auto_merged, again.proposed, again.kept_open) == (0, 0, 1)
