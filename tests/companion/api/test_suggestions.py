"""The suggestions API through the app's real request path (guard, token, JSON): today's list,
a person's list, done / snooze / dismiss, and POST /drafts/check — with data captured through
the capture API and read by the facts store."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from companion.app import create_app
from tests.companion.services.followup.test_suggest_support import (
    add_contact, add_message, message_with_facts, register_suggestions)
from tests.helpers import make_client

SITES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"
TODAY = "2026-11-26"


@pytest.fixture
def api(settings):
    """The app as the user Tomás Ruiz on X (the x/dm-en fixture), with the suggestions routes."""
    app = create_app(dataclasses.replace(settings, my_profiles=("https://x.com/tomas_ruiz_dev",)))
    register_suggestions(app)
    client = make_client(app, app.extensions["goen.tokens"].get_or_create())
    yield client, app.extensions["goen.db"]
    app.extensions["goen.db"].close()


def capture(client, name: str) -> dict:
    spec = json.loads((SITES / f"{name}.json").read_text(encoding="utf-8"))
    response = client.post("/api/v1/captures", json={
        "url": spec["url"], "html": (SITES / f"{name}.html").read_text(encoding="utf-8"),
        "captured_at": spec["captured_at"]})
    assert response.status_code == 201, response.json
    return response.json


def test_a_captured_question_is_on_todays_list_with_a_draft_that_quotes_it(api):
    client, db = api
    maya = capture(client, "x/dm-en")["contact"]["id"]
    answer = client.get(f"/api/v1/suggestions?today={TODAY}")
    assert answer.status_code == 200
    assert answer.json["today"] == TODAY
    [s] = answer.json["suggestions"]
    assert s["contact"] == {"id": maya, "name": "Maya Lindqvist"}
    assert s["reason"] == "question_waiting" and s["action"] == "answer"
    assert set(s["why"]) == {"ja", "en"} and "Coffee next week?" in s["why"]["en"]
    [fact] = s["facts"]
    assert fact["span"] == "Coffee next week?" and fact["source"]["type"] == "interaction"
    assert db.query_one("SELECT text FROM interactions WHERE id = ?",
                        (fact["source"]["id"],))[0].startswith("Coffee next week?")
    [draft] = s["drafts"]
    assert draft["lang"] == "en" and "Coffee next week?" in draft["text"]
    assert draft["fact_ids"] == [fact["id"]] and s["missing"] is None
    # the person's own list, and 404 for nobody
    own = client.get(f"/api/v1/contacts/{maya}/suggestions?today={TODAY}&limit=1").json
    assert [x["key"] for x in own["suggestions"]] == [s["key"]]
    assert client.get(f"/api/v1/contacts/9999/suggestions").status_code == 404


def test_done_snooze_dismiss_are_remembered(api):
    client, db = api
    contact = add_contact(db, "Emily Carter", tier="close")
    for text in ("Could you share the slides from the panel?",
                 "Do you have the notes from the budget review?"):
        message_with_facts(db, contact, "in", text, "2026-11-24T01:00:00.000Z")
    keys = [s["key"] for s in client.get(
        f"/api/v1/contacts/{contact}/suggestions?today={TODAY}").json["suggestions"]]
    assert len(keys) == 2
    # snooze without a body: a week
    snoozed = client.post(f"/api/v1/suggestions/{keys[0]}/snooze?today={TODAY}",
                          data=b"", content_type="application/json",
                          environ_overrides={"CONTENT_LENGTH": "0"})
    assert snoozed.status_code == 200
    assert snoozed.json["action"] == "snoozed" and snoozed.json["until"] == "2026-12-03"
    assert snoozed.json["reason"] == "question_waiting"
    listed = client.get(f"/api/v1/suggestions?today={TODAY}").json["suggestions"]
    assert [s["key"] for s in listed] == [keys[1]]
    back = client.get("/api/v1/suggestions?today=2026-12-03").json["suggestions"]
    assert keys[0] in [s["key"] for s in back]
    # dismiss and done
    assert client.post(f"/api/v1/suggestions/{keys[1]}/dismiss", json={}).json["action"] == \
        "dismissed"
    assert client.get(f"/api/v1/suggestions?today={TODAY}").json["suggestions"] == []
    assert client.post(f"/api/v1/suggestions/{keys[0]}/done", json={}).json["action"] == "done"
    assert client.get("/api/v1/suggestions?today=2026-12-03").json["suggestions"] == []
    rows = db.query_all("SELECT suggestion_key, action FROM suggestion_actions ORDER BY 1")
    assert sorted(tuple(r) for r in rows) == sorted([(keys[0], "done"),
                                                     (keys[1], "dismissed")])


def test_bad_requests_answer_in_the_error_shape(api):
    client, db = api
    contact = add_contact(db, "Emily Carter", tier="close")
    message_with_facts(db, contact, "in", "Could you share the slides?",
                       "2026-11-24T01:00:00.000Z")
    key = client.get(f"/api/v1/suggestions?today={TODAY}").json["suggestions"][0]["key"]
    cases = [
        ("get", "/api/v1/suggestions?limit=0", 400, "limit"),
        ("get", "/api/v1/suggestions?limit=x", 400, "limit"),
        ("get", "/api/v1/suggestions?today=26/11/2026", 400, "today"),
        ("post", f"/api/v1/suggestions/{key}/snooze?today={TODAY}", 400, "until"),
        ("post", f"/api/v1/suggestions/{key}/archive", 404, None),
        ("post", "/api/v1/suggestions/promise:999/done", 404, None),
        ("post", "/api/v1/suggestions/not-a-key/done", 404, None),
        ("post", "/api/v1/drafts/check", 400, "contact_id"),
    ]
    for method, url, status, field in cases:
        if method == "get":
            response = client.get(url)
        else:
            body = {"until": "2026-11-01"} if "snooze" in url else {"text": "hi"}
            response = client.post(url, json=body)
        assert response.status_code == status, (url, response.json)
        assert response.json["error"]["status"] == status
        if field:
            assert response.json["error"]["details"] == {"field": field}
    no_token = make_client(client.application)
    assert no_token.get("/api/v1/suggestions").status_code == 401


def test_drafts_check_flags_each_kind_and_passes_a_specific_message(api):
    client, db = api
    emily = add_contact(db, "Emily Carter", given="Emily", organisation="Northwind Labs",
                        bio="Payments engineer, into trail running.")
    add_message(db, emily, "in", "Could we talk about settlement retries next week?",
                "2026-11-25T07:05:00.000Z")
    for n in range(7):
        other = add_contact(db, f"Person{n} Example", given=f"Person{n}")
        add_message(db, other, "out", f"Hi Person{n}, just checking in! Hope you're well.",
                    "2026-11-01T00:00:00.000Z")
    answer = client.post("/api/v1/drafts/check",
                         json={"contact_id": emily, "text": "Hi Emily, just checking in! "
                                                            "Hope you're well."})
    assert answer.status_code == 200 and answer.json["ok"] is False
    kinds = {f["kind"]: f for f in answer.json["flags"]}
    assert set(kinds) == {"generic_phrase", "nothing_specific", "near_duplicate"}
    assert kinds["near_duplicate"]["others"] == 7
    spans = {f["span"]["text"].lower() for f in answer.json["flags"]
             if f["kind"] == "generic_phrase"}
    assert spans == {"just checking in", "hope you're well"}
    for flag in answer.json["flags"]:
        assert set(flag["message"]) == {"ja", "en"}
    good = client.post("/api/v1/drafts/check", json={
        "contact_id": emily, "text": "Emily, about settlement retries: we cap at five tries "
                                     "with jitter. Want to compare notes on Tuesday?"})
    assert good.json == {"ok": True, "flags": []}
    assert client.post("/api/v1/drafts/check",
                       json={"contact_id": 9999, "text": "x"}).status_code == 404


def test_the_users_language_decides_when_nothing_else_does(api):
    client, db = api
    contact = add_contact(db, "Alex Kim", tier="close", last_two_way_at="2026-09-01T00:00:00Z")
    db.execute("UPDATE contacts SET display_name = 'A.K.' WHERE id = ?", (contact,))
    from tests.companion.services.followup.test_suggest_support import insert_fact_by_sql
    insert_fact_by_sql(db, contact, "interest", "them", "Rust", lang=None,
                       stated_at="2026-08-01T00:00:00Z", detail={"terms": ["Rust"]})
    db.execute("UPDATE facts SET lang = NULL")
    for header, lang in (("ja,en;q=0.5", "ja"), ("en-US,en;q=0.9", "en")):
        listed = client.get(f"/api/v1/suggestions?today={TODAY}",
                            headers={"Accept-Language": header}).json["suggestions"]
        assert listed[0]["drafts"][0]["lang"] == lang, listed
