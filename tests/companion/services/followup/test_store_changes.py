"""Change facts: a new title, organisation or location between two captures of a profile, and
none where nothing changed: the first capture, a degraded page, a locked field, an old page."""

from __future__ import annotations

import json

from companion.services.reparse import reparse
from tests.companion.services.followup.store_helpers import (  # noqa: F401  (fixtures)
    me_app, me_client, me_db)

URL = "https://example.com/people/aoi"


def profile_page(title: str | None = None, org: str | None = None,
                 location: str | None = None, name: str = "青井 葵") -> str:
    """A profile page carrying a schema.org Person, as many sites publish."""
    person: dict = {"@context": "https://schema.org", "@type": "Person", "name": name,
                    "url": URL}
    if title:
        person["jobTitle"] = title
    if org:
        person["worksFor"] = {"@type": "Organization", "name": org}
    if location:
        person["address"] = {"@type": "PostalAddress", "addressLocality": location}
    data = json.dumps(person, ensure_ascii=False)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title>'
            f'<script type="application/ld+json">{data}</script></head>'
            f"<body><h1>{name}</h1></body></html>")


def capture(client, html: str, when: str) -> dict:
    response = client.post("/api/v1/captures", json={"url": URL, "html": html,
                                                     "captured_at": when})
    assert response.status_code in (200, 201), response.json
    return response.json


def changes(db) -> list[dict]:
    return [{**dict(r), "detail": json.loads(r["detail"])} for r in db.query_all(
        "SELECT * FROM facts WHERE kind = 'change' ORDER BY id")]


def test_a_new_title_and_organisation_are_changes(me_client, me_db):
    first = capture(me_client, profile_page("エンジニア", "株式会社サンプル", "Tokyo"),
                    "2026-01-10T09:00:00+09:00")
    assert changes(me_db) == []                      # the first capture: nothing to compare
    second = capture(me_client, profile_page("CTO", "Example Labs", "Osaka"),
                     "2026-11-20T09:00:00+09:00")
    found = changes(me_db)
    assert [(c["label"], c["detail"]) for c in found] == [
        ("title", {"field": "title", "old": "エンジニア", "new": "CTO"}),
        ("organisation", {"field": "organisation", "old": "株式会社サンプル",
                          "new": "Example Labs"}),
        ("location", {"field": "location", "old": "Tokyo", "new": "Osaka"}),
    ]
    for change in found:
        assert change["contact_id"] == first["contact"]["id"]
        assert change["whose"] == "them" and change["status"] == "open"
        assert change["source"] == f"capture:{second['capture_id']}"
        assert change["capture_id"] == second["capture_id"]
        assert change["stated_at"] == "2026-11-20T00:00:00.000Z"
        assert change["span_start"] == -1 and change["span_text"] is None
    # the API shows the capture as the source
    shown = me_client.get(f"/api/v1/contacts/{first['contact']['id']}/facts",
                          query_string={"kind": "change"}).json["facts"]
    assert shown[0]["source"]["type"] == "capture"
    assert shown[0]["source"]["id"] == second["capture_id"]
    assert shown[0]["source"]["snippet"] == "location: Tokyo → Osaka"
    assert shown[0]["span"] is None


def test_a_degraded_page_is_not_a_change(me_client, me_db):
    capture(me_client, profile_page("エンジニア", "株式会社サンプル"), "2026-01-10T09:00:00+09:00")
    capture(me_client, profile_page(), "2026-11-20T09:00:00+09:00")   # logged out: name only
    assert changes(me_db) == []
    row = me_db.query_one("SELECT title, organisation FROM contacts")
    assert tuple(row) == ("エンジニア", "株式会社サンプル")


def test_a_field_filled_for_the_first_time_is_not_a_change(me_client, me_db):
    capture(me_client, profile_page(), "2026-01-10T09:00:00+09:00")
    capture(me_client, profile_page("CTO", "Example Labs"), "2026-11-20T09:00:00+09:00")
    assert changes(me_db) == []


def test_a_locked_field_is_not_a_change(me_client, me_db):
    first = capture(me_client, profile_page("エンジニア", "株式会社サンプル"),
                    "2026-01-10T09:00:00+09:00")
    contact = first["contact"]["id"]
    assert me_client.patch(f"/api/v1/contacts/{contact}",
                           json={"title": "テックリード"}).status_code == 200
    capture(me_client, profile_page("CTO", "Example Labs"), "2026-11-20T09:00:00+09:00")
    assert [c["label"] for c in changes(me_db)] == ["organisation"]


def test_an_older_page_read_later_and_a_spelling_difference_are_not_changes(me_client, me_db):
    capture(me_client, profile_page("CTO", "Example Labs"), "2026-11-20T09:00:00+09:00")
    capture(me_client, profile_page("Intern", "Example Labs"), "2024-04-01T09:00:00+09:00")
    capture(me_client, profile_page("cto", "Example  Labs"), "2026-11-25T09:00:00+09:00")
    assert changes(me_db) == []


def test_reparse_adds_no_second_change(me_client, me_db, me_app):
    capture(me_client, profile_page("エンジニア"), "2026-01-10T09:00:00+09:00")
    capture(me_client, profile_page("CTO"), "2026-11-20T09:00:00+09:00")
    assert len(changes(me_db)) == 1
    reparse(me_db, me_app.extensions["goen.settings"])
    assert len(changes(me_db)) == 1


def test_a_change_goes_with_the_contact(me_client, me_db):
    first = capture(me_client, profile_page("エンジニア"), "2026-01-10T09:00:00+09:00")
    capture(me_client, profile_page("CTO"), "2026-11-20T09:00:00+09:00")
    assert me_client.delete(f"/api/v1/contacts/{first['contact']['id']}").status_code == 204
    assert me_db.query_one("SELECT COUNT(*) FROM facts")[0] == 0
