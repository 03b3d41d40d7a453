"""Shared by the suggestion, draft and guard tests (no tests of its own).

* ``suggest_app`` / ``suggest_client``: the app with the suggestions blueprint registered (the
  coordinator adds it to app.py; until then it is registered here on a fresh app).
* ``add_contact``, ``add_message``: rows written with plain SQL, as the generator and the
  capture service write them.
* ``insert_fact_by_sql``: a fact written straight into ``facts`` — an explicit stand-in for the
  facts store, used where a test needs one precise fact (a change between captures, a need, an
  event date) rather than whatever analysing a message yields. Tests that can, go through the
  real path instead: captures and notes through the API, where the store reads the facts.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from companion.db import utc_now
from tests.helpers import make_client

TODAY = date(2026, 11, 26)      # the day the site fixtures were captured


def register_suggestions(app) -> None:
    from companion.api.suggestions import bp
    if bp.name not in app.blueprints:
        app.register_blueprint(bp)


@pytest.fixture
def suggest_app(app):
    register_suggestions(app)
    return app


@pytest.fixture
def suggest_client(suggest_app, token):
    return make_client(suggest_app, token)


def add_contact(db, name: str, *, family: str | None = None, given: str | None = None,
                tier: str | None = None, last_two_way_at: str | None = None,
                created_at: str = "2025-01-10T09:00:00.000Z", **fields) -> int:
    """A contact row; ``fields``: headline, organisation, title, location, bio, career (dict)."""
    career = fields.pop("career", None)
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO contacts (display_name, family_name, given_name, sort_key, headline,"
            " organisation, title, location, bio, career, tier, tier_source, last_two_way_at,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, family, given, name.casefold(), fields.get("headline"),
             fields.get("organisation"), fields.get("title"), fields.get("location"),
             fields.get("bio"), json.dumps(career, ensure_ascii=False) if career else None,
             tier, "user" if tier else None, last_two_way_at, created_at, created_at))
    return cur.lastrowid


def add_message(db, contact_id: int, direction: str, text: str | None, at: str, *,
                kind: str = "message", platform: str = "linkedin") -> int:
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO interactions (contact_id, platform, kind, direction, occurred_at, text,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (contact_id, platform, kind, direction, at, text, utc_now()))
    return cur.lastrowid


def insert_fact_by_sql(db, contact_id: int, kind: str, whose: str, span: str, *,
                       stated_at: str, label: str = "", lang: str | None = None,
                       due: str | None = None, event_date: str | None = None,
                       detail: dict | None = None, status: str = "open",
                       interaction_id: int | None = None, note_id: int | None = None,
                       capture_id: int | None = None) -> int:
    """A fact written directly (the store's job in the product; see the module docstring)."""
    if interaction_id is not None:
        source = f"interaction:{interaction_id}"
    elif note_id is not None:
        source = f"note:{note_id}"
    else:
        source = f"capture:{capture_id}" if capture_id is not None else f"test:{utc_now()}{span}"
    lang = lang or ("ja" if any("\u3040" <= c <= "\u9fff" for c in span) else "en")
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO facts (contact_id, interaction_id, note_id, capture_id, source, kind,"
            " whose, label, lang, span_start, span_end, span_text, due, event_date, detail,"
            " status, stated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?)",
            (contact_id, interaction_id, note_id, capture_id, source, kind, whose, label, lang,
             0 if span else -1, len(span) if span else None, span or None, due, event_date,
             json.dumps(detail or {}, ensure_ascii=False), status, stated_at, utc_now()))
    return cur.lastrowid


def message_with_facts(db, contact_id: int, direction: str, text: str, at: str) -> int:
    """A message stored and read by the real facts store (store.analyze_interactions, then the
    statuses it settles), as a capture would."""
    from companion.services.followup import updates
    interaction = add_message(db, contact_id, direction, text, at)
    with db.transaction() as conn:
        updates.after_interactions(conn, [interaction])
    return interaction
