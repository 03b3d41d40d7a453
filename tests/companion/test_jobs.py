"""Daily jobs (companion/jobs.py): time passing alone moves proposed tiers outward, once a day,
remembered across restarts; a failing job is reported and never stops the others."""

from __future__ import annotations

import sqlite3
import time
from datetime import date, timedelta

from companion import jobs
from companion.services.followup import relationship
from tests.companion.services.followup.store_helpers import (  # noqa: F401  (fixtures)
    CAPTURED, frozen_clock, log, me_app, me_client, me_db, person)
from tests.helpers import start_server, stop_server

TODAY = date(2026, 11, 26)


def tier(db, contact_id: int) -> tuple[str, str]:
    return tuple(db.query_one("SELECT tier, tier_source FROM contacts WHERE id = ?",
                              (contact_id,)))


def test_tiers_move_outward_once_a_day(me_client, me_db, monkeypatch):
    now = {"at": CAPTURED}
    monkeypatch.setattr(relationship, "clock", lambda: now["at"])
    busy = person(me_client)
    chosen = person(me_client, "Kenji Ito", "https://x.com/kenji_ito")
    for n in range(8):   # an exchange every week for two months: inner
        log(me_client, busy, None, direction="in", at=f"2026-10-{1 + 3 * n:02d}T09:00:00Z")
        log(me_client, busy, None, direction="out", at=f"2026-10-{1 + 3 * n:02d}T10:00:00Z")
    me_client.patch(f"/api/v1/contacts/{chosen}", json={"tier": "inner"})
    assert tier(me_db, busy) == ("inner", "proposed")

    now["at"] = CAPTURED + timedelta(days=200)   # then nothing for 200 days
    later = TODAY + timedelta(days=200)
    assert tier(me_db, busy) == ("inner", "proposed")     # no capture: nothing recomputed
    first = jobs.run_due(me_db, later)
    assert [(r.name, r.ran, r.result) for r in first][:2] == [("refresh_tiers", True, 2),
                                                              ("refresh_stock", True, 0)]
    assert first[2].name == "backup" and first[2].ran
    assert tier(me_db, busy) == ("active", "proposed")   # 8 exchange days in the year
    assert tier(me_db, chosen) == ("inner", "user")       # the user's choice stays

    # the same day again: nothing is recomputed (a hand edit of the proposal shows it)
    me_db.execute("UPDATE contacts SET tier = 'close' WHERE id = ?", (busy,))
    assert [r.ran for r in jobs.run_due(me_db, later)] == [False] * len(jobs.JOBS)
    assert tier(me_db, busy) == ("close", "proposed")
    next_day = later + timedelta(days=1)
    assert [r.ran for r in jobs.run_due(me_db, next_day)] == [True] * len(jobs.JOBS)
    assert tier(me_db, busy) == ("active", "proposed")   # 8 exchange days in the year
    run = jobs.last_runs(me_db)["refresh_tiers"]
    assert run["last_day"] == (later + timedelta(days=1)).isoformat() and run["result"] == "2"


def test_a_failing_job_is_reported_and_tried_again(db):
    calls = []

    def broken(_db):
        calls.append("broken")
        raise RuntimeError("disk on fire")

    table = (jobs.Job("broken", broken), jobs.Job("fine", lambda _db: calls.append("fine")))
    runs = jobs.run_due(db, TODAY, table)
    assert [(r.name, r.ran) for r in runs] == [("broken", False), ("fine", True)]
    assert runs[0].error == "RuntimeError: disk on fire"
    assert set(jobs.last_runs(db)) == {"fine"}
    jobs.run_due(db, TODAY, table)             # tried again; the one that ran is not
    assert calls == ["broken", "fine", "broken"]


def test_status_is_not_warm_without_the_daily_thread(client):
    assert client.get("/api/v1/status").json["warm"] is False


def test_the_thread_runs_the_jobs_and_stops(db):
    thread = jobs.DailyJobs(db, check_seconds=0.05)
    thread.start()
    deadline = time.monotonic() + 10
    while len(jobs.last_runs(db)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert thread.warm.wait(10)
    thread.stop()
    thread.join(5)
    assert not thread.is_alive()
    assert "refresh_tiers" in jobs.last_runs(db)


def test_goen_serve_runs_the_daily_jobs(data_dir):
    server = start_server(data_dir)
    try:
        deadline = time.monotonic() + 15
        found = []
        while len(found) < len(jobs.JOBS) and time.monotonic() < deadline:
            with sqlite3.connect(data_dir / "goen.sqlite3") as conn:
                found = conn.execute("SELECT name, last_day FROM job_runs").fetchall()
            time.sleep(0.05)
        assert sorted(name for name, _ in found) == ["backup", "identity_proposals",
                                                     "refresh_stock", "refresh_tiers"]
        warm = False
        while not warm and time.monotonic() < deadline:
            warm = _status(server)["warm"]
            time.sleep(0.05)
        assert warm
    finally:
        stop_server(server)


def _status(server) -> dict:
    import http.client
    import json
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", "/api/v1/status", headers={"Authorization": f"Bearer {server.token}"})
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def test_a_large_network_is_drafted_ahead_in_a_worker_process_with_the_same_result(
        app, db, monkeypatch):
    """From DRAFT_WORKER_MIN_CONTACTS on, `python -m companion.services.followup.
    next_kept_worker` drafts everyone: the kept follow-ups are those the companion itself
    would keep, and stay current for its lookups (the same stamps)."""
    from companion.services.followup import next_kept
    from tests.companion.services.followup.test_suggest_support import (TODAY, add_contact,
                                                                        message_with_facts)
    people = [add_contact(db, f"Person {n}", tier="close") for n in range(3)]
    message_with_facts(db, people[0], "in", "Could you share the slides from the panel?",
                       "2026-11-24T01:00:00.000Z")
    settings = app.extensions["goen.settings"]
    monkeypatch.setattr(jobs, "DRAFT_WORKER_MIN_CONTACTS", 1)
    thread = jobs.DailyJobs(db, settings=settings)
    thread._draft_ahead(TODAY)
    kept = {r[0]: r[1] for r in db.query_all("SELECT contact_id, result FROM next_followups")}
    assert set(kept) == set(people)
    redrafted = []
    real = next_kept.draft
    monkeypatch.setattr(next_kept, "draft", lambda *a, **k: redrafted.append(1) or real(*a, **k))
    answer = next_kept.next_followup(db, people[0], TODAY, settings=settings)
    assert redrafted == []                       # the worker's stamp holds here
    assert answer["reason"] == "question_waiting"


def test_a_failing_drafting_worker_is_logged_and_the_thread_goes_on(app, db, monkeypatch,
                                                                   caplog):
    monkeypatch.setattr(jobs, "DRAFT_WORKER_MIN_CONTACTS", 0)
    monkeypatch.setattr(jobs.sys, "executable", "/bin/false")
    jobs.DailyJobs(db, settings=app.extensions["goen.settings"])._draft_ahead(date(2026, 11, 26))
    assert "drafting the next follow-ups ahead failed" in caplog.text
