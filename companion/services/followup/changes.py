"""Change facts: a new title, organisation or location, found by comparing captures of a profile.

identity._update_contact knows the contact's values before a capture and the values the capture
writes (newest capture wins, field by field). A change is recorded when a capture *replaces* a
value: ``kind = 'change'``, ``whose = 'them'``, ``label`` = the field, ``detail = {"field",
"old", "new"}``, ``source = 'capture:<id>'``, ``stated_at`` = the capture's time. Not on the
first capture (nothing to compare with), not when a field is filled for the first time, not
when a page lacks the field (a degraded or logged-out page says nothing about a change; the old
value stays), not for fields the user locked, not for an older capture read later, and not for
a difference of spacing or case.
"""

from __future__ import annotations

import json
import sqlite3

from companion.db import utc_now

CHANGE_FIELDS = ("title", "organisation", "location")


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def record_changes(conn: sqlite3.Connection, contact_id: int, capture_id: int,
                   before: sqlite3.Row, written: dict, captured_at: str | None) -> list[int]:
    """Store a change fact per replaced field; return the new fact ids. ``written`` is what the
    capture writes on the contact (locked fields and empty values already left out)."""
    new = []
    for name in CHANGE_FIELDS:
        old, value = before[name], written.get(name)
        if not old or not value or _same(old, value):
            continue
        detail = json.dumps({"field": name, "old": old, "new": value}, ensure_ascii=False)
        row = conn.execute(
            "INSERT INTO facts (contact_id, capture_id, source, kind, whose, label, detail,"
            " stated_at, created_at) VALUES (?, ?, ?, 'change', 'them', ?, ?, ?, ?)"
            " ON CONFLICT (source, kind, span_start, label) DO NOTHING RETURNING id",
            (contact_id, capture_id, f"capture:{capture_id}", name, detail,
             captured_at or utc_now(), utc_now())).fetchone()
        if row is not None:
            new.append(row[0])
    return new
