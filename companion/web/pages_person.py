"""A person (``/contacts/<id>``): names and reading, headline, photo, every identity with its link,
purpose and offer and tier (editable) and cadence, one timeline across sites (messages, captures,
notes), facts linked to their sources, the ledger, suggestions with the draft check, notes
(add, edit, delete) and tags (add, remove), export and delete (with a confirmation page).

Changes are forms (POST, the CSRF token in a hidden field) answered with where to go next, the
page itself (pages_common.go); app.js sends them with fetch.

    POST /contacts/<id>/relationship   tier ("" = proposed from exchanges), purpose, offer
    POST /contacts/<id>/tags           add=<tag> or remove=<tag>
    POST /contacts/<id>/notes          body
    POST /notes/<id>/edit              body
    POST /notes/<id>/delete
    GET  /contacts/<id>/export         this person as a JSON download
    GET  /contacts/<id>/delete         the confirmation page; POST deletes
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from flask import Response, request, url_for

from companion.errors import bad_request
from companion.model import to_dict
from companion.services import contacts
from companion.services.followup import ledger, queries, relationship, suggest
from companion.web.pages_common import bp, db, go, language, page, render, settings
from companion.web.pages_today import fact_text

TIMELINE_INTERACTIONS = 200
TIMELINE_CAPTURES = 50
FACTS_SHOWN = 100
# A photo is shown only when it is kept inline: a remote image would tell a site that the user
# looked at this person (and CSP's img-src allows only this server and data: URLs anyway).
INLINE_PHOTO = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$")


@dataclass
class TimelineItem:
    kind: str             # interaction | capture | note | event
    id: int
    at: str
    platform: str | None
    title: str            # i18n key of what happened
    detail: str | None    # direction or status
    text: str | None
    url: str | None = None


def timeline(database, contact_id: int) -> tuple[list[TimelineItem], int]:
    """Messages and logged meetings (the newest ``TIMELINE_INTERACTIONS``), captures of their
    pages, notes and the events they were met at, newest first; and how many interactions
    there are in all."""
    items: list[TimelineItem] = []
    for r in database.query_all(
            "SELECT id, platform, kind, direction, occurred_at, text FROM interactions"
            " WHERE contact_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?",
            (contact_id, TIMELINE_INTERACTIONS)):
        items.append(TimelineItem("interaction", r["id"], r["occurred_at"], r["platform"],
                                  "kind." + r["kind"], "timeline." + r["direction"], r["text"]))
    for r in database.query_all(
            "SELECT id, url, title, captured_at, status, adapter_id FROM captures"
            " WHERE contact_id = ? ORDER BY captured_at DESC, id DESC LIMIT ?",
            (contact_id, TIMELINE_CAPTURES)):
        items.append(TimelineItem("capture", r["id"], r["captured_at"], r["adapter_id"],
                                  "timeline.capture", "capture." + r["status"], r["title"],
                                  r["url"]))
    for r in database.query_all("SELECT id, body, created_at FROM notes WHERE contact_id = ?",
                                (contact_id,)):
        items.append(TimelineItem("note", r["id"], r["created_at"], None, "timeline.note", None,
                                  r["body"]))
    # events they were met at, on the event's day (else when they were added to it)
    for r in database.query_all(
            "SELECT e.id, e.name, e.place, e.starts_on, ep.added_at, ep.note FROM event_people ep"
            " JOIN events e ON e.id = ep.event_id WHERE ep.contact_id = ?", (contact_id,)):
        text = " · ".join(v for v in (r["name"], r["place"], r["note"]) if v)
        items.append(TimelineItem("event", r["id"], r["starts_on"] or r["added_at"], None,
                                  "timeline.event", None, text,
                                  url_for("web_pages.event", event_id=r["id"])))
    items.sort(key=lambda i: (i.at, i.id), reverse=True)
    total = database.query_one("SELECT COUNT(*) FROM interactions WHERE contact_id = ?",
                               (contact_id,))[0]
    return items, total


def inline_photo(url: str | None) -> str | None:
    return url if url and len(url) < 2_000_000 and INLINE_PHOTO.match(url) else None


def _back(contact_id: int, anchor: str = "") -> Response:
    return go(url_for("web_pages.person", contact_id=contact_id) + anchor)


@bp.get("/contacts/<int:contact_id>")
@page
def person(contact_id: int):
    database, lang, effective = db(), language(), settings()
    detail = contacts.get_detail(database, contact_id)      # 404 page when unknown
    items, interaction_total = timeline(database, contact_id)
    facts = queries.list_facts(database, contact_id)
    found = suggest.suggestions_for_contact(database, contact_id, date.today(),
                                            settings=effective, user_lang=lang)
    cadence = effective.cadence_days.get(detail.tier) if detail.tier else None
    return render("person.html", nav="person", c=detail, photo=inline_photo(detail.avatar_url),
                  timeline=items, interaction_total=interaction_total,
                  interactions_shown=min(interaction_total, TIMELINE_INTERACTIONS),
                  facts=facts[:FACTS_SHOWN], fact_total=len(facts),
                  ledger=ledger.list_entries(database, contact_id), suggestions=found,
                  fact_text=fact_text, cadence=cadence, tiers=relationship.TIERS,
                  notes=contacts.list_notes(database, contact_id))


@bp.post("/contacts/<int:contact_id>/relationship")
@page
def save_relationship(contact_id: int):
    tier = request.form.get("tier", "")
    changes = {"tier": tier or None, "purpose": request.form.get("purpose", ""),
               "offer": request.form.get("offer", "")}
    contacts.update_contact(db(), contact_id, changes)
    return _back(contact_id, "#relationship")


@bp.post("/contacts/<int:contact_id>/tags")
@page
def change_tags(contact_id: int):
    database = db()
    tags = contacts.get_summary(database, contact_id).tags
    added, removed = request.form.get("add", "").strip(), request.form.get("remove")
    if added:
        tags = tags + [added]
    elif removed is not None:
        tags = [tag for tag in tags if tag != removed]
    else:
        raise bad_request("Send add or remove.", "add")
    contacts.update_contact(database, contact_id, {"tags": tags})
    return _back(contact_id, "#tags")


@bp.post("/contacts/<int:contact_id>/notes")
@page
def add_note(contact_id: int):
    note = contacts.add_note(db(), contact_id, request.form.get("body", ""))
    return _back(contact_id, f"#note-{note.id}")


@bp.post("/notes/<int:note_id>/edit")
@page
def edit_note(note_id: int):
    note = contacts.update_note(db(), note_id, request.form.get("body", ""))
    return _back(note.contact_id, f"#note-{note.id}")


@bp.post("/notes/<int:note_id>/delete")
@page
def remove_note(note_id: int):
    contact_id = contacts.delete_note(db(), note_id)
    return _back(contact_id, "#notes")


def export_person(database, contact_id: int) -> dict:
    """Everything kept about one person, as JSON (captured HTML excepted: it is the sites'
    pages, not the person's data; its address and time are included)."""
    detail = contacts.get_detail(database, contact_id)

    def rows(sql: str) -> list[dict]:
        return [dict(r) for r in database.query_all(sql, (contact_id,))]

    return {
        "format": "goen-contact-export-v1",
        "contact": to_dict(detail),
        "identities": rows("SELECT platform, url, handle, display_name, first_seen_at,"
                           " last_seen_at FROM identities WHERE contact_id = ? ORDER BY id"),
        "interactions": rows("SELECT id, platform, kind, direction, occurred_at, text,"
                             " thread_key FROM interactions WHERE contact_id = ?"
                             " ORDER BY occurred_at, id"),
        "notes": [to_dict(n) for n in contacts.list_notes(database, contact_id)],
        "facts": [to_dict(f) for f in queries.list_facts(database, contact_id)],
        "ledger": to_dict(ledger.list_entries(database, contact_id)),
        "captures": rows("SELECT id, url, kind, title, captured_at, status, adapter_id"
                         " FROM captures WHERE contact_id = ? ORDER BY captured_at, id"),
    }


@bp.get("/contacts/<int:contact_id>/export")
@page
def export(contact_id: int):
    body = json.dumps(export_person(db(), contact_id), ensure_ascii=False, indent=2)
    return Response(body, 200, content_type="application/json; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="goen-contact-{contact_id}.json"'})


@bp.get("/contacts/<int:contact_id>/delete")
@page
def confirm_delete(contact_id: int):
    return render("delete.html", nav="person", c=contacts.get_summary(db(), contact_id))


@bp.post("/contacts/<int:contact_id>/delete")
@page
def delete(contact_id: int):
    contacts.delete_contact(db(), contact_id)
    return go(url_for("web_pages.today"))
