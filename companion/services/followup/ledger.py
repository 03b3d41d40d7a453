"""The give-and-take ledger: help, introductions and information given to a contact and received.

Entries come from three places, named by ``source``:

* ``user`` — recorded by hand (``POST /api/v1/contacts/<id>/ledger``), maybe naming a note;
* ``promise`` — a kept promise: a commitment of mine that is kept (by a later message of mine,
  or marked done by the user) is something *given*; one of theirs is something *received*. Its
  kind is read from the promise (紹介 / "introduce" → introduction; 送る, 共有, 資料, "send",
  "deck" → information; else help). Linked by ``fact_id``, one per fact: recording it again
  changes nothing, and when the user reopens or dismisses the promise the entry goes;
* ``note`` — read from a note the user wrote (ledger_notes.py: 田中さんを紹介した, "She sent
  me the template"). Linked by ``note_id``, one per note, flow and sentence; reading the note
  again (``goen reparse``, an edited note) replaces them, deleting the note removes them.

The user's word wins over a note entry: deleting one, or recording an entry by hand for the same
note, flow and kind, hides it (``hidden_at``) rather than deleting it, so that reading the note
again does not bring it back.
"""

from __future__ import annotations

import sqlite3

from companion.db import Database, utc_now
from companion.errors import bad_request, not_found
from companion.model import Ledger, LedgerEntry
from companion.services.followup.kept import ledger_kind
from companion.services.followup.ledger_notes import read_note
from companion.services.timeparse import parse_timestamp

FLOWS = ("given", "received")
KINDS = ("help", "introduction", "information", "other")
MAX_TEXT_CHARS = 2000
_COLUMNS = ("id, contact_id, flow, kind, text, fact_id, note_id, occurred_at, created_at,"
            " source")


def sync_for_fact(conn: sqlite3.Connection, fact_id: int) -> None:
    """Make the fact's ledger entry match its status: one entry while a commitment is kept or
    done, none otherwise."""
    fact = conn.execute("SELECT id, contact_id, kind, whose, label, span_text, status,"
                        " status_at FROM facts WHERE id = ?", (fact_id,)).fetchone()
    if fact is None:
        return
    wanted = (fact["kind"] == "promise" and fact["label"] == "commitment"
              and fact["status"] in ("kept", "done"))
    if not wanted:
        conn.execute("DELETE FROM ledger WHERE fact_id = ?", (fact_id,))
        return
    conn.execute(
        "INSERT INTO ledger (contact_id, flow, kind, text, fact_id, occurred_at, created_at,"
        " source) SELECT ?, ?, ?, ?, ?, ?, ?, 'promise'"
        " WHERE NOT EXISTS (SELECT 1 FROM ledger WHERE fact_id = ?)",
        (fact["contact_id"], "given" if fact["whose"] == "me" else "received",
         ledger_kind(fact["span_text"] or ""), fact["span_text"], fact_id,
         fact["status_at"] or utc_now(), utc_now(), fact_id))


def sync_for_note(conn: sqlite3.Connection, note_id: int) -> list[int]:
    """Make the entries read from a note match what it says now; return the ids of new ones.

    One entry per flow and sentence (ledger_notes.read_note). Entries the note no longer states
    go; a changed kind is updated; an entry the user hid stays hidden. A new entry whose note,
    flow and kind the user already recorded by hand is stored hidden: theirs stands for it.
    When the note is gone, its entries go.
    """
    note = conn.execute("SELECT id, contact_id, body, created_at FROM notes WHERE id = ?",
                        (note_id,)).fetchone()
    if note is None:
        conn.execute("DELETE FROM ledger WHERE note_id = ? AND source = 'note'", (note_id,))
        return []
    wanted: dict[tuple[str, str], str] = {}      # (flow, sentence) → kind
    for found in read_note(note["body"]):
        wanted.setdefault((found.flow, found.text[:MAX_TEXT_CHARS]), found.kind)
    for row in conn.execute("SELECT id, flow, kind, text FROM ledger"
                            " WHERE note_id = ? AND source = 'note'", (note_id,)).fetchall():
        kind = wanted.get((row["flow"], row["text"]))
        if kind is None:
            conn.execute("DELETE FROM ledger WHERE id = ?", (row["id"],))
        elif kind != row["kind"]:
            conn.execute("UPDATE ledger SET kind = ? WHERE id = ?", (kind, row["id"]))
    by_hand = {(r["flow"], r["kind"]) for r in conn.execute(
        "SELECT flow, kind FROM ledger WHERE note_id = ? AND source = 'user'", (note_id,))}
    now = utc_now()
    new = []
    for (flow, text), kind in wanted.items():
        row = conn.execute(
            "INSERT INTO ledger (contact_id, flow, kind, text, note_id, occurred_at, created_at,"
            " source, hidden_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'note', ?)"
            " ON CONFLICT DO NOTHING RETURNING id",
            (note["contact_id"], flow, kind, text, note_id, note["created_at"], now,
             now if (flow, kind) in by_hand else None)).fetchone()
        if row is not None:
            new.append(row[0])
    return new


def _entry(row: sqlite3.Row) -> LedgerEntry:
    return LedgerEntry(**{k: row[k] for k in LedgerEntry.__dataclass_fields__})


def _check_contact(conn: sqlite3.Connection, contact_id: int) -> None:
    if conn.execute("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)).fetchone() is None:
        raise not_found(f"No contact with id {contact_id}.")


def add_entry(db: Database, contact_id: int, data: object) -> LedgerEntry:
    """An entry the user records: ``{flow, kind, text, occurred_at?, note_id?}``."""
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.")
    unknown = set(data) - {"flow", "kind", "text", "occurred_at", "note_id"}
    if unknown:
        raise bad_request(f"Unknown fields: {', '.join(sorted(unknown))}.", sorted(unknown)[0])
    flow = data.get("flow")
    if flow not in FLOWS:
        raise bad_request("flow must be given or received.", "flow")
    kind = data.get("kind", "help")
    if kind not in KINDS:
        raise bad_request(f"kind must be one of {', '.join(KINDS)}.", "kind")
    text = data.get("text")
    if text is not None and not isinstance(text, str):
        raise bad_request("text must be a string.", "text")
    text = (text or "").strip() or None
    if text and len(text) > MAX_TEXT_CHARS:
        raise bad_request(f"text is too long ({MAX_TEXT_CHARS} characters at most).", "text")
    occurred_at = parse_timestamp(data.get("occurred_at"), "occurred_at", default_now=True)
    note_id = data.get("note_id")
    if note_id is not None and (not isinstance(note_id, int) or isinstance(note_id, bool)):
        raise bad_request("note_id must be a note's id.", "note_id")
    with db.transaction() as conn:
        _check_contact(conn, contact_id)
        if note_id is not None and conn.execute(
                "SELECT 1 FROM notes WHERE id = ? AND contact_id = ?",
                (note_id, contact_id)).fetchone() is None:
            raise bad_request(f"No note {note_id} for this contact.", "note_id")
        row = conn.execute(
            "INSERT INTO ledger (contact_id, flow, kind, text, note_id, occurred_at, created_at,"
            f" source) VALUES (?, ?, ?, ?, ?, ?, ?, 'user') RETURNING {_COLUMNS}",
            (contact_id, flow, kind, text, note_id, occurred_at, utc_now())).fetchone()
        if note_id is not None:   # the user's own entry stands for the one read from the note
            conn.execute("UPDATE ledger SET hidden_at = ? WHERE note_id = ? AND source = 'note'"
                         " AND flow = ? AND kind = ? AND hidden_at IS NULL",
                         (utc_now(), note_id, flow, kind))
    return _entry(row)


def list_entries(db: Database, contact_id: int) -> Ledger:
    conn = db.connect()
    _check_contact(conn, contact_id)
    rows = conn.execute(f"SELECT {_COLUMNS} FROM ledger WHERE contact_id = ?"
                        " AND hidden_at IS NULL ORDER BY occurred_at DESC, id DESC",
                        (contact_id,)).fetchall()
    entries = [_entry(r) for r in rows]
    return Ledger(entries, sum(1 for e in entries if e.flow == "given"),
                  sum(1 for e in entries if e.flow == "received"))


def delete_entry(db: Database, entry_id: int) -> None:
    """Remove an entry. One read from a note is hidden instead, so that reading the note again
    does not bring it back."""
    with db.transaction() as conn:
        row = conn.execute("SELECT source FROM ledger WHERE id = ? AND hidden_at IS NULL",
                           (entry_id,)).fetchone()
        if row is None:
            raise not_found(f"No ledger entry with id {entry_id}.")
        if row["source"] == "note":
            conn.execute("UPDATE ledger SET hidden_at = ? WHERE id = ?", (utc_now(), entry_id))
        else:
            conn.execute("DELETE FROM ledger WHERE id = ?", (entry_id,))
