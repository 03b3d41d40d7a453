"""The facts store through the real capture path: real site fixtures posted to the capture API,
facts stored with their messages as sources, idempotently, statuses settled by later messages,
and goen reparse reading it all again without adding anything twice."""

from __future__ import annotations

import json

from companion.services.followup import queries
from companion.services.reparse import reparse
from tests.companion.services.followup.store_helpers import (  # noqa: F401  (fixtures)
    facts_of, fixture_page, frozen_clock, interaction_id, log, me_app, me_client, me_db,
    post_page, x_dm_until)


def _by_text(facts: list[dict]) -> dict[tuple[str, str], dict]:
    return {(f["kind"], f["span_text"]): f for f in facts}


def test_thread_facts_rest_on_their_messages(me_client, me_db, frozen_clock):
    result = post_page(me_client, "x/dm-ja")
    contact = result["contact"]["id"]
    facts = _by_text(facts_of(me_db, contact))
    request = facts[("question", "スライドを共有していただけますか？")]
    promise = facts[("promise", "明日お送りしますね。")]
    invitation_q = facts[("question", "来週お茶でもいかがですか？")]
    invitation = facts[("promise", "来週お茶でもいかがですか？")]
    assert (request["whose"], promise["whose"], invitation["whose"]) == ("them", "me", "them")
    assert (promise["label"], invitation["label"]) == ("commitment", "proposal")
    # 明日, read on the day the user saw (Tokyo time, from the capture): 25 November
    assert promise["due"] == "2026-11-25"
    for fact in facts.values():
        source = me_db.query_one("SELECT id, text, occurred_at FROM interactions WHERE id = ?",
                                 (fact["interaction_id"],))
        assert fact["source"] == f"interaction:{source['id']}"
        assert source["text"][fact["span_start"]:fact["span_end"]] == fact["span_text"]
        assert fact["stated_at"] == source["occurred_at"]
    assert promise["interaction_id"] == interaction_id(me_db, "明日お送りしますね")
    # the API names each source with its time, platform and a snippet
    shown = {f.id: f for f in queries.list_facts(me_db, contact)}
    source = shown[promise["id"]].source
    assert (source.type, source.id, source.platform) == (
        "interaction", promise["interaction_id"], "x")
    assert source.occurred_at == "2026-11-24T06:20:00.000Z"
    assert source.snippet == "もちろんです。明日お送りしますね。"
    assert invitation_q["status"] == "answered"   # ぜひ！火曜の午後3時は… came after it


def test_saving_the_same_thread_again_adds_no_fact(me_client, me_db, frozen_clock):
    first = post_page(me_client, "x/dm-ja")
    contact = first["contact"]["id"]
    before = facts_of(me_db, contact)
    assert len(before) == 4
    html, _ = fixture_page("x/dm-ja")
    assert post_page(me_client, "x/dm-ja")["duplicate"] is True
    again = post_page(me_client, "x/dm-ja", html.replace("</body>", "<!-- again --></body>"))
    assert again["new_interactions"] == 0
    assert facts_of(me_db, contact) == before


def test_a_longer_version_adds_only_the_new_messages_facts(me_client, me_db, frozen_clock):
    html, _ = fixture_page("x/dm-ja")
    short = post_page(me_client, "x/dm-ja", x_dm_until(html, "資料をお送りしました"))
    assert short["new_interactions"] == 3
    contact = short["contact"]["id"]
    before = facts_of(me_db, contact)
    assert [(f["kind"], f["whose"]) for f in before] == [("question", "them"), ("promise", "me")]
    promise = before[1]
    assert promise["status"] == "open"
    assert short["contact"]["open_promises"] == [
        {"id": promise["id"], "text": "明日お送りしますね。", "whose": "me", "due": "2026-11-25"}]

    longer = post_page(me_client, "x/dm-ja")
    assert longer["new_interactions"] == 3
    after = facts_of(me_db, contact)
    old_ids = {f["id"] for f in before}
    new = [f for f in after if f["id"] not in old_ids]
    new_messages = {r[0] for r in me_db.query_all(
        "SELECT id FROM interactions WHERE capture_id = ?", (longer["capture_id"],))}
    assert len(new_messages) == 3
    assert {f["interaction_id"] for f in new} <= new_messages
    assert sorted((f["kind"], f["label"]) for f in new) == [("promise", "proposal"),
                                                           ("question", "question")]
    # the promise was kept by the later message of the user that reports it sent
    kept = next(f for f in after if f["id"] == promise["id"])
    sent = interaction_id(me_db, "資料をお送りしました")
    assert (kept["status"], kept["status_source"]) == ("kept", f"interaction:{sent}")
    assert kept["status_at"] == "2026-11-25T12:15:00.000Z"
    # ... and the ledger records information given, once
    entries = [dict(r) for r in me_db.query_all("SELECT * FROM ledger")]
    assert [(e["flow"], e["kind"], e["fact_id"]) for e in entries] == [
        ("given", "information", promise["id"])]
    # the popup now shows their invitation, no longer the kept promise
    assert [p["text"] for p in longer["contact"]["open_promises"]] == ["来週お茶でもいかがですか？"]
    post_page(me_client, "x/dm-ja", html.replace("</body>", "<!-- again --></body>"))
    assert me_db.query_one("SELECT COUNT(*) FROM ledger")[0] == 1


def test_their_questions_are_answered_by_my_reply(me_client, me_db, frozen_clock):
    result = post_page(me_client, "linkedin/thread-en")
    contact = result["contact"]["id"]
    questions = [f for f in facts_of(me_db, contact) if f["kind"] == "question"]
    assert [q["span_text"] for q in questions] == ["Could we talk about settlement retries?",
                                                   "Maybe next week?"]
    reply = interaction_id(me_db, "Tuesday afternoon works")
    for question in questions:
        assert question["whose"] == "them"
        assert (question["status"], question["status_source"]) == (
            "answered", f"interaction:{reply}")


def test_my_question_is_answered_and_their_proposal_kept_by_a_meeting(me_client, me_db,
                                                                      frozen_clock):
    result = post_page(me_client, "linkedin/thread-ja")
    contact = result["contact"]["id"]
    facts = _by_text(facts_of(me_db, contact))
    mine = facts[("question", "資料を共有いただけますか？")]
    assert mine["whose"] == "me"
    assert mine["status_source"] == f"interaction:{interaction_id(me_db, 'ご連絡ありがとうございます')}"
    proposal = facts[("promise", "来月また情報交換しましょう。")]
    assert (proposal["whose"], proposal["label"], proposal["status"]) == (
        "them", "proposal", "open")
    # a call that happened before the proposal does not keep it
    log(me_client, contact, None, kind="call", direction="both", at="2026-11-20T10:00:00Z")
    assert facts_of(me_db, contact)[-1]["status"] == "open"
    meeting = log(me_client, contact, "Coffee near Shinagawa station", kind="meeting",
                  direction="both", at="2026-12-10T10:00:00Z")
    proposal = _by_text(facts_of(me_db, contact))[("promise", "来月また情報交換しましょう。")]
    assert (proposal["status"], proposal["status_source"]) == (
        "kept", f"interaction:{meeting['id']}")
    assert me_db.query_one("SELECT COUNT(*) FROM ledger")[0] == 0   # a meeting is not a gift


def test_a_done_report_from_the_other_side_keeps_nothing(me_client, me_db, frozen_clock):
    result = post_page(me_client, "facebook/thread-messenger-ja")
    contact = result["contact"]["id"]
    promise = next(f for f in facts_of(me_db, contact) if f["kind"] == "promise")
    assert (promise["whose"], promise["span_text"]) == ("me", "資料をお送りします。")
    assert promise["status"] == "open"    # their 拝見しました! reports their reading, not my sending
    their_question = next(f for f in facts_of(me_db, contact) if f["kind"] == "question")
    assert their_question["status"] == "answered"   # 火曜15時で大丈夫です。


def test_an_english_promise_stays_open_until_it_is_kept(me_client, me_db, frozen_clock):
    result = post_page(me_client, "facebook/thread-www-en")
    contact = result["contact"]["id"]
    promise = next(f for f in facts_of(me_db, contact) if f["kind"] == "promise")
    assert (promise["whose"], promise["span_text"], promise["status"]) == (
        "me", "I'll bring the slides.", "open")   # "Got it 👍" reports nothing
    email = log(me_client, contact, "As promised, here are the slides from Friday's workshop.",
                kind="email", at="2026-11-28T10:00:00Z")
    promise = dict(me_db.query_one("SELECT * FROM facts WHERE id = ?", (promise["id"],)))
    assert (promise["status"], promise["status_source"]) == ("kept", f"interaction:{email['id']}")


def test_goen_reparse_reads_the_facts_again_without_duplicates(me_client, me_db, me_app,
                                                               frozen_clock):
    settings = me_app.extensions["goen.settings"]
    result = post_page(me_client, "x/dm-ja")
    contact = result["contact"]["id"]
    me_client.post(f"/api/v1/contacts/{contact}/notes",
                   json={"body": "来月から大阪に引っ越すそうです。"})
    before = facts_of(me_db, contact)
    report = reparse(me_db, settings)
    assert report.new_facts == 0 and report.contacts_reanalyzed == 1
    assert facts_of(me_db, contact) == before
    # a database from before the facts store: reparse fills it in, statuses included
    with me_db.transaction() as conn:
        conn.execute("DELETE FROM facts")
        conn.execute("DELETE FROM ledger")
    report = reparse(me_db, settings)
    assert report.new_facts == len(before)
    again = facts_of(me_db, contact)
    strip = ("id", "created_at")
    assert [{k: v for k, v in f.items() if k not in strip} for f in again] == \
        [{k: v for k, v in f.items() if k not in strip} for f in before]
    assert me_db.query_one("SELECT COUNT(*) FROM ledger")[0] == 1
    assert reparse(me_db, settings).new_facts == 0


def test_group_thread_facts_go_to_the_person_who_wrote(me_client, me_db, frozen_clock):
    result = post_page(me_client, "linkedin/thread-trimmed-group")
    question = me_db.query_one("SELECT * FROM facts WHERE kind = 'question'")
    source = me_db.query_one("SELECT contact_id FROM interactions WHERE id = ?",
                             (question["interaction_id"],))
    assert question["contact_id"] == source["contact_id"] == result["contact"]["id"]
    assert json.loads(question["detail"]) == {}
