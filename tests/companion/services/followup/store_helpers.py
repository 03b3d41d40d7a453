"""Shared by the follow-up store tests: an app that knows the user's own profiles, real site
fixtures posted through the capture API, and the clock held at the fixtures' capture time."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from companion.app import create_app
from companion.services.followup import relationship
from tests.helpers import jsonld_person_page, make_client

ROOT = Path(__file__).resolve().parents[4]
SITES = ROOT / "tests" / "fixtures" / "sites"
# The user is 佐藤 美咲 in the X fixtures and Kenji Sato in the LinkedIn ones.
MY_PROFILES = ("https://x.com/sato_misaki", "https://www.linkedin.com/in/ACoAAKenjiExample02")
# The fixtures were captured on Thursday 26 November 2026, 09:30 in Tokyo.
CAPTURED = datetime(2026, 11, 26, 0, 30, tzinfo=timezone.utc)


@pytest.fixture
def me_app(settings):
    app = create_app(dataclasses.replace(settings, my_profiles=MY_PROFILES))
    yield app
    app.extensions["goen.db"].close()


@pytest.fixture
def me_db(me_app):
    return me_app.extensions["goen.db"]


@pytest.fixture
def me_client(me_app):
    return make_client(me_app, me_app.extensions["goen.tokens"].get_or_create())


@pytest.fixture
def frozen_clock(monkeypatch):
    """Tiers are proposed relative to now: hold now at the fixtures' capture time."""
    monkeypatch.setattr(relationship, "clock", lambda: CAPTURED)
    return CAPTURED


def fixture_page(name: str) -> tuple[str, dict]:
    path = SITES / f"{name}.html"
    return path.read_text(encoding="utf-8"), json.loads(
        path.with_suffix(".json").read_text(encoding="utf-8"))


def post_page(client, name: str, html: str | None = None) -> dict:
    page, spec = fixture_page(name)
    response = client.post("/api/v1/captures", json={
        "url": spec["url"], "html": page if html is None else html,
        "captured_at": spec["captured_at"]})
    assert response.status_code in (200, 201), response.json
    return response.json


def x_dm_until(html: str, marker: str) -> str:
    """An X conversation as it looked before the message containing ``marker``: that message's
    row, the day separator row before it, and every later row are left out."""
    lines = html.splitlines(keepends=True)
    rows = [k for k, line in enumerate(lines) if 'data-testid="cellInnerDiv"' in line]
    cut = next(k for k in rows if marker in lines[k])
    if cut - 1 in rows and 'data-testid="messageEntry"' not in lines[cut - 1]:
        cut -= 1    # the day separator ("昨日") belongs to the rows left out
    return "".join(lines[:cut] + lines[rows[-1] + 1:])


def facts_of(db, contact_id: int) -> list[dict]:
    return [dict(r) for r in db.query_all(
        "SELECT * FROM facts WHERE contact_id = ? ORDER BY id", (contact_id,))]


def interaction_id(db, text_part: str) -> int:
    row = db.query_one("SELECT id FROM interactions WHERE text LIKE ?", (f"%{text_part}%",))
    assert row is not None, text_part
    return row[0]


def person(client, name: str = "Hanako Mori", url: str = "https://x.com/hanako_mori",
           captured_at: str = "2026-11-01T09:00:00+09:00", **fields) -> int:
    """A contact saved from a profile page; returns its id."""
    response = client.post("/api/v1/captures", json={
        "url": url, "html": jsonld_person_page(name, url=url, **fields),
        "captured_at": captured_at})
    assert response.status_code in (200, 201), response.json
    return response.json["contact"]["id"]


def log(client, contact_id: int, text: str | None, *, direction: str = "out",
        kind: str = "message", at: str = "2026-11-20T10:00:00Z") -> dict:
    """An interaction logged by hand (an e-mail, a message from elsewhere, a meeting)."""
    body = {"kind": kind, "direction": direction, "occurred_at": at}
    if text is not None:
        body["text"] = text
    response = client.post(f"/api/v1/contacts/{contact_id}/interactions", json=body)
    assert response.status_code == 201, response.json
    return response.json
