"""Identity matching (issue 9): thin routes over services/matching/.

* ``POST /api/v1/identity/compare`` ``{a, b}`` → ``{score, verdict, reasons: [...]}``, each side
  ``{name, reading?, organisation?, title?, location?, photo?, urls: [], emails: []}``; so
  matching can be checked on its own, without saving anything.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from companion.api.v1 import read_json
from companion.errors import ApiError
from companion.model import to_dict
from companion.services.matching.compare import compare
from companion.services.matching.request import parse_compare_request

bp = Blueprint("api_identity", __name__, url_prefix="/api/v1")


@bp.post("/identity/compare")
def post_compare():
    a, b = parse_compare_request(read_json())
    return jsonify(to_dict(compare(a, b)))


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.body(), error.status, error.headers
