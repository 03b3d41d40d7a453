"""Serving the app with waitress on 127.0.0.1, and nowhere else.

Two small waitress hooks (its documented ``channel_class`` / ``task_class`` /
``error_task_class`` attributes):

- waitress de-chunks a ``Transfer-Encoding: chunked`` body and removes the header before the app
  sees it; our task marks such requests in the environ so the guard can answer 411.
- errors waitress answers by itself (a body over ``max_request_body_size``, a malformed request)
  are given the API's one JSON error shape instead of waitress's text page, which names the
  server.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask, WSGITask

from companion import memory
from companion.errors import JSON_TYPE, code_for_status
from companion.security import CHUNKED_ENVIRON_KEY

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


class _Task(WSGITask):
    def get_environment(self):
        environ = super().get_environment()
        if self.request.chunked:
            environ[CHUNKED_ENVIRON_KEY] = "chunked"
        return environ


class _ErrorTask(ErrorTask):
    def execute(self):
        error = self.request.error
        status = int(error.code)
        body = json.dumps({"error": {"status": status, "code": code_for_status(status),
                                     "message": error.reason}}).encode("utf-8")
        self.status = f"{status} {HTTPStatus(status).phrase}"
        self.response_headers.append(("Content-Type", JSON_TYPE))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    task_class = _Task
    error_task_class = _ErrorTask


class BindError(RuntimeError):
    """The loopback port could not be bound (in use, or not allowed)."""


def make_server(app, port: int, threads: int = 4, max_body_bytes: int = 10 * 1024 * 1024):
    """A waitress server bound to 127.0.0.1:port (0 picks a free port). Never 0.0.0.0."""
    memory.limit_arenas()     # before waitress starts its threads (memory.py says why)
    try:
        server = create_server(
            app,
            host=LOOPBACK,
            port=port,
            threads=threads,
            ident="",                      # no Server header: answers name no product
            # waitress refuses a larger body before reading it (our error task gives that
            # answer the API's error shape); the guard applies the same limit again.
            max_request_body_size=max_body_bytes,
            clear_untrusted_proxy_headers=True,
            expose_tracebacks=False,
        )
    except OSError as exc:
        raise BindError(f"cannot listen on {LOOPBACK}:{port}: {exc.strerror or exc}") from exc
    server.channel_class = _Channel
    return server


def bound_port(server) -> int:
    return server.socket.getsockname()[1]
