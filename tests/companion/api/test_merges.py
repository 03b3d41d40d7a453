"""POST /api/v1/contacts/<id>/merge, GET /api/v1/merges, POST /api/v1/merges/<id>/undo."""

from __future__ import annotations

import pytest


def _contact(client, url: str, name: str) -> int:
    answer = client.post("/api/v1/contacts", json={"url": url, "display_name": name})
    assert answer.status_code == 201, answer.json
    return answer.json["contact"]["id"]


@pytest.fixture
def people(client):
    keep = _contact(client, "https://x.com/hanako_s", "佐藤 花子")
    other = _contact(client, "https://github.com/hsato-dev", "Hanako Sato")
    third = _contact(client, "https://x.com/ichiro_s", "鈴木 一郎")
    assert client.post(f"/api/v1/contacts/{other}/notes",
                       json={"body": "GitHubで知り合った"}).status_code == 201
    return keep, other, third


def test_merge_list_and_undo(client, people):
    keep, other, _ = people
    merged = client.post(f"/api/v1/contacts/{keep}/merge", json={"other": other})
    assert merged.status_code == 201, merged.json
    body = merged.json
    assert (body["kept_id"], body["merged_id"], body["reason"]) == (keep, other, "user")
    assert body["merged_name"] == "Hanako Sato" and body["kept_name"] == "佐藤 花子"
    assert body["moved"]["identities"] == 1 and body["moved"]["notes"] == 1
    assert body["can_undo"] is True and body["undone_at"] is None
    assert client.get(f"/api/v1/contacts/{other}").status_code == 404
    detail = client.get(f"/api/v1/contacts/{keep}").json
    assert {i["platform"] for i in detail["identities"]} == {"x", "github"}
    found = client.get("/api/v1/contacts", query_string={"q": "hsato-dev"}).json["contacts"]
    assert [c["id"] for c in found] == [keep]

    listed = client.get("/api/v1/merges").json
    assert [m["id"] for m in listed["merges"]] == [body["id"]]
    assert listed["next_before"] is None
    assert client.get(f"/api/v1/merges/{body['id']}").json["id"] == body["id"]

    undone = client.post(f"/api/v1/merges/{body['id']}/undo", json={})
    assert undone.status_code == 200, undone.json
    assert undone.json["undo"]["restored_id"] == other
    assert undone.json["merge"]["undone_at"] and undone.json["merge"]["can_undo"] is False
    back = client.get(f"/api/v1/contacts/{other}")
    assert back.status_code == 200 and back.json["display_name"] == "Hanako Sato"
    assert [i["platform"] for i in back.json["identities"]] == ["github"]

    again = client.post(f"/api/v1/merges/{body['id']}/undo", json={})
    assert again.status_code == 409
    error = again.json["error"]
    assert error["code"] == "already_undone" and error["details"]["message_ja"]


def test_a_later_merge_must_be_undone_first(client, people):
    keep, other, third = people
    first = client.post(f"/api/v1/contacts/{keep}/merge", json={"other": other}).json
    second = client.post(f"/api/v1/contacts/{third}/merge", json={"other": keep}).json
    refused = client.post(f"/api/v1/merges/{first['id']}/undo", json={})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "later_merge"
    assert refused.json["error"]["details"]["merge_id"] == second["id"]
    page = client.get("/api/v1/merges", query_string={"limit": 1}).json
    assert [m["id"] for m in page["merges"]] == [second["id"]]
    assert page["next_before"] == second["id"]
    rest = client.get("/api/v1/merges", query_string={"limit": 1,
                                                      "before": page["next_before"]}).json
    assert [m["id"] for m in rest["merges"]] == [first["id"]]
    assert rest["merges"][0]["blocked_by"] == second["id"]
    assert client.post(f"/api/v1/merges/{second['id']}/undo", json={}).status_code == 200
    assert client.post(f"/api/v1/merges/{first['id']}/undo", json={}).status_code == 200
    assert len(client.get("/api/v1/contacts").json["contacts"]) == 3


@pytest.mark.parametrize("body, status, field", [
    ({}, 400, "other"),
    ({"other": "2"}, 400, "other"),
    ({"other": True}, 400, "other"),
    ({"other": 2, "keep": 1}, 400, "keep"),
    ([2], 400, None),
])
def test_bad_bodies(client, people, body, status, field):
    keep, *_ = people
    answer = client.post(f"/api/v1/contacts/{keep}/merge", json=body)
    assert answer.status_code == status, answer.json
    assert answer.json["error"].get("details", {}).get("field") == field
    assert client.get("/api/v1/merges").json["merges"] == []


def test_missing_and_self(client, people):
    keep, other, _ = people
    assert client.post(f"/api/v1/contacts/{keep}/merge",
                       json={"other": 999}).status_code == 404
    missing = client.post("/api/v1/contacts/999/merge", json={"other": other})
    assert missing.status_code == 404 and missing.json["error"]["details"]["message_ja"]
    same = client.post(f"/api/v1/contacts/{keep}/merge", json={"other": keep})
    assert same.status_code == 400 and same.json["error"]["code"] == "same_contact"
    assert client.post("/api/v1/merges/999/undo", json={}).status_code == 404
    assert client.get("/api/v1/merges/999").status_code == 404
    assert client.get("/api/v1/merges", query_string={"limit": 0}).status_code == 400
    assert client.get("/api/v1/merges", query_string={"before": "x"}).status_code == 400
    merged = client.post(f"/api/v1/contacts/{keep}/merge", json={"other": other}).json
    # undo takes {} only
    assert client.post(f"/api/v1/merges/{merged['id']}/undo",
                       json={"force": True}).status_code == 400


def test_every_route_needs_the_token(anon_client, client, people):
    keep, other, _ = people
    for method, path in (("post", f"/api/v1/contacts/{keep}/merge"), ("get", "/api/v1/merges"),
                         ("get", "/api/v1/merges/1"), ("post", "/api/v1/merges/1/undo")):
        answer = getattr(anon_client, method)(path, json={"other": other}
                                              if path.endswith("merge") else None)
        assert answer.status_code == 401, path
    assert client.get(f"/api/v1/contacts/{other}").status_code == 200   # nothing merged
