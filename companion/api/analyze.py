"""``POST /api/v1/analyze``: the facts one message states (issue 6), to check extraction alone.

Body ``{"text", "direction": "in" | "out", "sent_at"?: ISO 8601 with offset, "lang"?: "ja" |
"en"}`` → ``{"facts": [...]}``. Nothing is stored.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from companion.api.v1 import read_json
from companion.errors import ApiError
from companion.model import to_dict
from companion.services.followup import analyze_message
from companion.services.followup.request import parse_analyze_request

bp = Blueprint("api_analyze", __name__, url_prefix="/api/v1")


@bp.post("/analyze")
def analyze():
    request = parse_analyze_request(read_json())
    facts = analyze_message(request.text, request.direction, request.sent_at, request.lang)
    return jsonify(facts=[to_dict(f) for f in facts])


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.body(), error.status, error.headers
