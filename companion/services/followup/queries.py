"""Reading facts with their sources, and the user's own word on a fact's status.

Every fact is returned with where it comes from, so whatever shows a fact (the web view, a
suggestion) can link to it: ``{"type": "interaction" | "note" | "capture", "id", "occurred_at",
"platform", "snippet"}``. The snippet is the source's text around the fact's span (at most 140
characters), or for a change "title: old → new".
"""

from __future__ import annotations

import json
import sqlite3

from companion.db import Database, utc_now
from companion.errors import bad_request, not_found
from companion.model import FactInfo, FactSource, FactSpan
from companion.services.followup import ledger
from companion.services.followup.store import chunks

STATUSES = ("open", "kept", "answered", "done", "dismissed")
USER_STATUSES = ("open", "done", "dismissed")
KINDS = ("promise", "question", "event", "change", "interest")
SNIPPET_CHARS = 140

_SELECT = (
    "SELECT f.*, i.occurred_at AS i_at, i.platform AS i_platform, i.text AS i_text,"
    " n.created_at AS n_at, n.body AS n_body, c.captured_at AS c_at, c.adapter_id AS c_adapter"
    " FROM facts f LEFT JOIN interactions i ON i.id = f.interaction_id"
    " LEFT JOIN notes n ON n.id = f.note_id LEFT JOIN captures c ON c.id = f.capture_id")


def snippet_around(text: str | None, start: int, end: int, limit: int = SNIPPET_CHARS
                   ) -> str | None:
    """At most ``limit`` characters of ``text`` on one line, showing [start, end) when it can:
    the beginning when the span is in it, else a window around the span."""
    if not text:
        return None
    if len(text) <= limit:
        return " ".join(text.split())
    if end <= limit - 1:
        return " ".join(text[:limit - 1].split()) + "…"
    width = limit - 2                      # room between the two ellipses
    room = max(0, width - (end - start))
    left = max(0, min(start - room // 2, len(text) - width))
    suffix = "…" if left + width < len(text) else ""
    return "…" + " ".join(text[left:left + width].split()) + suffix


def _source(row: sqlite3.Row) -> FactSource:
    kind, _, ident = row["source"].partition(":")
    ident_int = int(ident) if ident.isdigit() else None
    if kind == "interaction":
        return FactSource("interaction", ident_int, row["i_at"], row["i_platform"],
                          snippet_around(row["i_text"], row["span_start"], row["span_end"] or 0))
    if kind == "note":
        return FactSource("note", ident_int, row["n_at"], None,
                          snippet_around(row["n_body"], row["span_start"], row["span_end"] or 0))
    detail = json.loads(row["detail"] or "{}")
    text = (f"{detail.get('field')}: {detail.get('old')} → {detail.get('new')}"
            if detail.get("field") else None)
    return FactSource("capture", ident_int, row["c_at"] or row["stated_at"], row["c_adapter"],
                      text)


def fact_info(row: sqlite3.Row) -> FactInfo:
    span = (FactSpan(row["span_start"], row["span_end"], row["span_text"])
            if row["span_start"] >= 0 else None)
    return FactInfo(
        id=row["id"], contact_id=row["contact_id"], kind=row["kind"], whose=row["whose"],
        label=row["label"] or None, lang=row["lang"], span=span, due=row["due"],
        event_date=row["event_date"], detail=json.loads(row["detail"] or "{}"),
        status=row["status"], status_at=row["status_at"], status_source=row["status_source"],
        stated_at=row["stated_at"], source=_source(row))


def _choices(raw: list[str], allowed: tuple[str, ...], name: str) -> list[str]:
    values = [v.strip() for item in raw for v in item.split(",") if v.strip()]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise bad_request(f"{name} must be among {', '.join(allowed)}.", name)
    return values


def list_facts(db: Database, contact_id: int, statuses: list[str] | None = None,
               kinds: list[str] | None = None) -> list[FactInfo]:
    """A contact's facts, newest first; ``statuses`` and ``kinds`` (lists, or comma-separated
    items) narrow them."""
    if db.query_one("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)) is None:
        raise not_found(f"No contact with id {contact_id}.")
    where, params = ["f.contact_id = ?"], [contact_id]
    for values, column in ((_choices(statuses or [], STATUSES, "status"), "status"),
                           (_choices(kinds or [], KINDS, "kind"), "kind")):
        if values:
            where.append(f"f.{column} IN ({','.join('?' * len(values))})")
            params += values
    rows = db.query_all(f"{_SELECT} WHERE {' AND '.join(where)}"
                        " ORDER BY f.stated_at DESC, f.id DESC", params)
    return [fact_info(r) for r in rows]


def facts_by_id(conn: sqlite3.Connection, fact_ids: list[int]) -> dict[int, FactInfo]:
    """Facts with their sources, by id (for whatever cites them)."""
    found: dict[int, FactInfo] = {}
    for part in chunks(sorted(set(fact_ids))):
        marks = ",".join("?" * len(part))
        for row in conn.execute(f"{_SELECT} WHERE f.id IN ({marks})", part).fetchall():
            found[row["id"]] = fact_info(row)
    return found


def set_status(db: Database, fact_id: int, data: object) -> FactInfo:
    """The user's word: ``{"status": "done" | "open" | "dismissed"}``. Automatic rules never
    change the status afterwards (``status_source = 'user'``)."""
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.")
    unknown = set(data) - {"status"}
    if unknown:
        raise bad_request(f"Fields that cannot be changed: {', '.join(sorted(unknown))}.",
                          sorted(unknown)[0])
    status = data.get("status")
    if status not in USER_STATUSES:
        raise bad_request(f"status must be one of {', '.join(USER_STATUSES)}.", "status")
    with db.transaction() as conn:
        if conn.execute("UPDATE facts SET status = ?, status_at = ?, status_source = 'user'"
                        " WHERE id = ?", (status, utc_now(), fact_id)).rowcount == 0:
            raise not_found(f"No fact with id {fact_id}.")
        ledger.sync_for_fact(conn, fact_id)
        return facts_by_id(conn, [fact_id])[fact_id]
