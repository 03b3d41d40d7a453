"""Suggestions and the template guard (issue 6), under /api/v1:

    GET  /suggestions?limit=&today=              today's list, one per person
    GET  /contacts/<id>/suggestions?limit=&today= one person's strongest (default 10)
    POST /suggestions/<key>/done | snooze | dismiss   ({"until"?: "YYYY-MM-DD"} for snooze)
    POST /drafts/check {contact_id, text}         {"ok", "flags": [...]}

``today`` (YYYY-MM-DD) defaults to this computer's date. Drafts are in the language each
person writes in; where that is unknown, the request's Accept-Language (ja or en) decides.
"""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, current_app, jsonify, request

from companion.errors import ApiError, bad_request, not_found
from companion.model import to_dict
from companion.services.followup import guard, suggest, suggest_actions, today_kept

bp = Blueprint("api_suggestions", __name__, url_prefix="/api/v1")


def _db():
    return current_app.extensions["goen.db"]


def _settings():
    return current_app.extensions.get("goen.settings")


def _today() -> date:
    raw = request.args.get("today")
    if raw is None:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise bad_request("today must be an ISO date (YYYY-MM-DD).", "today") from None


def _user_lang() -> str:
    return request.accept_languages.best_match(["ja", "en"]) or "ja"


def _body() -> object:
    """The JSON body; an empty one reads as {} (done and dismiss need none)."""
    raw = request.get_data(cache=False)
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise bad_request("The body is not valid JSON.") from None


def _limit(default: int) -> int:
    raw = request.args.get("limit", str(default))
    try:
        limit = int(raw)
    except ValueError:
        raise bad_request("limit must be a whole number.", "limit") from None
    if not 1 <= limit <= suggest.MAX_LIMIT:
        raise bad_request(f"limit must be between 1 and {suggest.MAX_LIMIT}.", "limit")
    return limit


@bp.get("/suggestions")
def today_list():
    limit = _limit(suggest.DEFAULT_LIMIT)
    day = _today()
    found = today_kept.todays_list(_db(), day, limit, settings=_settings(),
                                   user_lang=_user_lang())
    return jsonify(today=day.isoformat(), suggestions=[to_dict(s) for s in found])


@bp.get("/contacts/<int:contact_id>/suggestions")
def contact_list(contact_id: int):
    db = _db()
    if db.query_one("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)) is None:
        raise not_found(f"No contact with id {contact_id}.")
    limit = _limit(suggest.CONTACT_LIMIT)
    day = _today()
    found = suggest.suggestions_for_contact(db, contact_id, day, limit, settings=_settings(),
                                            user_lang=_user_lang())
    return jsonify(today=day.isoformat(), suggestions=[to_dict(s) for s in found])


@bp.post("/suggestions/<key>/<action>")
def act(key: str, action: str):
    return jsonify(suggest_actions.record_action(_db(), key, action, _body(), _today()))


@bp.post("/drafts/check")
def check_draft():
    contact_id, text = guard.parse_check_request(_body())
    return jsonify(to_dict(guard.check_draft(_db(), contact_id, text)))


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.body(), error.status, error.headers
