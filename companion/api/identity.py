"""Identity matching (issue 9): thin routes over services/matching/.

* ``POST /api/v1/identity/compare`` ``{a, b}`` → ``{score, verdict, reasons: [...]}``, each side
  ``{name, reading?, organisation?, title?, location?, photo?, urls: [], emails: []}``; so
  matching can be checked on its own, without saving anything.
* ``GET /api/v1/identity/proposals?status=open&limit=&cursor=`` → ``{proposals, next_cursor}``
* ``POST /api/v1/identity/proposals/<id>/accept`` ``{keep?}`` · ``…/reject`` · ``…/not-same``
* ``POST /api/v1/identity/proposals/refresh`` → the refresh's summary
  (services/matching/proposals.py).
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from companion.api.v1 import read_json
from companion.errors import ApiError, bad_request
from companion.model import to_dict
from companion.services.matching import proposals
from companion.services.matching.compare import compare
from companion.services.matching.request import parse_compare_request

bp = Blueprint("api_identity", __name__, url_prefix="/api/v1")


@bp.post("/identity/compare")
def post_compare():
    a, b = parse_compare_request(read_json())
    return jsonify(to_dict(compare(a, b)))


def _db():
    return current_app.extensions["goen.db"]


@bp.get("/identity/proposals")
def list_proposals():
    raw = request.args.get("limit", str(proposals.DEFAULT_LIMIT))
    try:
        limit = int(raw)
    except ValueError:
        raise bad_request("limit must be a whole number.", "limit") from None
    page = proposals.list_proposals(_db(), status=request.args.get("status", "open"),
                                    cursor=request.args.get("cursor") or None, limit=limit)
    return jsonify(proposals=[to_dict(p) for p in page.proposals], next_cursor=page.next_cursor)


@bp.post("/identity/proposals/refresh")
def refresh_proposals():
    return jsonify(to_dict(proposals.refresh_proposals(_db())))


@bp.post("/identity/proposals/<int:proposal_id>/accept")
def accept_proposal(proposal_id: int):
    body = read_json() if request.content_length else {}
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    unknown = sorted(set(body) - {"keep"})
    if unknown:
        raise bad_request(f"Unknown field: {unknown[0]}.", unknown[0])
    keep = body.get("keep")
    if keep is not None and (not isinstance(keep, int) or isinstance(keep, bool)):
        raise bad_request("keep must be a contact id.", "keep")
    return jsonify(to_dict(proposals.decide(_db(), proposal_id, "accept", keep=keep)))


@bp.post("/identity/proposals/<int:proposal_id>/reject")
def reject_proposal(proposal_id: int):
    return jsonify(to_dict(proposals.decide(_db(), proposal_id, "reject")))


@bp.post("/identity/proposals/<int:proposal_id>/not-same")
def not_same_proposal(proposal_id: int):
    return jsonify(to_dict(proposals.decide(_db(), proposal_id, "not_same")))


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.body(), error.status, error.headers
