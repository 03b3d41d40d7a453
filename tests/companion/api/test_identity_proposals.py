"""/api/v1/identity/proposals: the token, listing with both people, refresh, accept (with the
contact to keep), reject, not-same, and the one error shape."""

from __future__ import annotations

import pytest

from companion.adapters.base import Profile
from companion.db import utc_now
from companion.services.details import Detail, add_details
from companion.services.identity import _create_contact, _record_identity
from companion.urls import canonical_profile_url

BASE = "/api/v1/identity/proposals"


def add(db, name: str, org: str | None = None, emails=(), profiles=()) -> int:
    with db.transaction() as conn:
        cid = _create_contact(conn, Profile(display_name=name, organisation=org), utc_now())
        add_details(conn, cid, [Detail("email", e) for e in emails], "vcard", utc_now())
        for url in profiles:
            _record_identity(conn, cid, canonical_profile_url(url), name, utc_now())
    return cid


def exists(db, cid: int) -> bool:
    return db.query_one("SELECT 1 FROM contacts WHERE id = ?", (cid,)) is not None


@pytest.fixture
def proposed(db, client):
    """山田太郎 and やまだ たろう at クモ, refreshed: one open proposal."""
    a = add(db, "山田太郎", "株式会社クモ", profiles=["https://x.com/taro_kumo"])
    b = add(db, "やまだ たろう", "クモ(株)", emails=["taro@kumo.example"])
    response = client.post(f"{BASE}/refresh", json={})
    assert response.status_code == 200
    assert response.json["proposed"] == 1 and response.json["auto_merged"] == 0
    return a, b, client.get(BASE).json["proposals"][0]["id"]


def test_the_token_is_required(anon_client):
    assert anon_client.get(BASE).status_code == 401
    for path in ("/refresh", "/1/accept", "/1/reject", "/1/not-same"):
        response = anon_client.post(BASE + path)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"


def test_open_proposals_show_both_people_and_the_reasons(proposed, client):
    a, b, pid = proposed
    answer = client.get(BASE + "?status=open").json
    assert answer["next_cursor"] is None and len(answer["proposals"]) == 1
    p = answer["proposals"][0]
    assert (p["id"], p["status"], p["verdict"]) == (pid, "open", "likely")
    assert (p["a"]["id"], p["a"]["display_name"], p["a"]["organisation"]) == (
        a, "山田太郎", "株式会社クモ")
    assert p["a"]["identities"] == [{"platform": "x", "url": "https://x.com/taro_kumo",
                                     "handle": "taro_kumo"}]
    assert (p["b"]["id"], p["b"]["emails"]) == (b, ["taro@kumo.example"])
    codes = {r["code"] for r in p["reasons"]}
    assert {"name_reading_match", "same_organisation"} <= codes
    assert all(r["en"] and r["ja"] for r in p["reasons"])


def test_reject_hides_it(proposed, client):
    _, _, pid = proposed
    response = client.post(f"{BASE}/{pid}/reject", json={})
    assert response.status_code == 200
    assert response.json["proposal"]["status"] == "rejected"
    assert response.json["proposal"]["decided_at"]
    assert client.get(BASE).json["proposals"] == []
    assert [p["id"] for p in client.get(BASE + "?status=rejected").json["proposals"]] == [pid]
    assert client.post(f"{BASE}/refresh", json={}).json["proposed"] == 0


def test_not_same_is_never_proposed_again(proposed, client):
    _, _, pid = proposed
    response = client.post(f"{BASE}/{pid}/not-same", json={})
    assert response.status_code == 200 and response.json["proposal"]["status"] == "not_same"
    for _ in range(2):
        assert client.post(f"{BASE}/refresh", json={}).json["proposed"] == 0
        assert client.get(BASE).json["proposals"] == []


def test_accept_merges_keeping_the_older_contact(proposed, client, db):
    a, b, pid = proposed
    response = client.post(f"{BASE}/{pid}/accept", json={})
    assert response.status_code == 200
    answer = response.json
    assert answer["proposal"]["status"] == "accepted"
    assert (answer["kept_id"], answer["merged_id"]) == (a, b) and answer["merge_id"]
    assert exists(db, a) and not exists(db, b)
    # the proposal went with the merged contact
    assert client.post(f"{BASE}/{pid}/accept", json={}).status_code == 404


def test_accept_keeps_the_contact_the_body_names(proposed, client, db):
    a, b, pid = proposed
    response = client.post(f"{BASE}/{pid}/accept", json={"keep": b})
    assert response.status_code == 200
    assert (response.json["kept_id"], response.json["merged_id"]) == (b, a)
    assert exists(db, b) and not exists(db, a)


@pytest.mark.parametrize("body, field", [({"keep": 99999}, "keep"), ({"keep": "1"}, "keep"),
                                         ({"keep": True}, "keep"), ({"other": 1}, "other")])
def test_a_bad_accept_body_is_400_and_merges_nothing(proposed, client, db, body, field):
    a, b, pid = proposed
    response = client.post(f"{BASE}/{pid}/accept", json=body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
    assert response.json["error"]["details"]["field"] == field
    assert exists(db, a) and exists(db, b)
    assert client.get(BASE).json["proposals"][0]["status"] == "open"


def test_unknown_proposal_and_bad_query(client):
    for action in ("accept", "reject", "not-same"):
        response = client.post(f"{BASE}/4242/{action}", json={})
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    for query, field in (("status=maybe", "status"), ("limit=x", "limit"),
                         ("limit=1000", "limit"), ("cursor=zz", "cursor")):
        response = client.get(f"{BASE}?{query}")
        assert response.status_code == 400
        assert response.json["error"]["details"]["field"] == field


def test_refresh_merges_certain_pairs(client, db):
    older = add(db, "Nora Vance", emails=["nora@vance.example"])
    newer = add(db, "ノラ・ヴァンス", emails=["NORA@vance.example"])
    answer = client.post(f"{BASE}/refresh", json={}).json
    assert answer["auto_merged"] == 1 and answer["seconds"] >= 0
    assert exists(db, older) and not exists(db, newer)
