"""The network graph and warm paths (issue 7): thin routes over services/network.py.

* ``GET /api/v1/network?tier=&kinds=&min_strength=`` → the graph as parallel arrays
  (``network.graph_json``); ``tier`` and ``kinds`` may be repeated or comma-separated
* ``GET /api/v1/network/paths?to=<contact id>&k=3`` → ``{"to", "paths": [...]}``
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from companion.errors import JSON_TYPE, ApiError
from companion.model import to_dict
from companion.services import network

bp = Blueprint("api_network", __name__, url_prefix="/api/v1")


def _db():
    return current_app.extensions["goen.db"]


@bp.get("/network")
def get_network():
    body = network.network_json(_db(), **network.filters_from_args(request.args))
    return current_app.response_class(body, 200, content_type=JSON_TYPE)


@bp.get("/network/paths")
def get_paths():
    target, k = network.target_from_args(request.args)
    user_lang = request.accept_languages.best_match(["ja", "en"]) or "ja"
    paths = network.warm_paths(_db(), target, k, user_lang=user_lang)
    return jsonify(to=target, paths=[to_dict(p) for p in paths])


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.body(), error.status, error.headers
