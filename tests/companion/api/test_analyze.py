"""POST /api/v1/analyze: the facts of one message, and the one error shape for bad fields.

Needs companion/api/analyze.py registered in companion/app.py (two lines; see that module)."""

from __future__ import annotations

import pytest

URL = "/api/v1/analyze"


def test_a_japanese_promise_with_its_due_date(client):
    text = "本日はありがとうございました。資料は明日中にお送りします。"
    response = client.post(URL, json={"text": text, "direction": "out",
                                      "sent_at": "2026-11-30T23:30:00+09:00"})
    assert response.status_code == 200
    facts = response.get_json()["facts"]
    assert [(f["kind"], f["whose"], f["due"]) for f in facts] == [("promise", "me", "2026-12-01")]
    span = facts[0]["span"]
    assert text[span["start"]:span["end"]] == span["text"] == "資料は明日中にお送りします。"
    assert facts[0]["lang"] == "ja"
    assert facts[0]["period"]["span"]["text"] == "明日"


def test_their_question_and_invitation_in_english(client):
    text = "Great to see you! Would you like to grab lunch next Tuesday?"
    facts = client.post(URL, json={"text": text, "direction": "in",
                                   "sent_at": "2026-11-18T09:00:00-05:00"}).get_json()["facts"]
    kinds = {(f["kind"], f["whose"], f["label"]) for f in facts}
    assert kinds == {("question", "them", "question"), ("promise", "them", "proposal")}
    assert {f["due"] for f in facts} == {"2026-11-24"}
    assert all(f["lang"] == "en" for f in facts)


def test_an_event_and_lang_given(client):
    facts = client.post(URL, json={"text": "来月から新しい会社に転職することになりました。",
                                   "direction": "in", "sent_at": "2026-12-15T10:00:00+09:00",
                                   "lang": "ja"}).get_json()["facts"]
    assert [(f["kind"], f["label"], f["event_date"]) for f in facts] == [
        ("event", "new_job", "2027-01-01")]


def test_sent_at_defaults_to_now(client):
    response = client.post(URL, json={"text": "I'll send it tomorrow.", "direction": "out"})
    assert response.status_code == 200
    [fact] = response.get_json()["facts"]
    assert fact["kind"] == "promise" and fact["due"] is not None


def test_a_message_with_nothing_to_follow_up(client):
    response = client.post(URL, json={"text": "Thanks so much!", "direction": "in",
                                      "sent_at": "2026-11-18T09:00:00Z"})
    assert response.status_code == 200
    assert response.get_json() == {"facts": []}


@pytest.mark.parametrize("body, field", [
    ({"direction": "in"}, "text"),
    ({"text": "", "direction": "in"}, "text"),
    ({"text": 12, "direction": "in"}, "text"),
    ({"text": "あ" * 20_001, "direction": "in"}, "text"),
    ({"text": "hi"}, "direction"),
    ({"text": "hi", "direction": "both"}, "direction"),
    ({"text": "hi", "direction": "in", "sent_at": "yesterday"}, "sent_at"),
    ({"text": "hi", "direction": "in", "sent_at": "2026-11-18T09:00:00"}, "sent_at"),
    ({"text": "hi", "direction": "in", "sent_at": 1700000000}, "sent_at"),
    ({"text": "hi", "direction": "in", "sent_at": "0999-01-01T00:00:00Z"}, "sent_at"),
    ({"text": "hi", "direction": "in", "lang": "fr"}, "lang"),
])
def test_bad_fields_get_the_one_error_shape(client, body, field):
    response = client.post(URL, json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["code"] == "bad_request"
    assert error["details"] == {"field": field}
    assert error["message"]


def test_the_longest_text_allowed_is_read(client):
    text = "あ" * 19_990 + "明日送ります。"
    assert len(text) == 19_997
    response = client.post(URL, json={"text": text, "direction": "out",
                                      "sent_at": "2026-11-18T10:00:00+09:00"})
    assert response.status_code == 200
    assert [f["kind"] for f in response.get_json()["facts"]] == ["promise"]


def test_the_body_must_be_an_object(client):
    response = client.post(URL, json=["text"])
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_a_token_is_needed(anon_client):
    response = anon_client.post(URL, json={"text": "hi", "direction": "in"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_only_post(client):
    response = client.get(URL)
    assert response.status_code == 405
    assert response.headers["Allow"].startswith("POST") or "POST" in response.headers["Allow"]
