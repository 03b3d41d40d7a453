"""Reading what suggestions rest on: open facts in a time window, each contact's relationship
state, and what the user did with earlier suggestions. Plain SQL on the indexes of
migrations/0004_followup.sql and 0001_initial.sql; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterator

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from companion.db import Database
from companion.services.followup.suggest_model import FactRef, FactSource

_FACT_COLUMNS = ("f.id, f.contact_id, f.interaction_id, f.note_id, f.capture_id, f.source,"
                 " f.kind, f.whose, f.label, f.lang, f.span_text, f.due, f.event_date, f.detail,"
                 " f.status, f.stated_at, CASE WHEN f.kind IN ('event', 'change') THEN"
                 " (SELECT i.direction FROM interactions i WHERE i.id = f.interaction_id)"
                 " END AS said_in")


@dataclass(frozen=True)
class Windows:
    """How far back and ahead a fact still makes a suggestion (days)."""

    promise_overdue: int = 30     # a promise overdue longer than this is stale for today's list
    promise_ahead: int = 7        # due within the next week: time to keep it
    promise_undated: int = 21     # "I'll send it" with no date, said within three weeks
    question: int = 30            # an unanswered question, asked within a month
    news: int = 30                # a change or event stated within a month
    event_ahead: int = 30         # an event dated within the next month
    event_past: int = 14          # ... or within the last two weeks ("how did it go?")
    met: int = 14                 # met or saved within two weeks, not written to since
    need: int = 45                # a stated need, for introductions
    interest: int = 365           # interests that count as someone's offer


TODAY_WINDOWS = Windows()
# A person's own list shows everything still open that is not long past.
CONTACT_WINDOWS = Windows(promise_overdue=365, promise_ahead=3650, promise_undated=180,
                          question=180, news=120, event_ahead=365, event_past=30, met=30,
                          need=120)


@dataclass(slots=True)
class ContactState:
    id: int
    name: str
    family_name: str | None
    given_name: str | None
    tier: str | None
    last_two_way_at: str | None   # the store's value, else the last message or meeting from them
    created_at: str
    last_met: tuple[str, str] | None = None   # (occurred_at, kind) of a recent meeting
    last_in: str | None = None    # their newest message
    last_out: str | None = None   # my newest message to them
    facts: list[FactRef] = field(default_factory=list)


@dataclass(slots=True)
class Action:
    key: str
    contact_id: int | None
    reason: str
    action: str                   # done | snoozed | dismissed
    until: str | None


def iso(day: date) -> str:
    return day.isoformat()


def fact_ref(row: sqlite3.Row | tuple) -> FactRef:
    """A fact from a row of ``_FACT_COLUMNS`` (by position: tens of thousands are read for
    today's list)."""
    (fact_id, contact_id, interaction_id, note_id, capture_id, source_key, kind, whose, label,
     lang, span, due, event_date, raw, status, stated_at, said_in) = row
    if interaction_id is not None:
        source = FactSource("interaction", interaction_id, stated_at)
    elif note_id is not None:
        source = FactSource("note", note_id, stated_at)
    else:
        prefix, _, ident = (source_key or "").partition(":")
        source = FactSource(prefix or "capture", capture_id if capture_id is not None
                            else (int(ident) if ident.isdigit() else None), stated_at)
    # A promise's, question's or event's detail (the date expression) is only shown, never
    # used for ranking: it is parsed when the suggestion is kept (``hydrate``).
    lazy = kind in ("promise", "question", "event")
    ref = _LoadedFact(fact_id, contact_id, kind, whose, label or "", lang, span or "", due,
                      event_date, stated_at, status, source,
                      {} if lazy else _parse(raw or "{}"), said_in)
    ref._raw_detail = (raw or "{}") if lazy else None
    return ref


class _LoadedFact(FactRef):
    """A FactRef read from the store, with room for its detail's unparsed JSON (not a field:
    it never reaches the API)."""

    __slots__ = ("_raw_detail",)


def _parse(raw: str) -> dict:
    try:
        detail = json.loads(raw)
    except ValueError:
        return {}
    return detail if isinstance(detail, dict) else {}


def hydrate(fact: FactRef) -> FactRef:
    """Parse a fact's detail left unparsed by ``fact_ref``."""
    raw = getattr(fact, "_raw_detail", None)
    if raw is not None:
        fact.detail = _parse(raw)
        fact._raw_detail = None
    return fact


def candidate_facts(db: Database, today: date, windows: Windows,
                    contact_id: int | None = None) -> Iterator[FactRef]:
    """Open facts that may make a suggestion now: promises, questions, events and changes
    inside the windows, and for today's whole list also their interests of the last year (the
    offer index of introductions takes them from this pass). One pass over ``facts`` for the
    whole list (a plain scan: ``+`` keeps SQLite from walking the status index and fetching
    half the table row by row); for one contact, through its index."""
    params = {
        "promise_from": iso(today - timedelta(days=windows.promise_overdue)),
        "promise_to": iso(today + timedelta(days=windows.promise_ahead)),
        "undated_since": iso(today - timedelta(days=windows.promise_undated)),
        "question_since": iso(today - timedelta(days=windows.question)),
        "news_since": iso(today - timedelta(days=windows.news)),
        "event_from": iso(today - timedelta(days=windows.event_past)),
        "event_to": iso(today + timedelta(days=windows.event_ahead)),
        "tomorrow": iso(today + timedelta(days=1)),
        "interest_since": iso(today - timedelta(days=windows.interest)),
    }
    where_contact = "+f.status = 'open'"
    if contact_id is not None:
        where_contact = "f.contact_id = :contact AND f.status = 'open'"
        params["contact"] = contact_id
    sql = (f"SELECT {_FACT_COLUMNS} FROM facts f WHERE {where_contact}"
           " AND f.stated_at < :tomorrow AND ("
           " (f.kind = 'promise' AND (f.whose = 'me' OR f.label = 'proposal') AND ("
           "    f.due BETWEEN :promise_from AND :promise_to"
           "    OR (f.due IS NULL AND f.stated_at >= :undated_since)))"
           " OR (f.kind = 'question' AND f.whose = 'them' AND f.stated_at >= :question_since)"
           " OR (f.kind IN ('event', 'change') AND f.whose = 'them' AND ("
           "    f.event_date BETWEEN :event_from AND :event_to OR f.stated_at >= :news_since))"
           + (" OR (f.kind = 'interest' AND f.label = 'need' AND f.whose = 'them'"
              "     AND f.stated_at >= :interest_since)" if contact_id is not None else
              " OR (f.kind = 'interest' AND f.whose = 'them' AND f.stated_at >= :interest_since)")
           + ")")
    cursor = db.connect().cursor()
    cursor.row_factory = None      # plain tuples: faster than sqlite3.Row for this many rows
    # one at a time: the caller keeps the few that make a suggestion, not tens of thousands
    return (fact_ref(r) for r in cursor.execute(sql, params))


def contact_states(db: Database, today: date, windows: Windows,
                   contact_id: int | None = None) -> dict[int, ContactState]:
    """Each contact's tier, last two-way exchange and recent meeting.

    ``last_two_way_at`` is the store's; where it is not set yet, the last message or meeting
    that came from them (a message of mine that got no answer does not count).
    """
    params: dict = {"met_since": iso(today - timedelta(days=windows.met)),
                    "tomorrow": iso(today + timedelta(days=1))}
    where = ""
    if contact_id is not None:
        where = " WHERE c.id = :contact"
        params["contact"] = contact_id
    sql = ("SELECT c.id, c.display_name, c.family_name, c.given_name, c.tier, c.created_at,"
           " COALESCE(c.last_two_way_at, (SELECT i.occurred_at FROM interactions i"
           "   WHERE i.contact_id = c.id AND i.direction IN ('in', 'both')"
           "   AND i.occurred_at < :tomorrow ORDER BY i.occurred_at DESC LIMIT 1))"
           "   AS last_two_way_at,"
           " (SELECT i.occurred_at || '|' || i.kind FROM interactions i"
           "   WHERE i.contact_id = c.id AND i.occurred_at >= :met_since"
           "   AND i.occurred_at < :tomorrow AND i.kind IN ('meeting', 'call', 'event')"
           "   ORDER BY i.occurred_at DESC LIMIT 1) AS last_met,"
           " (SELECT i.occurred_at FROM interactions i WHERE i.contact_id = c.id"
           "   AND i.direction = 'in' AND i.occurred_at < :tomorrow"
           "   ORDER BY i.occurred_at DESC LIMIT 1) AS last_in,"
           " (SELECT i.occurred_at FROM interactions i WHERE i.contact_id = c.id"
           "   AND i.direction = 'out' AND i.occurred_at < :tomorrow"
           "   ORDER BY i.occurred_at DESC LIMIT 1) AS last_out"
           f" FROM contacts c{where}")
    out = {}
    for r in db.execute(sql, params):    # row by row: 10,000 rows at once were 5 MB more
        met = tuple(r["last_met"].split("|", 1)) if r["last_met"] else None
        out[r["id"]] = ContactState(r["id"], r["display_name"], r["family_name"],
                                    r["given_name"], r["tier"], r["last_two_way_at"],
                                    r["created_at"], met, last_in=r["last_in"],
                                    last_out=r["last_out"])
    return out


def wrote_since(db: Database, contact_id: int, since: str) -> bool:
    """Did the user write to this person after ``since``?"""
    return db.query_one(
        "SELECT 1 FROM interactions WHERE contact_id = ? AND occurred_at > ?"
        " AND direction IN ('out', 'both') LIMIT 1", (contact_id, since)) is not None


def first_interaction(db: Database, contact_id: int) -> str | None:
    row = db.query_one("SELECT MIN(occurred_at) FROM interactions WHERE contact_id = ?",
                       (contact_id,))
    return row[0] if row else None


def actions(db: Database, contact_id: int | None = None) -> dict[str, Action]:
    sql = "SELECT suggestion_key, contact_id, reason, action, until FROM suggestion_actions"
    params: tuple = ()
    if contact_id is not None:
        sql += " WHERE contact_id = ? OR suggestion_key LIKE ?"
        params = (contact_id, f"intro:%:{contact_id}")
    return {r[0]: Action(*r) for r in db.query_all(sql, params)}


def memory_facts(db: Database, contact_id: int, limit: int = 100) -> list[FactRef]:
    """A person's facts of any status, newest first: what a reconnecting draft can recall."""
    rows = db.query_all(
        f"SELECT {_FACT_COLUMNS} FROM facts f WHERE f.contact_id = ?"
        " AND f.status != 'dismissed' ORDER BY f.stated_at DESC, f.id DESC LIMIT ?",
        (contact_id, limit))
    return [fact_ref(r) for r in rows]


def fact_by_id(db: Database, fact_id: int) -> FactRef | None:
    row = db.query_one(f"SELECT {_FACT_COLUMNS} FROM facts f WHERE f.id = ?", (fact_id,))
    return hydrate(fact_ref(row)) if row else None


@dataclass
class Profile:
    """What a draft and the template guard know about a person besides facts."""

    id: int
    display_name: str
    family_name: str | None
    given_name: str | None
    reading: str | None
    headline: str | None
    organisation: str | None
    title: str | None
    location: str | None
    bio: str | None
    career: dict | None
    tier: str | None
    handles: list[str]

    def names(self) -> list[str]:
        """Every way the person's name may be written, longest first (for masking)."""
        found = {self.display_name, self.family_name, self.given_name, self.reading,
                 *(self.display_name or "").split(), *(self.reading or "").split(),
                 *self.handles}
        return sorted((n for n in found if n and len(n) >= 2), key=len, reverse=True)


def profile(db: Database, contact_id: int) -> Profile | None:
    row = db.query_one(
        "SELECT id, display_name, family_name, given_name, reading, headline, organisation,"
        " title, location, bio, career, tier FROM contacts WHERE id = ?", (contact_id,))
    if row is None:
        return None
    try:
        career = json.loads(row["career"]) if row["career"] else None
    except ValueError:
        career = None
    handles = [r[0] for r in db.query_all(
        "SELECT handle FROM identities WHERE contact_id = ? AND handle IS NOT NULL",
        (contact_id,))]
    return Profile(row["id"], row["display_name"], row["family_name"], row["given_name"],
                   row["reading"], row["headline"], row["organisation"], row["title"],
                   row["location"], row["bio"], career if isinstance(career, dict) else None,
                   row["tier"], handles)


def recent_texts(db: Database, contact_id: int, direction: str | None = None,
                 limit: int = 3) -> list[str]:
    """The newest message texts with this person (``direction`` in / out / None for both)."""
    if direction is None:
        rows = db.query_all(
            "SELECT text FROM interactions WHERE contact_id = ? AND text IS NOT NULL"
            " ORDER BY occurred_at DESC LIMIT ?", (contact_id, limit))
    else:
        rows = db.query_all(
            "SELECT text FROM interactions WHERE contact_id = ? AND direction = ?"
            " AND text IS NOT NULL ORDER BY occurred_at DESC LIMIT ?",
            (contact_id, direction, limit))
    return [r[0] for r in rows]


def note_texts(db: Database, contact_id: int, limit: int = 20) -> list[str]:
    return [r[0] for r in db.query_all(
        "SELECT body FROM notes WHERE contact_id = ? ORDER BY updated_at DESC LIMIT ?",
        (contact_id, limit))]
