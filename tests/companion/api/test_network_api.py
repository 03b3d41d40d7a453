"""GET /api/v1/network, /network/paths and the events routes, through the app with the guard."""

from __future__ import annotations

import json

import pytest

from companion.services import network
from tests.companion.services.test_network import NOW, build_world


@pytest.fixture
def world(db, monkeypatch):
    # hold the clock: tie strengths read "now", and the world's messages are dated from NOW
    real = network.tie_strengths
    monkeypatch.setattr(network, "tie_strengths", lambda db, now=None: real(db, NOW))
    return build_world(db)


def _error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()["error"]
    assert body["status"] == status
    if field:
        assert body["details"] == {"field": field}
    return body


def test_network_answers_compact_parallel_arrays(client, world):
    r = client.get("/api/v1/network")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    raw = r.get_data(as_text=True)
    assert ", " not in raw and ": " not in raw          # no pretty-printing
    data = json.loads(raw)
    graph = network.graph_from_json(data)
    assert len(graph.nodes) == 7 and len(graph.edges) == 5
    assert "佐藤 一郎" in data["nodes"]["label"]            # ensure_ascii off


def test_network_filters(client, world):
    data = client.get("/api/v1/network?kinds=mutual,same_event").get_json()
    kinds = [data["kinds"][k] for k in data["edges"]["kind"]]
    assert sorted(kinds) == ["mutual", "same_event"]
    data = client.get("/api/v1/network?tier=inner&tier=close").get_json()
    assert data["nodes"]["id"] == [world.a]
    data = client.get("/api/v1/network?min_strength=0.6").get_json()
    assert data["nodes"]["id"] == [world.a]
    _error(client.get("/api/v1/network?tier=best"), 400, "tier")
    _error(client.get("/api/v1/network?kinds=likes"), 400, "kinds")
    _error(client.get("/api/v1/network?min_strength=lots"), 400, "min_strength")
    _error(client.get("/api/v1/network?min_strength=1.5"), 400, "min_strength")


def test_network_needs_the_token(anon_client, world):
    assert anon_client.get("/api/v1/network").status_code == 401
    assert anon_client.get(f"/api/v1/network/paths?to={world.e}").status_code == 401


def test_paths(client, world):
    data = client.get(f"/api/v1/network/paths?to={world.e}&k=3").get_json()
    assert data["to"] == world.e
    assert [p["people"] for p in data["paths"]] == [[world.a, world.c, world.e],
                                                    [world.d, world.e]]
    first = data["paths"][0]
    assert set(first) >= {"people", "names", "strength", "reasons", "hops", "draft"}
    assert first["draft"]["lang"] == "ja" and "山田 太郎" in first["draft"]["text"]
    one = client.get(f"/api/v1/network/paths?to={world.e}&k=1").get_json()
    assert len(one["paths"]) == 1
    assert client.get(f"/api/v1/network/paths?to={world.f}").get_json()["paths"] == []
    _error(client.get("/api/v1/network/paths"), 400, "to")
    _error(client.get("/api/v1/network/paths?to=abc"), 400, "to")
    _error(client.get(f"/api/v1/network/paths?to={world.e}&k=0"), 400, "k")
    _error(client.get(f"/api/v1/network/paths?to={world.e}&k=11"), 400, "k")
    _error(client.get("/api/v1/network/paths?to=99999"), 404)


# -- events ---------------------------------------------------------------------------------------

def test_event_crud_and_people(client, world):
    r = client.post("/api/v1/events", json={"name": "Data交流会", "kind": "party",
                                            "starts_on": "2026-11-20", "people": [world.a]})
    assert r.status_code == 201
    ev = r.get_json()
    assert ev["kind_label"] == {"ja": "交流会", "en": "networking party"}
    assert [p["contact_id"] for p in ev["people"]] == [world.a]
    url = f"/api/v1/events/{ev['id']}"
    assert client.get(url).get_json() == ev
    r = client.patch(url, json={"notes": "次回は1月"})
    assert r.status_code == 200 and r.get_json()["notes"] == "次回は1月"
    r = client.put(f"{url}/people/{world.d}", json={"note": "talked about pricing"})
    assert r.status_code == 201 and r.get_json()["people_count"] == 2
    r = client.put(f"{url}/people/{world.d}", json={})
    assert r.status_code == 200
    mine = client.get(f"/api/v1/contacts/{world.d}/events").get_json()["events"]
    assert [e["id"] for e in mine] == [ev["id"]]
    listed = client.get("/api/v1/events?limit=1").get_json()
    assert listed["events"][0]["id"] == ev["id"] and listed["next_before"]
    assert listed["events"][0]["people"] is None
    older = client.get(f"/api/v1/events?limit=1&before={listed['next_before']}").get_json()
    assert older["events"][0]["id"] == world.event
    assert client.delete(f"{url}/people/{world.d}").status_code == 204
    _error(client.delete(f"{url}/people/{world.d}"), 404)
    assert client.delete(url).status_code == 204
    _error(client.get(url), 404)


def test_event_errors_have_the_one_shape(client, world):
    _error(client.post("/api/v1/events", json={"kind": "party"}), 400, "name")
    _error(client.post("/api/v1/events", json={"name": "x", "starts_on": "soon"}), 400,
           "starts_on")
    _error(client.post("/api/v1/events", data="name=x",
                       content_type="application/x-www-form-urlencoded"), 415)
    _error(client.post("/api/v1/events", data="{not json", content_type="application/json"),
           400)
    _error(client.patch("/api/v1/events/999", json={"notes": "x"}), 404)
    _error(client.put(f"/api/v1/events/{world.event}/people/999", json={}), 404)
    _error(client.get("/api/v1/events?limit=zero"), 400, "limit")
    _error(client.get("/api/v1/contacts/999/events"), 404)
    assert client.get("/api/v1/events").get_json()["events"][0]["id"] == world.event
