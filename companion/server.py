"""Serving the app with waitress on 127.0.0.1, and nowhere else.

Small waitress hooks (its ``channel_class`` / ``task_class`` / ``error_task_class`` /
``parser_class`` attributes):

- waitress de-chunks a ``Transfer-Encoding: chunked`` body and removes the header before the app
  sees it; our task marks such requests in the environ so the guard can answer 411.
- errors waitress answers by itself (a body over ``max_request_body_size``, a malformed request)
  are given the API's one JSON error shape instead of waitress's text page, which names the
  server.
- the body limit is the request guard's for the request's route (``_Parser``): the web view's
  upload of a data export may be larger than any other request.
"""

from __future__ import annotations

import copy
import json
import logging
from http import HTTPStatus

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
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


class _Parser(HTTPRequestParser):
    """A request's body limit by its method and path: waitress has one limit for all, checked
    from Content-Length before the body is read; the route with a larger one (the request
    guard's ``route_limits``: the web view's upload) gets it here, every other request keeps
    ``max_request_body_size`` and is still refused before its body is read."""

    route_limits: dict[tuple[str, str], int] = {}

    def parse_header(self, header_plus):
        super().parse_header(header_plus)
        limit = self.route_limits.get((self.command.upper(), self.path))
        if limit is not None:
            adj = copy.copy(self.adj)
            # waitress refuses a body of exactly its limit; the guard allows up to it
            adj.max_request_body_size = limit + 1
            self.adj = adj


class _Channel(HTTPChannel):
    task_class = _Task
    error_task_class = _ErrorTask
    parser_class = _Parser


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
    guard = (getattr(app, "extensions", None) or {}).get("goen.guard")
    limits = dict(getattr(guard, "route_limits", {}) or {})
    if limits:
        parser = type("_RouteParser", (_Parser,), {"route_limits": limits})
        server.channel_class = type("_RouteChannel", (_Channel,), {"parser_class": parser})
    else:
        server.channel_class = _Channel
    return server


def bound_port(server) -> int:
    return server.socket.getsockname()[1]
