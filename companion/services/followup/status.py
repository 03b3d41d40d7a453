"""Open, kept, answered: a fact's status from what happened after it.

* A **commitment** (promise, label ``commitment``) is ``kept`` by a later message from the same
  side (mine: a later ``out`` message; theirs: a later ``in`` message) that reports it done and
  is about the same thing — kept.py has the heuristic.
* A **proposal** ("let's get coffee", 来月飲みに行きましょう) is ``kept`` by a later meeting, call,
  or event both attended, logged for the contact.
* Either must come within 90 days of the promise, or within 30 days after its due date when
  that is later: a report of "the deck sent" a year on is about another deck.
* A **question** whose = ``them`` is ``answered`` once any later ``out`` message (or a later
  meeting, call or event logged with direction ``both``) exists for the contact; a question of
  mine once a later ``in`` message (or such a meeting) exists. Questions read from notes are not
  answered automatically.

"Later" is by time, then by id (a run of messages shown under one time keeps its order). The
status then records what did it: ``status_source = 'interaction:<id>'``, ``status_at`` = that
interaction's time. Only facts the user has never set are changed here: once the user marks a
fact done, open or dismissed (``status_source = 'user'``), the automatic rules leave it alone.

A kept commitment gets a ledger entry (ledger.py).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

from companion.services.followup import ledger
from companion.services.followup.kept import content_terms, done_reports, keeps
from companion.services.followup.store import chunks

MEETING_KINDS = ("meeting", "call")
KEEP_WITHIN_DAYS = 90        # after the promise was made...
KEEP_AFTER_DUE_DAYS = 30     # ...or after its due date, whichever is later
_LAST = 1 << 62   # a note is later than every interaction at the same time


@dataclass(frozen=True)
class _Interaction:
    id: int
    kind: str
    direction: str
    occurred_at: str
    text: str | None

    @property
    def order(self) -> tuple[str, int]:
        return (self.occurred_at, self.id)


def _fact_order(fact: sqlite3.Row) -> tuple[str, int]:
    if fact["interaction_id"] is not None:
        return (fact["stated_at"], fact["interaction_id"])
    return (fact["stated_at"], _LAST)


def _answers(fact: sqlite3.Row, later: _Interaction) -> bool:
    if later.direction == "both":
        return later.kind in MEETING_KINDS or later.kind == "event"
    return later.direction == ("out" if fact["whose"] == "them" else "in")


def _meets(later: _Interaction) -> bool:
    return later.kind in MEETING_KINDS or (later.kind == "event" and later.direction == "both")


def _interactions(conn: sqlite3.Connection, contact_id: int, since: str | None,
                  only: set[int] | None) -> list[_Interaction]:
    rows: list[sqlite3.Row] = []
    if only is not None:
        for part in chunks(sorted(only)):
            marks = ",".join("?" * len(part))
            rows += conn.execute(
                "SELECT id, kind, direction, occurred_at, text FROM interactions"
                f" WHERE contact_id = ? AND id IN ({marks})", [contact_id, *part]).fetchall()
    else:
        rows = conn.execute(
            "SELECT id, kind, direction, occurred_at, text FROM interactions"
            " WHERE contact_id = ? AND occurred_at >= ?", (contact_id, since or "")).fetchall()
    found = [_Interaction(r["id"], r["kind"], r["direction"], r["occurred_at"], r["text"])
             for r in rows]
    found.sort(key=lambda i: i.order)
    return found


def _promise_terms(conn: sqlite3.Connection, fact: sqlite3.Row) -> frozenset[str]:
    """What a promise is about: its own sentence, else the other side's last message before it
    (the request it answers), else the rest of its own message."""
    terms = content_terms(fact["span_text"] or "")
    if terms or fact["interaction_id"] is None:
        return terms
    source = conn.execute("SELECT contact_id, direction, occurred_at, text FROM interactions"
                          " WHERE id = ?", (fact["interaction_id"],)).fetchone()
    if source is None:
        return terms
    other = "in" if source["direction"] == "out" else "out"
    before = conn.execute(
        "SELECT text FROM interactions WHERE contact_id = ? AND direction = ?"
        " AND (occurred_at < ? OR (occurred_at = ? AND id < ?)) AND text IS NOT NULL"
        " ORDER BY occurred_at DESC, id DESC LIMIT 1",
        (source["contact_id"], other, source["occurred_at"], source["occurred_at"],
         fact["interaction_id"])).fetchone()
    if before is not None:
        terms = content_terms(before["text"])
    return terms or content_terms(source["text"] or "")


def _keep_until(fact: sqlite3.Row) -> str:
    """The last day (ISO, inclusive) a report or meeting can keep this promise."""
    until = date.fromisoformat(fact["stated_at"][:10]) + timedelta(days=KEEP_WITHIN_DAYS)
    if fact["due"]:
        until = max(until, date.fromisoformat(fact["due"]) + timedelta(days=KEEP_AFTER_DUE_DAYS))
    return until.isoformat()


def _set(conn: sqlite3.Connection, fact_id: int, status: str, by: _Interaction) -> None:
    conn.execute("UPDATE facts SET status = ?, status_at = ?, status_source = ? WHERE id = ?",
                 (status, by.occurred_at, f"interaction:{by.id}", fact_id))


def refresh_statuses(conn: sqlite3.Connection, contact_id: int, *,
                     new_interactions: set[int] | None = None,
                     new_facts: set[int] | None = None) -> list[int]:
    """Check the contact's open promises and questions against later interactions; return the
    ids of facts whose status changed.

    With neither argument every open fact is checked against every later interaction (goen
    reparse). After a capture, only what is new is checked: every open fact against the new
    interactions, and the new facts against every interaction after them.
    """
    full = new_interactions is None and new_facts is None
    new_interactions = new_interactions or set()
    new_facts = new_facts or set()
    facts = conn.execute(
        "SELECT id, kind, whose, label, span_text, interaction_id, note_id, stated_at, due"
        " FROM facts"
        " WHERE contact_id = ? AND status = 'open' AND status_source IS NULL"
        " AND kind IN ('promise', 'question')", (contact_id,)).fetchall()
    facts = [f for f in facts if not (f["kind"] == "question" and f["interaction_id"] is None)]
    if not facts or not (full or new_interactions or new_facts):
        return []
    fresh = [f for f in facts if f["id"] in new_facts]
    pool: dict[int, _Interaction] = {}
    if full or fresh:
        since = min(f["stated_at"] for f in (facts if full else fresh))
        pool.update((i.id, i) for i in _interactions(conn, contact_id, since, None))
    if new_interactions:
        pool.update((i.id, i) for i in _interactions(conn, contact_id, None, new_interactions))
    # Each fact is checked against the interactions after it: a tail of the pool in time order,
    # found by bisection (a filter over the whole pool per fact was quadratic: a busy tie has
    # ~1,000 open promises, and an import refreshes it once per batch).
    reports = _Reports()
    everything = _Pool(sorted(pool.values(), key=lambda i: i.order), reports)
    only_new = _Pool([i for i in everything.items if i.id in new_interactions], reports)
    open_commitments = {side: sum(1 for f in facts if f["kind"] == "promise"
                                  and f["label"] == "commitment" and f["whose"] == side)
                        for side in ("me", "them")}
    changed = []
    for fact in sorted(facts, key=_fact_order):
        checking_all = full or fact["id"] in new_facts
        by = _first_that_settles(conn, fact, everything if checking_all else only_new,
                                 open_commitments)
        if by is None:
            continue
        status = "answered" if fact["kind"] == "question" else "kept"
        _set(conn, fact["id"], status, by)
        changed.append(fact["id"])
        if status == "kept":
            ledger.sync_for_fact(conn, fact["id"])
            if fact["label"] == "commitment":
                open_commitments[fact["whose"]] -= 1
    return changed


class _Reports(dict):
    """Whether an interaction reports something done, asked once per interaction in one refresh
    (then once per text across refreshes, by ``_reports``)."""

    def of(self, interaction: _Interaction) -> bool:
        value = self.get(interaction.id)
        if value is None:
            value = self[interaction.id] = bool(interaction.text) and _reports(interaction.text)
        return value


class _Pool:
    """Interactions in time order, with the tail after a given point, all of them or only one
    side's messages that report something done (each list made once per refresh)."""

    def __init__(self, items: list[_Interaction], reports: _Reports):
        self.items = items
        self.orders = [i.order for i in items]
        self._reports = reports
        self._reporting: dict[str, tuple[list[_Interaction], list]] = {}

    def after(self, order: tuple) -> Iterator[_Interaction]:
        return itertools.islice(self.items, bisect.bisect_right(self.orders, order), None)

    def meetings_after(self, order: tuple) -> Iterator[_Interaction]:
        found = self._reporting.get("meetings")
        if found is None:
            items = [i for i in self.items if _meets(i)]
            found = self._reporting["meetings"] = (items, [i.order for i in items])
        return itertools.islice(found[0], bisect.bisect_right(found[1], order), None)

    def reporting_after(self, side: str, order: tuple) -> Iterator[_Interaction]:
        found = self._reporting.get(side)
        if found is None:
            items = [i for i in self.items if i.direction == side and self._reports.of(i)]
            found = self._reporting[side] = (items, [i.order for i in items])
        return itertools.islice(found[0], bisect.bisect_right(found[1], order), None)


def _first_that_settles(conn: sqlite3.Connection, fact: sqlite3.Row, pool: _Pool,
                        open_commitments: dict[str, int]) -> _Interaction | None:
    after = _fact_order(fact)
    if fact["kind"] == "question":
        return next((i for i in pool.after(after) if _answers(fact, i)), None)
    until = _keep_until(fact)

    def within(interactions: Iterator[_Interaction]) -> Iterator[_Interaction]:
        # in time order: the ones within the keeping window are a prefix
        return itertools.takewhile(lambda i: i.occurred_at[:10] <= until, interactions)

    if fact["label"] == "proposal":
        return next(within(pool.meetings_after(after)), None)
    side = "out" if fact["whose"] == "me" else "in"
    # only a message that reports something done can keep a promise (``keeps``): asked once
    # per message, not once per open promise (a busy tie has about a thousand)
    same_side = list(within(pool.reporting_after(side, after)))
    if not same_side:
        return None
    terms = _promise_terms(conn, fact)
    only_one = open_commitments.get(fact["whose"], 0) == 1
    return next((i for i in same_side if keeps(terms, i.text, only_one)), None)


_KNOWN_REPORTS: dict[str, bool] = {}   # text → reports something done (see remember_reports)
KNOWN_REPORTS_MAX = 50_000


def remember_reports(answers: list[tuple[str, bool]]) -> None:
    """Answers read elsewhere (a bulk import's worker processes read every message's text once,
    reader_pool.py), so the refresh that follows need not read them again. Forgotten wholesale
    when there are too many: they are only a shortcut."""
    if len(_KNOWN_REPORTS) + len(answers) > KNOWN_REPORTS_MAX:
        _KNOWN_REPORTS.clear()
    _KNOWN_REPORTS.update(answers[:KNOWN_REPORTS_MAX])


def reports_something_done(text: str) -> bool:
    return bool(done_reports(text))


@functools.lru_cache(maxsize=4096)
def _read_reports(text: str) -> bool:
    return reports_something_done(text)


def _reports(text: str) -> bool:
    known = _KNOWN_REPORTS.get(text)
    return _read_reports(text) if known is None else known
