"""Contacts API: lookup, list with search and cursor paging, get, patch, delete, notes,
hand-logged interactions; the one error shape on every error path."""

from __future__ import annotations

import pytest

from tests.helpers import jsonld_person_page


def capture(client, name, url, **kw):
    response = client.post("/api/v1/captures",
                           json={"url": url, "html": jsonld_person_page(name, url=url, **kw)})
    assert response.status_code == 201, response.json
    return response.json["contact"]


def test_lookup_unknown_and_known(client):
    unknown = client.get("/api/v1/lookup", query_string={"url": "https://x.com/nobody"}).json
    assert unknown["known"] is False and unknown["contact"] is None
    contact = capture(client, "Jane Doe", "https://x.com/janedoe")
    for variant in ("https://twitter.com/JaneDoe", "http://mobile.twitter.com/janedoe/",
                    "https://x.com/janedoe?s=20", "https://x.com/janedoe/status/123"):
        answer = client.get("/api/v1/lookup", query_string={"url": variant}).json
        assert answer["known"] is True, variant
        assert answer["contact"]["id"] == contact["id"]
        assert answer["canonical_url"] == "https://x.com/janedoe"


def test_lookup_summary_has_last_interaction_notes_and_tags(client):
    contact = capture(client, "Jane Doe", "https://x.com/janedoe")
    cid = contact["id"]
    assert client.post(f"/api/v1/contacts/{cid}/notes", json={"body": "Met at PyCon JP"}
                       ).status_code == 201
    client.post(f"/api/v1/contacts/{cid}/interactions",
                json={"kind": "meeting", "occurred_at": "2026-10-01T10:00:00Z",
                      "text": "Coffee in Shibuya, talked about her new job " + "x" * 300})
    client.post(f"/api/v1/contacts/{cid}/interactions",
                json={"kind": "call", "occurred_at": "2026-09-01T10:00:00Z", "text": "older"})
    client.patch(f"/api/v1/contacts/{cid}", json={"tags": ["PyCon", "pycon", "友人"]})
    summary = client.get("/api/v1/lookup", query_string={"url": "https://x.com/janedoe"}
                         ).json["contact"]
    last = summary["last_interaction"]
    assert last["occurred_at"] == "2026-10-01T10:00:00.000Z"
    assert last["platform"] == "offline" and last["direction"] == "both"
    assert last["kind"] == "meeting"
    assert last["snippet"].startswith("Coffee in Shibuya") and len(last["snippet"]) <= 140
    assert summary["note_count"] == 1
    assert summary["tags"] == ["PyCon", "友人"]


def test_lookup_without_url_or_with_a_bad_one(client):
    assert client.get("/api/v1/lookup").status_code == 400
    response = client.get("/api/v1/lookup", query_string={"url": "javascript:alert(1)"})
    assert response.status_code == 400
    assert response.json["error"]["details"]["field"] == "url"


def test_list_search_and_cursor_paging(client):
    names = [f"Person {i:02d}" for i in range(25)] + ["山田 太郎"]
    for i, name in enumerate(names):
        capture(client, name, f"https://example.com/p{i}")
    seen, cursor = [], None
    while True:
        params = {"limit": 10, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/contacts", query_string=params).json
        seen += [c["display_name"] for c in page["contacts"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(names, key=str.casefold)  # every contact once, in order
    found = client.get("/api/v1/contacts", query_string={"q": "山田"}).json["contacts"]
    assert [c["display_name"] for c in found] == ["山田 太郎"]
    found = client.get("/api/v1/contacts", query_string={"q": "person 1"}).json["contacts"]
    assert len(found) == 10
    assert client.get("/api/v1/contacts", query_string={"q": "100%"}).json["contacts"] == []


def test_reading_orders_the_list(client):
    a = capture(client, "渡辺 健", "https://example.com/w")
    b = capture(client, "阿部 優", "https://example.com/a")
    client.patch(f"/api/v1/contacts/{a['id']}", json={"reading": "わたなべ けん"})
    client.patch(f"/api/v1/contacts/{b['id']}", json={"reading": "あべ ゆう"})
    names = [c["display_name"] for c in client.get("/api/v1/contacts").json["contacts"]]
    assert names == ["阿部 優", "渡辺 健"]


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "1000"}, {"limit": "ten"},
                                    {"cursor": "not-a-cursor"}, {"q": "x" * 201}])
def test_bad_list_parameters_get_400(client, params):
    response = client.get("/api/v1/contacts", query_string=params)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"


def test_patch_validates(client):
    cid = capture(client, "A", "https://example.com/a")["id"]
    for body, field in [({"display_name": ""}, "display_name"), ({"bio": 5}, "bio"),
                        ({"nickname": "x"}, "nickname"), ({"tags": "x"}, "tags"),
                        ({"headline": "x" * 501}, "headline")]:
        response = client.patch(f"/api/v1/contacts/{cid}", json=body)
        assert response.status_code == 400, body
        assert response.json["error"]["details"]["field"] == field
    assert client.patch(f"/api/v1/contacts/{cid}", json=[]).status_code == 400
    assert client.get(f"/api/v1/contacts/{cid}").json["display_name"] == "A"


def test_delete_removes_everything_derived_from_the_person(client, db):
    keep = capture(client, "Keep", "https://example.com/keep")["id"]
    gone = capture(client, "Gone", "https://example.com/gone")["id"]
    client.post(f"/api/v1/contacts/{gone}/notes", json={"body": "n"})
    client.post(f"/api/v1/contacts/{gone}/interactions", json={"kind": "call"})
    client.patch(f"/api/v1/contacts/{gone}", json={"tags": ["t"]})
    assert client.delete(f"/api/v1/contacts/{gone}").status_code == 204
    assert client.get(f"/api/v1/contacts/{gone}").status_code == 404
    for table in ("identities", "interactions", "notes", "contact_tags", "captures"):
        assert db.query_one(f"SELECT COUNT(*) FROM {table} WHERE contact_id = ?",
                            (gone,))[0] == 0, table
    assert db.query_one("SELECT COUNT(*) FROM captures WHERE contact_id = ?", (keep,))[0] == 1
    lookup = client.get("/api/v1/lookup", query_string={"url": "https://example.com/gone"}).json
    assert lookup["known"] is False


@pytest.mark.parametrize("body, field", [
    ({"kind": "dance"}, "kind"), ({"direction": "sideways"}, "direction"),
    ({"occurred_at": "soon"}, "occurred_at"), ({"text": 3}, "text"), ({"platform": ""}, "platform"),
])
def test_manual_interaction_validation(client, body, field):
    cid = capture(client, "A", "https://example.com/a")["id"]
    response = client.post(f"/api/v1/contacts/{cid}/interactions", json=body)
    assert response.status_code == 400
    assert response.json["error"]["details"]["field"] == field


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/api/v1/contacts/999", None), ("PATCH", "/api/v1/contacts/999", {"bio": "x"}),
    ("DELETE", "/api/v1/contacts/999", None), ("POST", "/api/v1/contacts/999/notes", {"body": "x"}),
    ("POST", "/api/v1/contacts/999/interactions", {"kind": "call"}),
    ("GET", "/api/v1/no-such-route", None),
])
def test_missing_things_get_404_in_the_error_shape(client, method, path, body):
    response = client.open(path, method=method, json=body)
    assert response.status_code == 404
    assert response.json == {"error": {"status": 404, "code": "not_found",
                                       "message": response.json["error"]["message"]}}


def test_wrong_method_gets_405_in_the_error_shape(client):
    response = client.put("/api/v1/lookup", json={})
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"


def test_empty_note_is_refused(client):
    cid = capture(client, "A", "https://example.com/a")["id"]
    assert client.post(f"/api/v1/contacts/{cid}/notes", json={"body": "  "}).status_code == 400


def test_adapters_endpoint_lists_patterns_and_kinds(client):
    listed = client.get("/api/v1/adapters").json["adapters"]
    generic = next(a for a in listed if a["id"] == "generic")
    assert generic["kinds"] == ["profile"] and generic["url_patterns"]
    assert listed[-1]["id"] == "generic"  # the fallback comes last


def test_an_unexpected_error_is_a_500_in_the_error_shape_without_details(client, monkeypatch,
                                                                           caplog):
    from companion.services import contacts

    def broken(db, contact_id):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(contacts, "get_detail", broken)
    response = client.get("/api/v1/contacts/1")
    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal_error"
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert "secret internal detail" in caplog.text  # but it is in the log for the user
