"""What the host answers: one handler per message type.

A request is a JSON object ``{"type": "...", "id": <optional>, ...}``; the reply is an object
with its own ``type`` and the same ``id``, so the extension can match replies to requests on a
long-lived port (chrome.runtime.connectNative). PROTOCOL.md lists every message.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import logging
from typing import Any, Callable

from companion.settings import Settings
from companion.token_store import TokenError, TokenStore

log = logging.getLogger(__name__)

STATUS_PATH = "/api/v1/status"
STATUS_TIMEOUT_SECONDS = 2.0
# The companion's status answer is tiny; read no more than this from whatever holds the port.
MAX_STATUS_BYTES = 64 * 1024
MAX_ID_CHARS = 256


@dataclasses.dataclass
class Context:
    """What handlers may use. Tests build one over a temporary data folder."""

    settings: Settings
    token_store: TokenStore
    status_timeout: float = STATUS_TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> "Context":
        return cls(settings, TokenStore(settings.data_dir, settings.token_backend))


Handler = Callable[[dict, Context], dict]


def error_reply(code: str, message: str) -> dict:
    return {"type": "error", "code": code, "message": message}


# -- handlers ---------------------------------------------------------------------------------

def handle_ping(message: dict, ctx: Context) -> dict:
    return {"type": "pong"}


def handle_pair(message: dict, ctx: Context) -> dict:
    # get_or_create, not peek: the extension may pair before the companion has ever served,
    # and the companion then finds and uses this same token.
    return {"type": "pair", "port": ctx.settings.port, "token": ctx.token_store.get_or_create()}


def handle_status(message: dict, ctx: Context) -> dict:
    port = ctx.settings.port
    running, version, reason = probe_companion(port, ctx.token_store.peek(), ctx.status_timeout)
    reply = {"type": "status", "running": running, "version": version, "port": port}
    if not running:
        reply["reason"] = reason
    return reply


HANDLERS: dict[str, Handler] = {
    "ping": handle_ping,
    "status": handle_status,
    "pair": handle_pair,
    # "start" and "open" come with issue 5.
}


# -- the status probe -------------------------------------------------------------------------

def probe_companion(port: int, token: str | None, timeout: float
                    ) -> tuple[bool, str | None, str | None]:
    """(running, version, reason) from ``GET /api/v1/status`` on 127.0.0.1:port.

    Running means a 200 answer with the companion's JSON; anything else gives a reason:
    not_listening, timeout, unauthorized (something answers but refuses our token),
    unexpected_answer, or error. The token goes only to the loopback port the extension itself
    sends it to on every API call.
    """
    # The companion answers only to Host 127.0.0.1:P (SECURITY.md, DNS rebinding rule), so the
    # header is set explicitly; http.client would leave out the port for port 80.
    headers = {"Host": f"127.0.0.1:{port}", "Accept": "application/json",
               "Connection": "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", STATUS_PATH, headers=headers)
        response = conn.getresponse()
        body = response.read(MAX_STATUS_BYTES)
    except ConnectionRefusedError:
        return False, None, "not_listening"
    except TimeoutError:
        return False, None, "timeout"
    except (OSError, http.client.HTTPException) as exc:
        log.info("status probe on port %d failed: %s", port, exc)
        return False, None, "error"
    finally:
        conn.close()
    if response.status == 401:
        return False, None, "unauthorized"
    try:
        answer = json.loads(body.decode("utf-8")) if response.status == 200 else None
    except ValueError:  # UnicodeDecodeError is a ValueError too
        answer = None
    if not isinstance(answer, dict) or not isinstance(answer.get("version"), str):
        return False, None, "unexpected_answer"
    return True, answer["version"], None


# -- dispatch ---------------------------------------------------------------------------------

def _valid_id(value: Any) -> bool:
    # Echoed back verbatim, so keep it small: a string or a whole number (not a bool).
    if isinstance(value, str):
        return len(value) <= MAX_ID_CHARS
    return isinstance(value, int) and not isinstance(value, bool)


def dispatch(message: Any, ctx: Context) -> dict:
    """The reply to one decoded message. Never raises: failures become error replies."""
    if not isinstance(message, dict):
        return error_reply("bad_request", "A message must be a JSON object.")
    has_id = "id" in message
    if has_id and not _valid_id(message["id"]):
        return error_reply("bad_request",
                           f"id must be a string of at most {MAX_ID_CHARS} characters or an "
                           "integer.")
    reply = _answer(message, ctx)
    if has_id:
        reply["id"] = message["id"]
    return reply


def _answer(message: dict, ctx: Context) -> dict:
    kind = message.get("type")
    if not isinstance(kind, str) or not kind:
        return error_reply("bad_request", "A message needs a \"type\" string.")
    handler = HANDLERS.get(kind)
    if handler is None:
        return error_reply("unknown_type", f"Unknown message type {kind[:64]!r}; known: "
                                           f"{', '.join(sorted(HANDLERS))}.")
    try:
        return handler(message, ctx)
    except TokenError as exc:
        log.error("%s: %s", kind, exc)
        return error_reply("token_unavailable", str(exc))
    except Exception:  # one bad handler must not end the session with the browser
        log.exception("handler for %r failed", kind)
        return error_reply("internal_error", f"The host failed to answer {kind!r}.")
