"""Events and communities (issue 7): 勉強会, 交流会, conferences, and who the user met there.

An event has a name, a kind, a date, a place, a link and the user's notes; its people are
contacts, each with a note of their own ("talked about Rust in logistics"). People met at the
same event are linked in the network graph (services/network.py, kind ``same_event``) and the
event shows in each person's timeline (``events_of``).

Plain functions over a ``Database``; every input is validated here, so the API, the web view and
the CLI get the same answers and the same errors (``ApiError`` 400 with ``details.field``, 404).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date

from companion.db import Database, utc_now
from companion.errors import bad_request, not_found

KINDS = ("study_group", "meetup", "conference", "party", "seminar", "hackathon", "other")
# How each kind reads to the user (the web view shows these; drafts name the event itself).
KIND_LABELS = {
    "study_group": {"ja": "勉強会", "en": "study group"},
    "meetup": {"ja": "ミートアップ", "en": "meetup"},
    "conference": {"ja": "カンファレンス", "en": "conference"},
    "party": {"ja": "交流会", "en": "networking party"},
    "seminar": {"ja": "セミナー", "en": "seminar"},
    "hackathon": {"ja": "ハッカソン", "en": "hackathon"},
    "other": {"ja": "イベント", "en": "event"},
}
MAX_NAME_CHARS = 200
MAX_PLACE_CHARS = 200
MAX_URL_CHARS = 2_000
MAX_NOTES_CHARS = 5_000
MAX_PERSON_NOTE_CHARS = 2_000
MAX_LIMIT = 200
FIELDS = ("name", "kind", "starts_on", "place", "url", "notes")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class EventPerson:
    contact_id: int
    display_name: str
    organisation: str | None
    note: str | None
    added_at: str


@dataclass(frozen=True)
class Event:
    id: int
    name: str
    kind: str
    kind_label: dict            # {"ja", "en"}
    starts_on: str | None       # ISO date
    place: str | None
    url: str | None
    notes: str | None
    created_at: str
    updated_at: str
    people_count: int
    people: tuple[EventPerson, ...] | None = None   # get_event only; None in lists


@dataclass(frozen=True)
class EventPage:
    events: tuple[Event, ...]
    next_before: str | None     # pass back as ``before`` for the next (older) page


# -- validation ---------------------------------------------------------------------------------

def _text(data: dict, name: str, limit: int, *, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise bad_request(f"{name} is required.", name)
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string.", name)
    value = value.strip()
    if not value:
        if required:
            raise bad_request(f"{name} must not be empty.", name)
        return None
    if len(value) > limit:
        raise bad_request(f"{name} is too long ({limit} characters at most).", name)
    return value


def _values(data: object, *, partial: bool) -> dict:
    """The checked fields of a body; ``partial``: only those present (PATCH)."""
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise bad_request(f"Unknown field: {unknown[0]}.", unknown[0])
    out: dict = {}
    if not partial or "name" in data:
        out["name"] = _text(data, "name", MAX_NAME_CHARS, required=True)
    if not partial or "kind" in data:
        kind = data.get("kind", "other") if not partial else data.get("kind")
        if kind not in KINDS:
            raise bad_request(f"kind must be one of {', '.join(KINDS)}.", "kind")
        out["kind"] = kind
    if not partial or "starts_on" in data:
        raw = data.get("starts_on")
        if raw is not None:
            if not isinstance(raw, str) or len(raw) > 10:
                raise bad_request("starts_on must be a date (YYYY-MM-DD).", "starts_on")
            try:
                raw = date.fromisoformat(raw).isoformat()
            except ValueError:
                raise bad_request("starts_on must be a date (YYYY-MM-DD).",
                                  "starts_on") from None
        out["starts_on"] = raw
    if not partial or "place" in data:
        out["place"] = _text(data, "place", MAX_PLACE_CHARS)
    if not partial or "url" in data:
        url = _text(data, "url", MAX_URL_CHARS)
        if url is not None and not _URL.match(url):
            raise bad_request("url must be an http(s) URL.", "url")
        out["url"] = url
    if not partial or "notes" in data:
        out["notes"] = _text(data, "notes", MAX_NOTES_CHARS)
    return out


def _check_id(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise bad_request(f"{name} must be a positive whole number.", name)
    return value


# -- reading ------------------------------------------------------------------------------------

_COLUMNS = ("e.id, e.name, e.kind, e.starts_on, e.place, e.url, e.notes, e.created_at,"
            " e.updated_at, (SELECT COUNT(*) FROM event_people p WHERE p.event_id = e.id)"
            " AS people_count")


def _event(row: sqlite3.Row, people: tuple[EventPerson, ...] | None = None) -> Event:
    return Event(row["id"], row["name"], row["kind"], dict(KIND_LABELS[row["kind"]]),
                 row["starts_on"], row["place"], row["url"], row["notes"], row["created_at"],
                 row["updated_at"], row["people_count"], people)


def _people(conn: sqlite3.Connection, event_id: int) -> tuple[EventPerson, ...]:
    rows = conn.execute(
        "SELECT c.id, c.display_name, c.organisation, p.note, p.added_at FROM event_people p"
        " JOIN contacts c ON c.id = p.contact_id WHERE p.event_id = ?"
        " ORDER BY c.sort_key, c.id", (event_id,)).fetchall()
    return tuple(EventPerson(r[0], r[1], r[2], r[3], r[4]) for r in rows)


def get_event(db: Database, event_id: int) -> Event:
    """One event with its people (in name order). 404 when there is none."""
    conn = db.connect()
    row = conn.execute(f"SELECT {_COLUMNS} FROM events e WHERE e.id = ?", (event_id,)).fetchone()
    if row is None:
        raise not_found(f"No event with id {event_id}.")
    return _event(row, _people(conn, event_id))


def _order_key(row: sqlite3.Row) -> str:
    # Undated events sort after every dated one (newest first), then by id.
    return f"{row['starts_on'] or '0000-00-00'}|{row['id']}"


def list_events(db: Database, *, q: str | None = None, kind: str | None = None,
                limit: int = 50, before: str | None = None) -> EventPage:
    """Events newest first (by date, undated last), optionally filtered by a word in the name
    or place and by kind. ``before``: the ``next_before`` of the previous page."""
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise bad_request(f"limit must be 1–{MAX_LIMIT}.", "limit")
    if kind is not None and kind not in KINDS:
        raise bad_request(f"kind must be one of {', '.join(KINDS)}.", "kind")
    where, params = [], []
    if q:
        if len(q) > MAX_NAME_CHARS:
            raise bad_request("q is too long.", "q")
        # instr(), not LIKE: no wildcard characters to escape in the user's words
        where.append("(instr(lower(e.name), lower(?)) > 0 OR"
                     " instr(lower(coalesce(e.place, '')), lower(?)) > 0)")
        params += [q, q]
    if kind:
        where.append("e.kind = ?")
        params.append(kind)
    if before is not None:
        match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})\|(\d{1,18})", before)
        if not match:
            raise bad_request("before must be the next_before of an earlier page.", "before")
        where.append("(coalesce(e.starts_on, '0000-00-00') < ? OR"
                     " (coalesce(e.starts_on, '0000-00-00') = ? AND e.id < ?))")
        params += [match[1], match[1], int(match[2])]
    sql = (f"SELECT {_COLUMNS} FROM events e"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY coalesce(e.starts_on, '0000-00-00') DESC, e.id DESC LIMIT ?")
    rows = db.query_all(sql, (*params, limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    return EventPage(tuple(_event(r) for r in rows), _order_key(rows[-1]) if more else None)


def events_of(db: Database, contact_id: int) -> list[Event]:
    """The events a contact was met at, newest first: for their timeline. 404 for an unknown
    contact."""
    if db.query_one("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)) is None:
        raise not_found(f"No contact with id {contact_id}.")
    rows = db.query_all(
        f"SELECT {_COLUMNS} FROM event_people ep JOIN events e ON e.id = ep.event_id"
        " WHERE ep.contact_id = ? ORDER BY coalesce(e.starts_on, '0000-00-00') DESC, e.id DESC",
        (contact_id,))
    return [_event(r) for r in rows]


# -- writing ------------------------------------------------------------------------------------

def create_event(db: Database, data: object) -> Event:
    """A new event from ``{name, kind?, starts_on?, place?, url?, notes?, people?}``; ``people``
    (optional) is a list of contact ids met there."""
    people = None
    if isinstance(data, dict) and "people" in data:
        data = dict(data)
        people = data.pop("people")
        if not isinstance(people, list) or len(people) > 10_000:
            raise bad_request("people must be a list of contact ids.", "people")
        people = [_check_id(p, "people") for p in people]
    values = _values(data, partial=False)
    now = utc_now()
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO events (name, kind, starts_on, place, url, notes, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (values["name"], values["kind"], values["starts_on"], values["place"],
             values["url"], values["notes"], now, now))
        event_id = cur.lastrowid
        for contact_id in dict.fromkeys(people or []):
            _insert_person(conn, event_id, contact_id, None, now)
    return get_event(db, event_id)


def update_event(db: Database, event_id: int, data: object) -> Event:
    """Change any of the event's fields (a field sent as null is cleared; ``name`` and
    ``kind`` cannot be)."""
    values = _values(data, partial=True)
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is None:
            raise not_found(f"No event with id {event_id}.")
        if values:
            sets = ", ".join(f"{name} = ?" for name in values)
            conn.execute(f"UPDATE events SET {sets}, updated_at = ? WHERE id = ?",
                         (*values.values(), utc_now(), event_id))
    return get_event(db, event_id)


def delete_event(db: Database, event_id: int) -> None:
    with db.transaction() as conn:
        if conn.execute("DELETE FROM events WHERE id = ?", (event_id,)).rowcount == 0:
            raise not_found(f"No event with id {event_id}.")


def _insert_person(conn: sqlite3.Connection, event_id: int, contact_id: int, note: str | None,
                   now: str) -> bool:
    """True when the person is new at this event; an existing one gets the new note, if any."""
    if conn.execute("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)).fetchone() is None:
        raise not_found(f"No contact with id {contact_id}.")
    cur = conn.execute(
        "INSERT INTO event_people (event_id, contact_id, note, added_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (event_id, contact_id) DO NOTHING", (event_id, contact_id, note, now))
    if cur.rowcount:
        return True
    if note is not None:
        conn.execute("UPDATE event_people SET note = ? WHERE event_id = ? AND contact_id = ?",
                     (note, event_id, contact_id))
    return False


def add_person(db: Database, event_id: int, contact_id: int, data: object = None
               ) -> tuple[Event, bool]:
    """Record that the user met ``contact_id`` at the event; body ``{"note"?: "…"}``.
    Returns the event and whether the person was new there (adding again only updates the
    note)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.")
    unknown = sorted(set(data) - {"note"})
    if unknown:
        raise bad_request(f"Unknown field: {unknown[0]}.", unknown[0])
    note = _text(data, "note", MAX_PERSON_NOTE_CHARS)
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is None:
            raise not_found(f"No event with id {event_id}.")
        created = _insert_person(conn, event_id, contact_id, note, utc_now())
        conn.execute("UPDATE events SET updated_at = ? WHERE id = ?", (utc_now(), event_id))
    return get_event(db, event_id), created


def remove_person(db: Database, event_id: int, contact_id: int) -> None:
    """404 when the event does not exist or the person was not recorded there."""
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is None:
            raise not_found(f"No event with id {event_id}.")
        gone = conn.execute("DELETE FROM event_people WHERE event_id = ? AND contact_id = ?",
                            (event_id, contact_id)).rowcount
        if not gone:
            raise not_found(f"Contact {contact_id} is not recorded at event {event_id}.")
        conn.execute("UPDATE events SET updated_at = ? WHERE id = ?", (utc_now(), event_id))
