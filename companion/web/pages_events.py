"""Events and communities (``/events``): 勉強会, 交流会, conferences, and who the user met there
(services/events.py). People met at the same event are linked in the network graph, and the
event shows in each person's timeline (pages_person.py).

    GET  /events                          the list, newest first (q, kind; "older" pages)
    POST /events                          a new event → its page
    GET  /events/<id>                     the event: who was met there, with a note each
    POST /events/<id>/edit                name, kind, date, place, link, notes
    POST /events/<id>/delete              (the confirmation box ticked)
    POST /events/<id>/people              who=<a name or reading>, note → added
    POST /events/<id>/people/<cid>/remove

Forms as on the person page (app.js sends them with fetch; pages_common.go answers where next).
A person is named as the user would say it: the contact search (services/search.py) must find
exactly one, else the form says to be more precise.
"""

from __future__ import annotations

from flask import request, url_for

from companion.errors import bad_request
from companion.services import events, search
from companion.web.pages_common import bp, db, go, page, render

PAGE_SIZE = 50


def _form_values() -> dict:
    """The event form's fields as the service takes them (empty fields: not given)."""
    values = {name: (request.form.get(name) or "").strip() for name in events.FIELDS}
    return {k: v for k, v in values.items() if v or k == "name"}


@bp.get("/events", endpoint="events")
@page
def events_page():
    q = (request.args.get("q") or "").strip() or None
    kind = (request.args.get("kind") or "").strip() or None
    if kind not in (None, *events.KINDS):
        kind = None
    found = events.list_events(db(), q=q, kind=kind, limit=PAGE_SIZE,
                               before=request.args.get("before") or None)
    return render("events.html", nav="events", found=found, q=q or "", kind=kind or "",
                  kinds=events.KINDS, labels=events.KIND_LABELS)


@bp.post("/events")
@page
def create_event():
    made = events.create_event(db(), _form_values())
    return go(url_for("web_pages.event", event_id=made.id))


@bp.get("/events/<int:event_id>")
@page
def event(event_id: int):
    return render("event.html", nav="events", e=events.get_event(db(), event_id),
                  kinds=events.KINDS, labels=events.KIND_LABELS)


@bp.post("/events/<int:event_id>/edit")
@page
def edit_event(event_id: int):
    values = _form_values()
    for name in events.FIELDS:     # an emptied field clears it
        values.setdefault(name, None)
    values["kind"] = values["kind"] or "other"
    events.update_event(db(), event_id, values)
    return go(url_for("web_pages.event", event_id=event_id))


@bp.post("/events/<int:event_id>/delete")
@page
def delete_event(event_id: int):
    if request.form.get("confirm") != "yes":
        raise bad_request("Tick the confirmation first.", "confirm")
    events.delete_event(db(), event_id)
    return go(url_for("web_pages.events"))


def _one_contact(who: str) -> int:
    """The one contact ``who`` names (a name, a reading, a handle), or a 400 that says why."""
    who = " ".join(who.split())
    if not who:
        raise bad_request("Name the person you met.", "who")
    found = search.search_contacts(db(), search.ContactQuery(q=who, limit=10))
    exact = [r for r in found.rows if who in (r.display_name, r.reading)]
    if len(exact) == 1:
        return exact[0].id
    if found.total == 1:
        return found.rows[0].id
    if found.total == 0:
        raise bad_request(f"No contact matches “{who}”.", "who")
    raise bad_request(f"{found.total} contacts match “{who}”: write more of the name.", "who")


@bp.post("/events/<int:event_id>/people")
@page
def add_person(event_id: int):
    contact_id = _one_contact(request.form.get("who") or "")
    note = (request.form.get("note") or "").strip()
    events.add_person(db(), event_id, contact_id, {"note": note} if note else {})
    return go(url_for("web_pages.event", event_id=event_id) + f"#person-{contact_id}")


@bp.post("/events/<int:event_id>/people/<int:contact_id>/remove")
@page
def remove_person(event_id: int, contact_id: int):
    events.remove_person(db(), event_id, contact_id)
    return go(url_for("web_pages.event", event_id=event_id) + "#people")
