"""The network graph and warm paths (issue 7): thin routes over services/network.py.

* ``GET /api/v1/network?tier=&kinds=&min_strength=`` → the graph as parallel arrays
  (``network.graph_json``); ``tier`` and ``kinds`` may be repeated or comma-separated
* ``GET /api/v1/network/paths?to=<contact id>&k=3`` → ``{"to", "paths": [...]}``
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from companion.errors import JSON_TYPE, ApiError, bad_request
from companion.model import to_dict
from companion.services import network

bp = Blueprint("api_network", __name__, url_prefix="/api/v1")


def _db():
    return current_app.extensions["goen.db"]


def _choices(name: str) -> list[str] | None:
    values = [v.strip() for raw in request.args.getlist(name) for v in raw.split(",")
              if v.strip()]
    return values or None


def _number(name: str, default, kind=float):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise bad_request(f"{name} must be a number.", name) from None


@bp.get("/network")
def get_network():
    body = network.network_json(_db(), tier=_choices("tier"), kinds=_choices("kinds"),
                                min_strength=_number("min_strength", 0.0))
    return current_app.response_class(body, 200, content_type=JSON_TYPE)


@bp.get("/network/paths")
def get_paths():
    if request.args.get("to") in (None, ""):
        raise bad_request("to is required: the contact to reach.", "to")
    target = _number("to", None, int)
    k = _number("k", 3, int)
    user_lang = request.accept_languages.best_match(["ja", "en"]) or "ja"
    paths = network.warm_paths(_db(), target, k, user_lang=user_lang)
    return jsonify(to=target, paths=[to_dict(p) for p in paths])


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.body(), error.status, error.headers
