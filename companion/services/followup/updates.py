"""Keeping a contact's follow-up state current as things are stored.

The store calls these inside the transaction that writes the new data, so facts, statuses and
the relationship never lag behind the messages they come from:

* ``after_interactions`` — new messages from a capture, or an interaction logged by hand: their
  facts, then the statuses they settle, then last two-way and the proposed tier;
* ``after_note`` — a new note: its facts, and the ledger entries it states (ledger_notes.py);
  idempotent, and what an edit path would call again after changing a note's body (the note's
  ledger entries are replaced; its facts, like all facts, are only added);
* ``reanalyze_contact`` — everything of one contact read again (``goen reparse``): idempotent.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from companion.services.followup import ledger, relationship, status, store


def after_interactions(conn: sqlite3.Connection, interaction_ids: list[int],
                       now: datetime | None = None, reader=None,
                       rows: list[store.Stored] | None = None) -> dict[int, list[int]]:
    """Facts, statuses and relationship state after new interactions; returns the new fact ids
    by contact. ``reader`` and ``rows``: see store.analyze_interactions (a bulk import's worker
    processes, and the rows it has just written)."""
    if not interaction_ids:
        return {}
    analysis = store.analyze_interactions(conn, interaction_ids, reader, rows)
    for contact_id, new_facts in analysis.facts.items():
        status.refresh_statuses(conn, contact_id,
                                new_interactions=set(analysis.interactions[contact_id]),
                                new_facts=set(new_facts))
        relationship.refresh_relationship(conn, contact_id, now)
    return analysis.facts


def after_note(conn: sqlite3.Connection, note_id: int) -> list[int]:
    """A note's facts and ledger entries; returns the new fact ids."""
    ledger.sync_for_note(conn, note_id)
    found = store.analyze_note(conn, note_id)
    if found is None:
        return []
    contact_id, new_facts = found
    if new_facts:
        status.refresh_statuses(conn, contact_id, new_facts=set(new_facts))
    return new_facts


def reanalyze_contact(conn: sqlite3.Connection, contact_id: int,
                      now: datetime | None = None) -> int:
    """Read all of a contact's interactions and notes again (facts, and the ledger entries of
    notes), check every open fact, recompute the relationship; return how many facts were new."""
    ids = [r[0] for r in conn.execute("SELECT id FROM interactions WHERE contact_id = ?",
                                      (contact_id,))]
    added = sum(len(v) for v in store.analyze_interactions(conn, ids).facts.values())
    for (note_id,) in conn.execute("SELECT id FROM notes WHERE contact_id = ?",
                                   (contact_id,)).fetchall():
        found = store.analyze_note(conn, note_id)
        added += len(found[1]) if found else 0
        ledger.sync_for_note(conn, note_id)
    status.refresh_statuses(conn, contact_id)
    relationship.refresh_relationship(conn, contact_id, now)
    return added
