"""The app factory. Nothing is read or opened at import time: ``create_app`` does it all."""

from __future__ import annotations

import logging
from typing import Any, Mapping

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from companion.db import Database
from companion.errors import JSON_TYPE, ApiError, code_for_status
from companion.security import RequestGuard
from companion.services.preferences import EffectiveSettings
from companion.settings import Settings, load_settings
from companion.token_store import TokenStore

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | Settings | None = None) -> Flask:
    """Build the companion app. ``config`` overrides settings by name (see settings.py)."""
    settings = config if isinstance(config, Settings) else load_settings(config)
    settings.data_dir.mkdir(parents=True, mode=0o700, exist_ok=True)

    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes)
    app.json.sort_keys = False  # answers in the order the dataclasses declare
    app.json.ensure_ascii = False  # Japanese names stay readable in answers
    db = Database(settings.db_path)
    db.migrate()
    token_store = TokenStore(settings.data_dir, settings.token_backend)
    token_store.get_or_create()
    # the settings with the web view's preferences laid over them (services/preferences.py)
    app.extensions["goen.settings"] = EffectiveSettings(settings, db)
    app.extensions["goen.db"] = db
    app.extensions["goen.tokens"] = token_store
    # imports started by upload in the web view run outside the request (web/import_jobs.py)
    from companion.web.import_jobs import ImportJobs
    app.extensions["goen.import_jobs"] = ImportJobs(db, app.extensions["goen.settings"])

    from companion.api.analyze import bp as api_analyze
    from companion.api.facts import bp as api_facts
    from companion.api.handshake import bp as api_handshake
    from companion.api.suggestions import bp as api_suggestions
    from companion.api.network import bp as api_network
    from companion.api.events import bp as api_events
    from companion.api.identity import bp as api_identity
    from companion.api.merges import bp as api_merges
    from companion.api.v1 import bp as api_v1
    from companion.web.launch import bp as web_launch
    from companion.web.pages import bp as web_pages
    app.register_blueprint(api_v1)
    app.register_blueprint(api_handshake)
    app.register_blueprint(api_analyze)
    app.register_blueprint(api_facts)
    app.register_blueprint(api_suggestions)
    app.register_blueprint(api_network)
    app.register_blueprint(api_events)
    app.register_blueprint(api_identity)
    app.register_blueprint(api_merges)
    app.register_blueprint(web_launch)
    app.register_blueprint(web_pages)
    _register_error_handlers(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    from companion.web.pages_import import ROUTE as IMPORT_ROUTE
    guard = RequestGuard(app.wsgi_app, port=settings.port, token_store=token_store,
                         extension_ids=settings.extension_ids,
                         max_body_bytes=settings.max_body_bytes,
                         # an uploaded data export may be far larger than any API body
                         route_limits={("POST", IMPORT_ROUTE): settings.max_upload_bytes})
    app.wsgi_app = guard
    app.extensions["goen.guard"] = guard
    return app


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        return error.body(), error.status, error.headers

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        message = {404: "No such resource.", 405: "This method is not allowed here."}.get(
            status, error.description or "")
        body = ApiError(status, code_for_status(status), message).body()
        response = app.response_class(app.json.dumps(body), status, content_type=JSON_TYPE)
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unexpected error")
        body = ApiError(500, "internal_error", "Something went wrong inside; it was logged."
                        ).body()
        return app.response_class(app.json.dumps(body), 500, content_type=JSON_TYPE)
