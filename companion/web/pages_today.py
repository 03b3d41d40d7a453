"""Today (``/``): today's suggestions with why-now, their facts (linked to their sources) and
drafts (copy, and the template guard on edit); open promises, mine overdue first; questions
waiting for me; captures needing attention. And the JSON endpoints its script calls:

    POST /web/drafts/check                  {contact_id, text} → {"ok", "flags"} (the guard)
    POST /web/suggestions/<key>/<action>    done | snooze | dismiss, as the API's

The lists across all contacts are small read queries here; the suggestions, the guard and the
actions are the same services the API uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import request

from companion.model import to_dict
from companion.services.followup import guard, suggest_actions, today_kept
from companion.web.pages_common import bp, db, json_answer, language, page, read_json, render, \
    settings

SUGGESTIONS_SHOWN = today_kept.PAGE_LENGTH
PROMISES_SHOWN = 50
QUESTIONS_SHOWN = 30
CAPTURES_SHOWN = 20
SNIPPET_CHARS = 200


@dataclass
class Row:
    """One line of the promises or questions list."""

    fact_id: int
    contact_id: int
    name: str
    text: str
    whose: str
    due: str | None
    stated_at: str
    source: str            # interaction:<id> | note:<id> | capture:<id>
    overdue: bool = False

    @property
    def anchor(self) -> str:
        kind, _, ident = self.source.partition(":")
        return f"{kind}-{ident}"


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS - 1] + "…"


def open_promises(database, today: date, limit: int = PROMISES_SHOWN) -> tuple[list[Row], int]:
    """Open promises of everyone: mine overdue first (the most lately overdue first: one
    overdue for years is less pressing than yesterday's), then mine by due date (undated
    last), then theirs the same way. Read in those six parts, each in the order of the index
    facts_open_promises (migration 0014), so no part sorts every open promise."""
    day = today.isoformat()
    where = "f.status = 'open' AND f.kind = 'promise' AND f.whose = ?"
    parts = ((f"{where} AND f.due < ? ORDER BY f.due DESC, f.stated_at DESC, f.id DESC", True),
             (f"{where} AND f.due >= ? ORDER BY f.due, f.stated_at DESC, f.id DESC", True),
             (f"{where} AND f.due IS NULL ORDER BY f.stated_at DESC, f.id DESC", False))
    rows: list = []
    for whose in ("me", "them"):
        for part, dated in parts:
            if len(rows) >= limit:
                break
            rows += database.query_all(
                "SELECT f.id, f.contact_id, c.display_name, f.span_text, f.whose, f.due,"
                " f.stated_at, f.source FROM facts f INDEXED BY facts_open_promises"
                f" JOIN contacts c ON c.id = f.contact_id WHERE {part} LIMIT ?",
                (whose, *((day,) if dated else ()), limit - len(rows)))
    total = database.query_one("SELECT COUNT(*) FROM facts INDEXED BY facts_open_promises"
                               " WHERE status = 'open' AND kind = 'promise'")[0]
    return [Row(r["id"], r["contact_id"], r["display_name"], _short(r["span_text"]),
                r["whose"], r["due"], r["stated_at"], r["source"],
                overdue=bool(r["due"] and r["due"] < day)) for r in rows], total


def questions_waiting(database, limit: int = QUESTIONS_SHOWN) -> tuple[list[Row], int]:
    """Their open questions (not answered by a later message of mine), newest first (the
    index facts_waiting_questions, migration 0014)."""
    rows = database.query_all(
        "SELECT f.id, f.contact_id, c.display_name, f.span_text, f.whose, f.due, f.stated_at,"
        " f.source FROM facts f INDEXED BY facts_waiting_questions"
        " JOIN contacts c ON c.id = f.contact_id"
        " WHERE f.status = 'open' AND f.kind = 'question' AND f.whose = 'them'"
        " ORDER BY f.stated_at DESC, f.id DESC LIMIT ?", (limit,))
    total = database.query_one("SELECT COUNT(*) FROM facts INDEXED BY facts_waiting_questions"
                               " WHERE status = 'open' AND kind = 'question'"
                               " AND whose = 'them'")[0]
    return [Row(r["id"], r["contact_id"], r["display_name"], _short(r["span_text"]),
                r["whose"], r["due"], r["stated_at"], r["source"]) for r in rows], total


def captures_needing_attention(database, limit: int = CAPTURES_SHOWN) -> tuple[list, int]:
    """Captures no adapter could read (failed) or of a layout it did not know
    (needs_attention), newest first; never their HTML."""
    rows = database.query_all(
        "SELECT id, url, title, captured_at, status, error, adapter_id, contact_id"
        " FROM captures WHERE status IN ('failed', 'needs_attention')"
        " ORDER BY id DESC LIMIT ?", (limit,))
    total = database.query_one("SELECT COUNT(*) FROM captures"
                               " WHERE status IN ('failed', 'needs_attention')")[0]
    return rows, total


def first_identities(database, contact_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each contact's first identity (platform, url): where to write to them."""
    if not contact_ids:
        return {}
    marks = ",".join("?" * len(contact_ids))
    found: dict[int, tuple[str, str]] = {}
    for r in database.query_all(f"SELECT contact_id, platform, url FROM identities"
                                f" WHERE contact_id IN ({marks}) ORDER BY id", contact_ids):
        found.setdefault(r["contact_id"], (r["platform"], r["url"]))
    return found


def fact_text(fact) -> str:
    """What a suggestion's fact shows: its sentence, or a change as "field: old → new"."""
    if fact.span:
        return _short(fact.span)
    detail = fact.detail if isinstance(fact.detail, dict) else {}
    if detail.get("field"):
        return f"{detail.get('field')}: {detail.get('old') or '—'} → {detail.get('new') or '—'}"
    return fact.label or fact.kind


@bp.get("/")
@page
def today():
    database, day, lang = db(), date.today(), language()
    found = today_kept.todays_list(database, day, SUGGESTIONS_SHOWN, settings=settings(),
                                   user_lang=lang)
    promises, promise_total = open_promises(database, day)
    questions, question_total = questions_waiting(database)
    captures, capture_total = captures_needing_attention(database)
    return render("today.html", nav="today", today=day.isoformat(), suggestions=found,
                  where=first_identities(database, [s.contact.id for s in found]),
                  fact_text=fact_text, promises=promises, promise_total=promise_total,
                  questions=questions, question_total=question_total, captures=captures,
                  capture_total=capture_total)


@bp.post("/web/drafts/check")
@page
def check_draft():
    contact_id, text = guard.parse_check_request(read_json())
    return json_answer(to_dict(guard.check_draft(db(), contact_id, text)))


@bp.post("/web/suggestions/<key>/<action>")
@page
def act_on_suggestion(key: str, action: str):
    body = read_json() if request.content_length else {}
    return json_answer(suggest_actions.record_action(db(), key, action, body, date.today()))
