"""Facts and ledger routes, the summary's open promises, tier and last two-way, the detail's
purpose and offer: GET/PATCH facts, GET/POST/DELETE ledger, cascade on delete."""

from __future__ import annotations

import pytest

from tests.companion.services.followup.store_helpers import (  # noqa: F401  (fixtures)
    frozen_clock, log, me_app, me_client, me_db, person, post_page)


def facts(client, contact: int, **query) -> list[dict]:
    answer = client.get(f"/api/v1/contacts/{contact}/facts", query_string=query)
    assert answer.status_code == 200, answer.json
    return answer.json["facts"]


def test_facts_of_a_captured_thread_with_their_sources(me_client, frozen_clock):
    contact = post_page(me_client, "x/dm-ja")["contact"]["id"]
    everything = facts(me_client, contact)
    assert len(everything) == 4
    newest = everything[0]
    assert set(newest) == {"id", "contact_id", "kind", "whose", "label", "lang", "span", "due",
                           "event_date", "detail", "status", "status_at", "status_source",
                           "stated_at", "source"}
    assert set(newest["source"]) == {"type", "id", "occurred_at", "platform", "snippet"}
    assert [f["stated_at"] for f in everything] == sorted(
        (f["stated_at"] for f in everything), reverse=True)
    promises = facts(me_client, contact, kind="promise")
    assert {f["label"] for f in promises} == {"commitment", "proposal"}
    open_questions = facts(me_client, contact, kind="question", status="open")
    assert open_questions == []                           # both were answered
    both = me_client.get(f"/api/v1/contacts/{contact}/facts?status=open&status=answered").json
    comma = facts(me_client, contact, status="open,answered")
    assert both["facts"] == comma and len(comma) == 3          # the kept promise left out


@pytest.mark.parametrize("query, field", [({"status": "closed"}, "status"),
                                          ({"kind": "gossip"}, "kind")])
def test_bad_filters_are_named(me_client, query, field):
    contact = person(me_client)
    answer = me_client.get(f"/api/v1/contacts/{contact}/facts", query_string=query)
    assert answer.status_code == 400
    assert answer.json["error"]["details"]["field"] == field


def test_unknown_contact_or_fact_is_404(me_client):
    assert me_client.get("/api/v1/contacts/999/facts").status_code == 404
    assert me_client.patch("/api/v1/facts/999", json={"status": "done"}).status_code == 404
    assert me_client.get("/api/v1/contacts/999/ledger").status_code == 404
    assert me_client.post("/api/v1/contacts/999/ledger",
                          json={"flow": "given", "kind": "help"}).status_code == 404
    assert me_client.delete("/api/v1/ledger/999").status_code == 404


def test_the_users_word_on_a_promise_sticks(me_client, me_db, frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "I'll send you the deck on Friday.", at="2026-11-20T10:00:00Z")
    [promise] = facts(me_client, contact, kind="promise")
    answer = me_client.patch(f"/api/v1/facts/{promise['id']}", json={"status": "done"})
    assert answer.status_code == 200
    assert (answer.json["status"], answer.json["status_source"]) == ("done", "user")
    ledger = me_client.get(f"/api/v1/contacts/{contact}/ledger").json
    assert (ledger["given"], ledger["received"]) == (1, 0)
    assert ledger["entries"][0]["fact_id"] == promise["id"]
    assert ledger["entries"][0]["kind"] == "information"
    # reopened: the ledger entry goes, and a later report no longer settles it
    reopened = me_client.patch(f"/api/v1/facts/{promise['id']}", json={"status": "open"}).json
    assert (reopened["status"], reopened["status_source"]) == ("open", "user")
    assert me_client.get(f"/api/v1/contacts/{contact}/ledger").json["entries"] == []
    log(me_client, contact, "Here's the deck!", at="2026-11-22T10:00:00Z")
    [promise] = facts(me_client, contact, kind="promise")
    assert promise["status"] == "open"
    dismissed = me_client.patch(f"/api/v1/facts/{promise['id']}",
                                json={"status": "dismissed"}).json
    assert dismissed["status"] == "dismissed"
    summary = me_client.get(f"/api/v1/contacts/{contact}").json
    assert summary["open_promises"] == []


@pytest.mark.parametrize("body, field", [
    ({"status": "kept"}, "status"), ({"status": None}, "status"), ({}, "status"),
    ({"status": "done", "due": "2027-01-01"}, "due"),
])
def test_bad_fact_patches_are_refused(me_client, frozen_clock, body, field):
    contact = person(me_client)
    log(me_client, contact, "I'll send you the deck.")
    [promise] = facts(me_client, contact, kind="promise")
    answer = me_client.patch(f"/api/v1/facts/{promise['id']}", json=body)
    assert answer.status_code == 400
    assert answer.json["error"]["details"]["field"] == field


def test_ledger_entries_by_hand(me_client):
    contact = person(me_client)
    note = me_client.post(f"/api/v1/contacts/{contact}/notes",
                          json={"body": "ランチで採用の相談に乗った"}).json
    given = me_client.post(f"/api/v1/contacts/{contact}/ledger", json={
        "flow": "given", "kind": "help", "text": "採用の相談に乗った", "note_id": note["id"],
        "occurred_at": "2026-11-10T12:00:00+09:00"})
    assert given.status_code == 201
    assert given.json["occurred_at"] == "2026-11-10T03:00:00.000Z"
    assert given.json["note_id"] == note["id"] and given.json["fact_id"] is None
    received = me_client.post(f"/api/v1/contacts/{contact}/ledger", json={
        "flow": "received", "kind": "introduction", "text": "Introduced me to Ken at Acme"})
    assert received.status_code == 201
    ledger = me_client.get(f"/api/v1/contacts/{contact}/ledger").json
    assert (ledger["given"], ledger["received"]) == (1, 1)
    assert [e["flow"] for e in ledger["entries"]] == ["received", "given"]   # newest first
    assert me_client.delete(f"/api/v1/ledger/{given.json['id']}").status_code == 204
    assert me_client.get(f"/api/v1/contacts/{contact}/ledger").json["given"] == 0


@pytest.mark.parametrize("body, field", [
    ({"kind": "help"}, "flow"), ({"flow": "lent", "kind": "help"}, "flow"),
    ({"flow": "given", "kind": "money"}, "kind"), ({"flow": "given", "text": 5}, "text"),
    ({"flow": "given", "occurred_at": "yesterday"}, "occurred_at"),
    ({"flow": "given", "note_id": 12345}, "note_id"), ({"flow": "given", "fact_id": 1}, "fact_id"),
])
def test_bad_ledger_entries_are_refused(me_client, body, field):
    contact = person(me_client)
    answer = me_client.post(f"/api/v1/contacts/{contact}/ledger", json=body)
    assert answer.status_code == 400
    assert answer.json["error"]["details"]["field"] == field


def test_a_note_states_facts_about_the_contact(me_client, frozen_clock):
    contact = person(me_client)
    note = me_client.post(f"/api/v1/contacts/{contact}/notes", json={
        "body": "来月から大阪に引っ越すそうです。登壇資料は来週お送りします。"}).json
    found = {f["kind"]: f for f in facts(me_client, contact)}
    assert found["event"]["whose"] == "them" and found["event"]["label"] == "move"
    assert found["promise"]["whose"] == "me"
    for fact in found.values():
        assert fact["source"]["type"] == "note" and fact["source"]["id"] == note["id"]
        assert fact["source"]["platform"] is None
        assert fact["source"]["occurred_at"] == note["created_at"]
        assert fact["span"]["text"] in note["body"]


def test_the_summary_lists_open_promises_mine_first_soonest_due_first(me_client, frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "Let's grab lunch next month.", direction="in",
        at="2026-11-20T09:00:00Z")
    log(me_client, contact, "I'll send the contract by Friday.", at="2026-11-20T10:00:00Z")
    log(me_client, contact, "I'll call the venue tomorrow.", at="2026-11-20T10:05:00Z")
    log(me_client, contact, "I'll write up my notes at some point.", at="2026-11-20T10:10:00Z")
    summary = me_client.get("/api/v1/lookup",
                            query_string={"url": "https://x.com/hanako_mori"}).json["contact"]
    assert [(p["whose"], p["due"], p["text"]) for p in summary["open_promises"]] == [
        ("me", "2026-11-21", "I'll call the venue tomorrow."),
        ("me", "2026-11-27", "I'll send the contract by Friday."),
        ("me", None, "I'll write up my notes at some point."),
    ]                                                     # theirs is the fourth: left out
    assert summary["tier"] == "active"
    assert summary["last_two_way_at"] == "2026-11-20T09:00:00.000Z"
    listed = me_client.get("/api/v1/contacts").json["contacts"][0]
    assert listed["open_promises"] == summary["open_promises"]
    assert (listed["tier"], listed["last_two_way_at"]) == (summary["tier"],
                                                           summary["last_two_way_at"])
    detail = me_client.get(f"/api/v1/contacts/{contact}").json
    assert (detail["tier_source"], detail["purpose"], detail["offer"]) == ("proposed", None, None)


def test_the_contact_list_adds_one_query_per_page(me_client, me_db, frozen_clock):
    for i in range(5):
        contact = person(me_client, f"Person {i}", f"https://x.com/person_{i}")
        log(me_client, contact, f"I'll send you the deck number {i} tomorrow.")
    statements: list[str] = []
    me_db.connect().set_trace_callback(statements.append)
    try:
        page = me_client.get("/api/v1/contacts").json["contacts"]
    finally:
        me_db.connect().set_trace_callback(None)
    assert all(len(c["open_promises"]) == 1 for c in page)
    assert sum("FROM facts" in s for s in statements) == 1


def test_deleting_a_contact_removes_its_facts_and_ledger(me_client, me_db, frozen_clock):
    contact = post_page(me_client, "x/dm-ja")["contact"]["id"]
    me_client.post(f"/api/v1/contacts/{contact}/ledger", json={"flow": "given", "kind": "help"})
    me_client.post(f"/api/v1/contacts/{contact}/notes", json={"body": "転職されたそうです"})
    assert me_db.query_one("SELECT COUNT(*) FROM facts")[0] == 5
    assert me_client.delete(f"/api/v1/contacts/{contact}").status_code == 204
    for table in ("facts", "ledger"):
        assert me_db.query_one(f"SELECT COUNT(*) FROM {table}")[0] == 0, table


def test_a_meeting_logged_without_text_adds_no_fact(me_client, me_db, frozen_clock):
    contact = person(me_client)
    log(me_client, contact, None, kind="meeting", direction="both")
    assert facts(me_client, contact) == []
    assert me_client.get(f"/api/v1/contacts/{contact}").json["last_two_way_at"] == \
        "2026-11-20T10:00:00.000Z"


def test_lookup_and_the_contact_page_carry_the_next_follow_up(me_client, frozen_clock):
    contact = person(me_client)
    url = {"url": "https://x.com/hanako_mori"}
    first = me_client.get("/api/v1/lookup", query_string=url).json["contact"]["next_followup"]
    # just saved: a second contact soon, but nothing said yet to write from
    assert (first["reason"], first["draft"]) == ("met_recently", None)
    assert set(first["missing"]) == {"ja", "en"}
    log(me_client, contact, "Could you share the slides from your PyCon talk?", direction="in",
        at="2026-11-20T09:00:00Z")
    summary = me_client.get("/api/v1/lookup", query_string=url).json["contact"]
    strongest = me_client.get(f"/api/v1/contacts/{contact}/suggestions").json["suggestions"][0]
    followup = summary["next_followup"]
    assert set(followup) == {"key", "reason", "action", "why", "when", "draft", "missing"}
    assert (followup["key"], followup["reason"], followup["action"]) == (
        strongest["key"], "question_waiting", "answer")
    assert followup["why"] == strongest["why"] and set(followup["why"]) == {"ja", "en"}
    assert followup["draft"]["lang"] == "en"
    assert "slides from your PyCon talk" in followup["draft"]["text"]
    assert followup["draft"]["text"] == strongest["drafts"][0]["text"]
    detail = me_client.get(f"/api/v1/contacts/{contact}").json
    assert detail["next_followup"]["key"] == followup["key"]
    # a list of summaries does not draft a message for each person
    assert me_client.get("/api/v1/contacts").json["contacts"][0]["next_followup"] is None
