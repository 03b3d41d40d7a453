"""POST /api/v1/contacts: a contact from a link to a profile, without fetching the page."""

from __future__ import annotations

import pytest

from tests.helpers import jsonld_person_page


def test_link_creates_a_contact_once_and_lookup_finds_it(client):
    first = client.post("/api/v1/contacts", json={"url": "https://twitter.com/TaroYamada?s=20",
                                                  "display_name": "山田 太郎\n@TaroYamada"})
    assert first.status_code == 201, first.json
    assert first.json["created"] is True
    contact = first.json["contact"]
    assert contact["display_name"] == "山田 太郎"
    assert contact["identities"] == [{"platform": "x", "url": "https://x.com/taroyamada",
                                      "handle": "taroyamada"}]
    detail = client.get(f"/api/v1/contacts/{contact['id']}").json
    assert (detail["family_name"], detail["given_name"]) == ("山田", "太郎")

    again = client.post("/api/v1/contacts", json={"url": "https://x.com/taroyamada/",
                                                  "display_name": "Someone else"})
    assert again.status_code == 200
    assert again.json["created"] is False
    assert again.json["contact"]["id"] == contact["id"]
    assert again.json["contact"]["display_name"] == "山田 太郎"  # a link never renames
    assert len(client.get("/api/v1/contacts").json["contacts"]) == 1
    found = client.get("/api/v1/lookup", query_string={"url": "https://x.com/TaroYamada"}).json
    assert found["known"] and found["contact"]["id"] == contact["id"]


def test_link_to_a_captured_person_finds_them(client):
    url = "https://x.com/janedoe"
    saved = client.post("/api/v1/captures", json={
        "url": url, "html": jsonld_person_page("Jane Doe", url=url)})
    assert saved.status_code == 201, saved.json
    captured = saved.json["contact"]
    answer = client.post("/api/v1/contacts", json={"url": "https://twitter.com/JaneDoe"})
    assert answer.status_code == 200 and answer.json["contact"]["id"] == captured["id"]


def test_link_without_text_uses_the_handle(client):
    answer = client.post("/api/v1/contacts", json={"url": "https://github.com/octocat"})
    assert answer.status_code == 201
    assert answer.json["contact"]["display_name"] == "octocat"


@pytest.mark.parametrize("body, field", [
    ({"url": "https://example.com/about"}, "url"),       # not a profile on a known site
    ({"url": "https://x.com/home"}, "url"),              # a site page, not a person
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": 5}, "url"),
    ({"url": "https://x.com/" + "a" * 3000}, "url"),
    ({"url": "https://x.com/jane", "display_name": ["x"]}, "display_name"),
])
def test_bad_links_get_400_and_write_nothing(client, body, field):
    answer = client.post("/api/v1/contacts", json=body)
    assert answer.status_code == 400, answer.json
    assert answer.json["error"]["details"]["field"] == field
    assert client.get("/api/v1/contacts").json["contacts"] == []


def test_body_must_be_an_object(client):
    answer = client.post("/api/v1/contacts", json=["https://x.com/jane"])
    assert answer.status_code == 400 and answer.json["error"]["code"] == "bad_request"
