"""Done, snooze, dismiss: what the user did with a suggestion, remembered by its key.

* done: the suggestion is gone; a promise or question it rested on and still open is marked
  done by the user (queries.set_status: ``status = 'done'``, ``status_source = 'user'``, and
  the ledger kept in step).
* snooze: hidden until a date (default: a week from today), then back.
* dismiss: gone, and the person's other suggestions of the same reason rank lower (a half per
  dismissal; suggest_rank.py).

Keys are stable across recomputation (suggest.py), so an action outlives the ranking that
produced it. Acting again on the same key replaces the earlier action.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from companion.db import Database, utc_now
from companion.errors import bad_request, not_found
from companion.services.followup import queries

ACTIONS = {"done": "done", "snooze": "snoozed", "dismiss": "dismissed"}
SNOOZE_DAYS = 7
KEY = re.compile(r"^(?:(?P<fact_kind>promise|question|change|event):(?P<fact>\d+)"
                 r"|(?P<contact_kind>cadence|met-recently):(?P<contact>\d+):\d{4}-\d{2}-\d{2}"
                 r"|dormant:(?P<dormant>\d+):(?P<news>\d+)"
                 r"|intro:(?P<need>\d+):(?P<offer>\d+))$")
_FACT_REASON = {"promise": "promise_due", "question": "question_waiting",
                "change": "change_to_congratulate"}


def _day(today: date | str | None) -> date:
    if today is None:
        return date.today()
    return today if isinstance(today, date) else date.fromisoformat(str(today)[:10])


def _subject(db: Database, key: str, today: date) -> tuple[int, str, int | None]:
    """(contact id, reason, fact id) of a suggestion key; 404 when what it names is gone."""
    found = KEY.match(key or "")
    if not found:
        raise not_found(f"{key!r} is not a suggestion key.")
    if found["fact"]:
        row = db.query_one("SELECT contact_id, event_date FROM facts WHERE id = ?",
                           (int(found["fact"]),))
        if row is None:
            raise not_found(f"No fact behind suggestion {key}.")
        kind = found["fact_kind"]
        if kind == "event":
            upcoming = row["event_date"] and row["event_date"] >= today.isoformat()
            reason = "event_upcoming" if upcoming else "change_to_congratulate"
        else:
            reason = _FACT_REASON[kind]
        return row["contact_id"], reason, int(found["fact"])
    if found["contact"]:
        contact_id = int(found["contact"])
        reason = "overdue_by_cadence" if found["contact_kind"] == "cadence" else "met_recently"
        fact_id = None
    elif found["dormant"]:
        contact_id, reason, fact_id = int(found["dormant"]), "dormant_with_news", None
    else:
        contact_id, reason, fact_id = int(found["need"]), "introduction", None
        if db.query_one("SELECT 1 FROM contacts WHERE id = ?", (int(found["offer"]),)) is None:
            raise not_found(f"No contact {found['offer']} behind suggestion {key}.")
    if db.query_one("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)) is None:
        raise not_found(f"No contact {contact_id} behind suggestion {key}.")
    return contact_id, reason, fact_id


def parse_until(data: object, today: date) -> str:
    """The snooze date of a request body: ``{"until": "YYYY-MM-DD"}``, default a week on."""
    until = data.get("until") if isinstance(data, dict) else None
    if until is None:
        return (today + timedelta(days=SNOOZE_DAYS)).isoformat()
    if not isinstance(until, str):
        raise bad_request("until must be an ISO date (YYYY-MM-DD).", "until")
    try:
        day = date.fromisoformat(until[:10])
    except ValueError:
        raise bad_request("until must be an ISO date (YYYY-MM-DD).", "until") from None
    if day <= today:
        raise bad_request("until must be a date after today.", "until")
    return day.isoformat()


def record_action(db: Database, key: str, action: str, body: object = None,
                  today: date | str | None = None) -> dict:
    """Remember ``action`` (done / snooze / dismiss) for the suggestion ``key``."""
    if action not in ACTIONS:
        raise not_found(f"No action {action!r}; use done, snooze or dismiss.")
    day = _day(today)
    if body is not None and not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    until = parse_until(body, day) if action == "snooze" else None
    contact_id, reason, fact_id = _subject(db, key, day)
    now = utc_now()
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO suggestion_actions (suggestion_key, contact_id, reason, action, until,"
            " acted_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (suggestion_key) DO UPDATE SET"
            " contact_id = excluded.contact_id, reason = excluded.reason,"
            " action = excluded.action, until = excluded.until, acted_at = excluded.acted_at",
            (key, contact_id, reason, ACTIONS[action], until, now))
        if action == "done" and fact_id is not None and reason in ("promise_due",
                                                                    "question_waiting"):
            still_open = conn.execute("SELECT 1 FROM facts WHERE id = ? AND status = 'open'",
                                      (fact_id,)).fetchone()
            if still_open:   # the store's own path: status by the user, and the ledger
                queries.set_status(db, fact_id, {"status": "done"})
    return {"key": key, "action": ACTIONS[action], "until": until, "contact_id": contact_id,
            "reason": reason, "acted_at": now}
