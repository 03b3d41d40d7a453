"""The facts store: what stored messages and notes state, one row per fact, each with its source.

A fact rests on exactly one source, named by ``facts.source``:

* ``interaction:<id>`` — a message captured from a site, or an interaction logged by hand with
  text. ``in`` and ``out`` messages are read as analyze_message reads them (``out``: the user
  wrote it). A hand-logged meeting or call (direction ``both``) is the user's own account, read
  like a note.
* ``note:<id>`` — a note is the user's own record of what the other person said or what was
  agreed. Its promises and questions are read in the first person as the user's (資料を送ります,
  "I'll send the deck" → ``whose = me``); its events and interests are the contact's
  (転職されたそうです, "moving to Osaka", "into trail running" → ``whose = them``): a note is
  about the person it is attached to.
* ``capture:<id>`` — a change of title, organisation or location between two captures of a
  profile (changes.py).

Analysing the same source again finds the same facts, and ``UNIQUE (source, kind, span_start,
label)`` makes the insert a no-op: re-analysis adds only what is new (a better rule, a new
message), and never touches a fact's status. All writers take an open write transaction's
connection.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

from companion.db import utc_now
from companion.services.followup.facts import analyze_message
from companion.services.followup.model import Fact

CHUNK = 500   # ids per IN (...) list, well under SQLite's parameter limit

_INSERT = (
    "INSERT INTO facts (contact_id, interaction_id, note_id, capture_id, source, kind, whose,"
    " label, lang, span_start, span_end, span_text, due, event_date, detail, stated_at,"
    " created_at) VALUES (:contact_id, :interaction_id, :note_id, :capture_id, :source, :kind,"
    " :whose, :label, :lang, :span_start, :span_end, :span_text, :due, :event_date, :detail,"
    " :stated_at, :created_at)"
    " ON CONFLICT (source, kind, span_start, label) DO NOTHING RETURNING id")
_INSERT_MANY = (   # the same, positional and without RETURNING, for executemany
    "INSERT INTO facts (contact_id, interaction_id, note_id, capture_id, source, kind, whose,"
    " label, lang, span_start, span_end, span_text, due, event_date, detail, stated_at,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (source, kind, span_start, label) DO NOTHING")


def chunks(ids: list[int]):
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _local_zone() -> tzinfo:
    """This computer's time zone: the companion runs on the user's own machine."""
    return datetime.now().astimezone().tzinfo or timezone.utc


def sent_at_for_reading(occurred_at: str, local_hint: str | None = None) -> datetime:
    """A stored UTC time in the user's time zone, so that 明日 / "tomorrow" fall on the day the
    user saw. ``local_hint`` is a time with the user's UTC offset (the capture's
    ``captured_at_local``); without one, this computer's zone is used."""
    moment = datetime.fromisoformat(occurred_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    zone: tzinfo | None = None
    if local_hint:
        try:
            zone = datetime.fromisoformat(local_hint).tzinfo
        except ValueError:
            zone = None
    return moment.astimezone(zone or _local_zone())


def _detail(fact: Fact) -> str:
    detail: dict = {}
    if fact.terms:
        detail["terms"] = fact.terms
    if fact.period:
        detail["period"] = {"first": fact.period.first, "last": fact.period.last,
                            "text": fact.period.span.text}
    return json.dumps(detail, ensure_ascii=False)


def _as_users_record(fact: Fact) -> Fact:
    """A note (or a meeting the user logged): its events and interests are the contact's."""
    if fact.kind in ("event", "interest"):
        fact.whose = "them"
    return fact


def insert_facts(conn: sqlite3.Connection, contact_id: int, source: str, facts: list[Fact],
                 stated_at: str, *, interaction_id: int | None = None,
                 note_id: int | None = None) -> list[int]:
    """Insert the facts read from one source; return the ids of those not stored before."""
    if not facts:      # most messages (an import asks 200,000 times)
        return []
    now = utc_now()
    new = []
    for fact in facts:
        row = conn.execute(_INSERT, {
            "contact_id": contact_id, "interaction_id": interaction_id, "note_id": note_id,
            "capture_id": None, "source": source, "kind": fact.kind, "whose": fact.whose,
            "label": fact.label or "", "lang": fact.lang, "span_start": fact.span.start,
            "span_end": fact.span.end, "span_text": fact.span.text, "due": fact.due,
            "event_date": fact.event_date, "detail": _detail(fact), "stated_at": stated_at,
            "created_at": now}).fetchone()
        if row is not None:
            new.append(row[0])
    return new


def read_interaction(text: str, direction: str, occurred_at: str,
                     local_hint: str | None = None) -> list[Fact]:
    """The facts of one stored interaction's text (see the module docstring for ``both``)."""
    sent_at = sent_at_for_reading(occurred_at, local_hint)
    if direction in ("in", "out"):
        return analyze_message(text, direction, sent_at)
    return [_as_users_record(f) for f in analyze_message(text, "out", sent_at)]


@dataclass
class Analysis:
    facts: dict[int, list[int]]          # contact → ids of the facts new in this analysis
    interactions: dict[int, list[int]]   # contact → the interactions read


# An interaction as read for facts: id, contact, direction, occurred_at, text, and the capture's
# local time (the hint sent_at_for_reading takes), or None.
Stored = tuple[int, int, str, str, "str | None", "str | None"]


def load_interactions(conn: sqlite3.Connection, interaction_ids: list[int]) -> list[Stored]:
    cursor = conn.cursor()
    cursor.row_factory = None     # plain tuples: an import reads 200,000
    rows: list[Stored] = []
    for part in chunks(sorted(set(interaction_ids))):
        marks = ",".join("?" * len(part))
        rows += cursor.execute(
            "SELECT i.id, i.contact_id, i.direction, i.occurred_at, i.text,"
            " c.captured_at_local FROM interactions i"
            " LEFT JOIN captures c ON c.id = i.capture_id"
            f" WHERE i.id IN ({marks})", part).fetchall()
    return rows


def analyze_interactions(conn: sqlite3.Connection, interaction_ids: list[int],
                         reader=None, rows: list[Stored] | None = None) -> Analysis:
    """Read each interaction's text and store its facts (``source = 'interaction:<id>'``).

    Interactions without text (a meeting logged without a word) add no facts. Every contact
    whose interactions were read has an entry in both maps (maybe empty), so callers know whose
    state to refresh. ``reader`` reads a list of (text, direction, occurred_at, local hint) for
    facts, in order: reader_pool.ReaderPool for a bulk import, else one at a time here.
    ``rows``: the interactions as ``load_interactions`` gives them, when the caller has them
    already (an importer that has just written them); else they are read by id.
    """
    if rows is None:
        rows = load_interactions(conn, interaction_ids)
    by_contact: dict[int, list[int]] = defaultdict(list)
    read: dict[int, list[int]] = defaultdict(list)
    with_text = []
    for row in rows:
        by_contact[row[1]]        # an entry for every contact read
        read[row[1]].append(row[0])
        if row[4] and row[4].strip():
            with_text.append(row)
    items = [(r[4], r[2], r[3], r[5]) for r in with_text]
    all_facts = (reader(items) if reader is not None
                 else [read_interaction(*item) for item in items])
    found = [(row[1], row[0], facts, row[3]) for row, facts in zip(with_text, all_facts) if facts]
    for contact_id, fact_ids in insert_interaction_facts(conn, found).items():
        by_contact[contact_id] += fact_ids
    return Analysis(dict(by_contact), dict(read))


def insert_interaction_facts(conn: sqlite3.Connection,
                             found: list[tuple[int, int, list[Fact], str]]
                             ) -> dict[int, list[int]]:
    """Store the facts of many interactions at once, each entry (contact, interaction, facts,
    stated_at); return the ids of those not stored before, by contact.

    One executemany: an import stores ~70,000 facts, and a statement per fact was a tenth of
    its time. The new ids are those above the largest before it: the caller's write
    transaction holds the database, and a table without AUTOINCREMENT gives a new row the
    largest id + 1 (https://www.sqlite.org/autoinc.html)."""
    if not found:
        return {}
    if not conn.in_transaction:   # the ids above MAX(id) are ours only inside one
        raise RuntimeError("insert_interaction_facts needs the caller's write transaction")
    now = utc_now()
    params = [
        (contact_id, interaction_id, None, None, f"interaction:{interaction_id}", fact.kind,
         fact.whose, fact.label or "", fact.lang, fact.span.start, fact.span.end,
         fact.span.text, fact.due, fact.event_date, _detail(fact), stated_at, now)
        for contact_id, interaction_id, facts, stated_at in found for fact in facts]
    before = conn.execute("SELECT COALESCE(MAX(id), 0) FROM facts").fetchone()[0]
    conn.executemany(_INSERT_MANY, params)
    new: dict[int, list[int]] = defaultdict(list)
    for fact_id, contact_id in conn.execute(
            "SELECT id, contact_id FROM facts WHERE id > ? ORDER BY id", (before,)):
        new[contact_id].append(fact_id)
    return dict(new)


def analyze_note(conn: sqlite3.Connection, note_id: int) -> tuple[int, list[int]] | None:
    """Store the facts of one note (``source = 'note:<id>'``); return (contact, new fact ids)."""
    row = conn.execute("SELECT id, contact_id, body, created_at FROM notes WHERE id = ?",
                       (note_id,)).fetchone()
    if row is None:
        return None
    facts = [_as_users_record(f) for f in
             analyze_message(row["body"], "out", sent_at_for_reading(row["created_at"]))]
    return row["contact_id"], insert_facts(conn, row["contact_id"], f"note:{row['id']}", facts,
                                           row["created_at"], note_id=row["id"])
