"""Merging two contacts and undoing it (issue 9): thin routes over services/merge.py.

* ``POST /api/v1/contacts/<id>/merge`` ``{"other": <id>}`` → 201 with the merge; keeps <id>
* ``GET /api/v1/merges?limit=&before=`` → ``{"merges": [...], "next_before"}``, newest first
* ``GET /api/v1/merges/<id>`` → one merge
* ``POST /api/v1/merges/<id>/undo`` ``{}`` → both contacts as they were; 409 when undone already or
  a later merge of one of them is still in place
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from companion.api.v1 import read_json
from companion.errors import ApiError, bad_request
from companion.model import to_dict
from companion.services import merge

bp = Blueprint("api_merges", __name__, url_prefix="/api/v1")


def _db():
    return current_app.extensions["goen.db"]


def _whole_number(name: str, raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f"{name} must be a whole number.", name) from None


@bp.post("/contacts/<int:contact_id>/merge")
def post_merge(contact_id: int):
    body = read_json()
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object: {\"other\": <contact id>}.")
    unknown = sorted(set(body) - {"other"})
    if unknown:
        raise bad_request(f"Unknown field: {unknown[0]}.", unknown[0])
    other = body.get("other")
    if not isinstance(other, int) or isinstance(other, bool) or other < 1:
        raise bad_request("other must be the id of the contact to merge into this one.",
                          "other")
    result = merge.merge(_db(), contact_id, other, reason="user")
    return jsonify(to_dict(merge.get_merge(_db(), result.merge_id))), 201


@bp.get("/merges")
def list_merges():
    limit = _whole_number("limit", request.args.get("limit"))
    page = merge.list_merges(_db(), limit=50 if limit is None else limit,
                             before=_whole_number("before", request.args.get("before")))
    return jsonify(merges=[to_dict(m) for m in page.merges], next_before=page.next_before)


@bp.get("/merges/<int:merge_id>")
def get_merge(merge_id: int):
    return jsonify(to_dict(merge.get_merge(_db(), merge_id)))


@bp.post("/merges/<int:merge_id>/undo")
def undo_merge(merge_id: int):
    body = read_json() if request.content_length else {}
    if body != {}:
        raise bad_request("The body must be an empty JSON object: {}.")
    result = merge.undo(_db(), merge_id)
    return jsonify(undo=to_dict(result), merge=to_dict(merge.get_merge(_db(), merge_id)))


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.body(), error.status, error.headers
