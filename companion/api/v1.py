"""API v1: thin routes over the services. Every error is companion.errors' one JSON shape."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request

from companion import __version__, adapters, memory
from companion.errors import ApiError, bad_request
from companion.model import to_dict
from companion.services import capture, contacts, links
from companion.services import search
from companion.services.followup import shared

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")


def _db():
    return current_app.extensions["goen.db"]


def _settings():
    return current_app.extensions["goen.settings"]


def read_json() -> object:
    """The request body as JSON. The guard already checked type and size."""
    raw = request.get_data(cache=False)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        raise bad_request("The body is not valid JSON.") from None


def _limit() -> int:
    raw = request.args.get("limit", "50")
    try:
        return int(raw)
    except ValueError:
        raise bad_request("limit must be a whole number.", "limit") from None


@bp.get("/status")
def status():
    db = _db()
    daily = current_app.extensions.get("goen.daily_jobs")
    return jsonify(version=__version__, schema_version=db.schema_version(),
                   data_dir=str(_settings().data_dir),
                   warm=bool(daily is not None and daily.warm.is_set()))


@bp.get("/adapters")
def list_adapters():
    return jsonify(adapters=adapters.describe())


@bp.post("/captures")
def post_capture():
    data = capture.parse_capture_request(read_json(), _settings())
    result = capture.save_capture(_db(), _settings(), data)
    del data
    memory.trim_heap()     # a 1 MB page's parse tree leaves ~10 MB of free heap (memory.py)
    if result.status != "parsed":
        code = 202
    else:
        code = 200 if result.duplicate else 201
    return jsonify(to_dict(result)), code


@bp.get("/captures")
def list_captures():
    statuses = tuple(request.args.getlist("status")) or ("needs_attention", "failed")
    before = request.args.get("before")
    if before is not None and not before.isdigit():
        raise bad_request("before must be a capture id.", "before")
    page = capture.list_captures(_db(), statuses, _limit(),
                                 int(before) if before is not None else None)
    return jsonify(to_dict(page))


def _followup_args() -> dict:
    """How the summary's next follow-up is drafted: this computer's day, the settings'
    cadences, and the request's language where the contact's own is unknown."""
    return dict(today=None, settings=current_app.extensions.get("goen.settings"),
                user_lang=request.accept_languages.best_match(["ja", "en"]) or "ja")


@bp.get("/lookup")
def lookup():
    url = request.args.get("url")
    if not url:
        raise bad_request("url is required.", "url")
    return jsonify(to_dict(contacts.lookup(_db(), url, with_followup=True, **_followup_args())))


@bp.get("/contacts")
def list_contacts():
    """Search and list (services/search.py): q, tier, site, tag, not_contacted_since, sort,
    cursor, limit."""
    db = _db()
    page = search.search_contacts(db, search.parse_query(request.args))
    return jsonify(search.api_answer(db, page))


@bp.post("/contacts")
def post_contact_link():
    saved = links.save_profile_link(_db(), read_json())
    return jsonify(to_dict(saved)), 201 if saved.created else 200


@bp.get("/contacts/<int:contact_id>")
def get_contact(contact_id: int):
    db = _db()
    detail = contacts.get_detail(db, contact_id)
    settings = current_app.extensions.get("goen.settings")
    detail.shared_interests = shared.shared_interests(
        db, contact_id, getattr(settings, "my_profiles", ()))
    return jsonify(to_dict(contacts.with_next_followup(db, detail, **_followup_args())))


@bp.patch("/contacts/<int:contact_id>")
def patch_contact(contact_id: int):
    return jsonify(to_dict(contacts.update_contact(_db(), contact_id, read_json())))


@bp.delete("/contacts/<int:contact_id>")
def delete_contact(contact_id: int):
    contacts.delete_contact(_db(), contact_id)
    return "", 204


@bp.post("/contacts/<int:contact_id>/notes")
def post_note(contact_id: int):
    data = read_json()
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.")
    return jsonify(to_dict(contacts.add_note(_db(), contact_id, data.get("body")))), 201


@bp.post("/contacts/<int:contact_id>/interactions")
def post_interaction(contact_id: int):
    interaction = contacts.add_manual_interaction(_db(), contact_id, read_json())
    return jsonify(to_dict(interaction)), 201


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.body(), error.status, error.headers
