"""Events and who the user met there (issue 7): thin routes over services/events.py.

* ``GET /api/v1/events?q=&kind=&limit=&before=`` → ``{"events": [...], "next_before"}``
* ``POST /api/v1/events`` ``{name, kind?, starts_on?, place?, url?, notes?, people?}`` → 201
* ``GET /api/v1/events/<id>`` → the event with its people
* ``PATCH /api/v1/events/<id>`` → the event · ``DELETE /api/v1/events/<id>`` → 204
* ``PUT /api/v1/events/<id>/people/<contact id>`` ``{note?}`` → 201 (new) or 200 (note updated)
* ``DELETE /api/v1/events/<id>/people/<contact id>`` → 204
* ``GET /api/v1/contacts/<id>/events`` → ``{"events": [...]}``, newest first
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from companion.api.v1 import read_json
from companion.errors import ApiError, bad_request
from companion.model import to_dict
from companion.services import events

bp = Blueprint("api_events", __name__, url_prefix="/api/v1")


def _db():
    return current_app.extensions["goen.db"]


def _body_or_empty() -> object:
    """An optional body: none (Content-Length 0) reads as {}."""
    return read_json() if request.content_length else {}


@bp.get("/events")
def list_events():
    raw = request.args.get("limit", "50")
    try:
        limit = int(raw)
    except ValueError:
        raise bad_request("limit must be a whole number.", "limit") from None
    page = events.list_events(_db(), q=request.args.get("q") or None,
                              kind=request.args.get("kind") or None, limit=limit,
                              before=request.args.get("before") or None)
    return jsonify(events=[to_dict(e) for e in page.events], next_before=page.next_before)


@bp.post("/events")
def create_event():
    return jsonify(to_dict(events.create_event(_db(), read_json()))), 201


@bp.get("/events/<int:event_id>")
def get_event(event_id: int):
    return jsonify(to_dict(events.get_event(_db(), event_id)))


@bp.patch("/events/<int:event_id>")
def patch_event(event_id: int):
    return jsonify(to_dict(events.update_event(_db(), event_id, read_json())))


@bp.delete("/events/<int:event_id>")
def delete_event(event_id: int):
    events.delete_event(_db(), event_id)
    return "", 204


@bp.put("/events/<int:event_id>/people/<int:contact_id>")
def put_person(event_id: int, contact_id: int):
    event, created = events.add_person(_db(), event_id, contact_id, _body_or_empty())
    return jsonify(to_dict(event)), 201 if created else 200


@bp.delete("/events/<int:event_id>/people/<int:contact_id>")
def delete_person(event_id: int, contact_id: int):
    events.remove_person(_db(), event_id, contact_id)
    return "", 204


@bp.get("/contacts/<int:contact_id>/events")
def contact_events(contact_id: int):
    return jsonify(events=[to_dict(e) for e in events.events_of(_db(), contact_id)])


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.body(), error.status, error.headers
