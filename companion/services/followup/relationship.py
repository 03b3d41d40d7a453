"""Relationship state: the last two-way exchange and a proposed tier, from the interactions.

**Part of an exchange.** A meeting, call or event both attended (direction ``both``) always is.
A message of mine (``out``) is when they wrote after it: a message I sent that got no answer
does not reset the clock. A message of theirs (``in``) is when it answers me (the message
before it is mine) or I answered it (the message after it is mine). ``last_two_way_at`` is the
time of the latest interaction that is part of an exchange.

**Exchange days** are the days (UTC) with at least one interaction that is part of an exchange.
The proposed tier follows their pattern, matched to the default cadences (settings.py):

| tier | proposed when | default cadence |
| --- | --- | --- |
| inner | 6 or more exchange days in the last 90 days (about every two weeks) | 14 days |
| close | 3 or more in the last 90 days (about monthly) | 30 days |
| active | at least one in the last 90 days, or 3 or more in the last 365 | 90 days |
| wide | at least one in the last 365 days, or the contact was added in the last 365 | 180 days |
| dormant | none of these | 365 days |

A tier the user chose (``tier_source = 'user'``) is never replaced; clearing it (``tier: null``)
returns the contact to the proposal. The proposal is recomputed after every capture or
hand-logged interaction of the contact; ``refresh_all`` recomputes every contact (time passing
alone moves people outward).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

from companion.db import Database

TIERS = ("inner", "close", "active", "wide", "dormant")
NEW_CONTACT_TIER = "wide"   # just added, nothing exchanged yet: the wider network
RECENT_DAYS, YEAR_DAYS = 90, 365
INNER_MIN_RECENT, CLOSE_MIN_RECENT, ACTIVE_MIN_YEAR = 6, 3, 3


def clock() -> datetime:
    """Now, in UTC (a function, so a test can hold time still)."""
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def _in_exchange(directions: list[str]) -> list[bool]:
    """For interactions in time order (their directions): is each part of an exchange (module
    docstring)?"""
    flags = [False] * len(directions)
    later_in = False
    next_dir: str | None = None
    prev_dir: str | None = None   # the nearest earlier direction that is not "both"
    earlier: list[str | None] = []
    for direction in directions:
        earlier.append(prev_dir)
        if direction != "both":
            prev_dir = direction
    for k in range(len(directions) - 1, -1, -1):   # newest first: what came after is known
        direction = directions[k]
        if direction == "both":
            flags[k] = True
            continue
        if direction == "out":
            flags[k] = later_in
        else:
            flags[k] = next_dir == "out" or earlier[k] == "out"
            later_in = True
        next_dir = direction
    return flags


def last_two_way_at(conn: sqlite3.Connection, contact_id: int) -> str | None:
    """The latest interaction that is part of an exchange. Read newest first, a page at a time:
    the answer is nearly always among the last few."""
    page = 64
    while True:
        rows = conn.execute(
            "SELECT direction, occurred_at FROM interactions WHERE contact_id = ?"
            " ORDER BY occurred_at DESC, id DESC LIMIT ?", (contact_id, page + 1)).fetchall()
        ordered = rows[::-1]
        flags = _in_exchange([r["direction"] for r in ordered])
        # the oldest row read may lack its predecessor: trust only the rows after it, unless
        # this is the whole history
        complete = len(rows) <= page
        for k in range(len(ordered) - 1, -1 if complete else 0, -1):
            if flags[k]:
                return ordered[k]["occurred_at"]
        if complete:
            return None
        page *= 4


def exchange_days(conn: sqlite3.Connection, contact_id: int, since: str) -> list[str]:
    """The days (UTC, ISO dates) since ``since`` with an interaction that is part of an
    exchange, oldest first."""
    cursor = conn.cursor()
    cursor.row_factory = None     # plain tuples: a busy tie has a thousand rows a year
    rows = cursor.execute(
        "SELECT direction, occurred_at FROM interactions WHERE contact_id = ?1"
        " AND occurred_at >= (SELECT COALESCE(MAX(occurred_at), '') FROM interactions"
        "                     WHERE contact_id = ?1 AND occurred_at < ?2)"
        " ORDER BY occurred_at, id", (contact_id, since)).fetchall()
    days: list[str] = []
    for (_, occurred_at), flag in zip(rows, _in_exchange([r[0] for r in rows])):
        day = occurred_at[:10]
        if flag and occurred_at >= since and (not days or days[-1] != day):
            days.append(day)
    return days


def propose_tier(conn: sqlite3.Connection, contact_id: int, now: datetime | None = None) -> str:
    now = now or clock()
    recent_since = _iso(now - timedelta(days=RECENT_DAYS))
    year_since = _iso(now - timedelta(days=YEAR_DAYS))
    days = exchange_days(conn, contact_id, year_since)
    recent = sum(1 for d in days if d >= recent_since[:10])
    if recent >= INNER_MIN_RECENT:
        return "inner"
    if recent >= CLOSE_MIN_RECENT:
        return "close"
    if recent >= 1 or len(days) >= ACTIVE_MIN_YEAR:
        return "active"
    if days:
        return "wide"
    created = conn.execute("SELECT created_at FROM contacts WHERE id = ?",
                           (contact_id,)).fetchone()
    return "wide" if created and created[0] >= year_since else "dormant"


def refresh_relationship(conn: sqlite3.Connection, contact_id: int,
                         now: datetime | None = None) -> None:
    """Recompute last_two_way_at and the proposed tier (never a tier the user chose)."""
    conn.execute(
        "UPDATE contacts SET last_two_way_at = ?,"
        " tier = CASE WHEN tier_source = 'user' THEN tier ELSE ? END,"
        " tier_source = CASE WHEN tier_source = 'user' THEN 'user' ELSE 'proposed' END"
        " WHERE id = ?",
        (last_two_way_at(conn, contact_id), propose_tier(conn, contact_id, now), contact_id))


def refresh_all(db: Database, now: datetime | None = None, batch: int = 500) -> int:
    """Recompute every contact's relationship state, ``batch`` contacts per transaction."""
    ids = [r[0] for r in db.query_all("SELECT id FROM contacts ORDER BY id")]
    for start in range(0, len(ids), batch):
        with db.transaction() as conn:
            for contact_id in ids[start:start + batch]:
                refresh_relationship(conn, contact_id, now)
    return len(ids)
