"""Every site fixture through the real capture path (API → adapter → names → store): what the
adapter reads ends up as a contact, and a thread saved twice or re-rendered adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"
CASES = sorted(FIXTURES.glob("*/*.html"))


def load(path: Path) -> tuple[str, dict]:
    return path.read_text(encoding="utf-8"), json.loads(
        path.with_suffix(".json").read_text(encoding="utf-8"))


def post(client, spec: dict, html: str):
    body = {"url": spec["url"], "html": html, "kind": "auto",
            "captured_at": spec.get("captured_at", "2026-11-26T09:30:00.000+09:00")}
    return client.post("/api/v1/captures", json=body)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_through_the_capture_api(client, db, path):
    html, spec = load(path)
    expected = spec["expected"]
    response = post(client, spec, html)
    if expected is None:
        assert response.status_code == 202, response.json
        assert response.json["status"] == "needs_attention"
        return
    assert response.status_code == 201, response.json
    result = response.json
    assert result["kind"] == expected["kind"]
    if expected["kind"] == "profile":
        assert result["contact"]["display_name"] == expected["profile"]["display_name"]
    elif expected["kind"] == "people":
        names = {r[0] for r in db.query_all("SELECT display_name FROM contacts")}
        assert {p["display_name"] for p in expected["people"]} <= names
    else:
        messages = expected["thread"]["messages"]
        assert result["new_interactions"] == len(messages)
        # saved again, or re-rendered with the same messages: nothing new
        assert post(client, spec, html).json["duplicate"] is True
        again = post(client, spec, html.replace("</body>", "<!-- re-rendered --></body>"))
        assert again.status_code == 201 and again.json["new_interactions"] == 0
        assert db.query_one("SELECT COUNT(*) FROM interactions")[0] == len(messages)
