"""The one JSON error shape of the API.

Every error the API answers looks like::

    {"error": {"status": 413, "code": "payload_too_large", "message": "…", "details": {…}}}

``details`` is present only when there is something more to say (for example which field was
wrong). Services raise ``ApiError``; the app and the request guard turn it into this shape.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

JSON_TYPE = "application/json; charset=utf-8"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 details: dict[str, Any] | None = None,
                 headers: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or []

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"status": self.status, "code": self.code,
                                 "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"error": error}

    def body_bytes(self) -> bytes:
        return json.dumps(self.body(), ensure_ascii=False).encode("utf-8")

    def wsgi_response(self, start_response) -> list[bytes]:
        """Answer from WSGI middleware, before Flask routes anything."""
        payload = self.body_bytes()
        status_line = f"{self.status} {HTTPStatus(self.status).phrase}"
        start_response(status_line, [("Content-Type", JSON_TYPE),
                                     ("Content-Length", str(len(payload))),
                                     ("Cache-Control", "no-store"),
                                     *self.headers])
        return [payload]


def bad_request(message: str, field: str | None = None) -> ApiError:
    return ApiError(400, "bad_request", message, {"field": field} if field else None)


def not_found(message: str = "No such resource.") -> ApiError:
    return ApiError(404, "not_found", message)


def code_for_status(status: int) -> str:
    """A stable snake_case code for an HTTP status, e.g. 405 → method_not_allowed."""
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"
