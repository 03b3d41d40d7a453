"""What the host answers: one handler per message type.

A request is a JSON object ``{"type": "...", "id": <optional>, ...}``; the reply is an object
with its own ``type`` and the same ``id``, so the extension can match replies to requests on a
long-lived port (chrome.runtime.connectNative). PROTOCOL.md lists every message.
"""

from __future__ import annotations

import dataclasses
import hmac
import http.client
import json
import logging
import secrets
from typing import Any, Callable

from companion.security import handshake_proof
from companion.settings import Settings
from companion.token_store import TokenError, TokenStore
from native_host import launcher

log = logging.getLogger(__name__)

STATUS_PATH = "/api/v1/status"
HANDSHAKE_PATH = "/api/v1/handshake"
STATUS_TIMEOUT_SECONDS = 2.0
# The companion's status answer is tiny; read no more than this from whatever holds the port.
MAX_STATUS_BYTES = 64 * 1024
MAX_ID_CHARS = 256
MAX_OPEN_PATH_CHARS = 256


@dataclasses.dataclass
class Context:
    """What handlers may use. Tests build one over a temporary data folder."""

    settings: Settings
    token_store: TokenStore
    status_timeout: float = STATUS_TIMEOUT_SECONDS
    start_timeout: float = launcher.START_TIMEOUT_SECONDS
    companion_command: tuple[str, ...] = launcher.COMPANION_COMMAND

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


def _ensure_running(ctx: Context) -> launcher.Started:
    return launcher.ensure_running(ctx.settings, ctx.token_store.peek, probe_companion,
                                   command=ctx.companion_command, timeout=ctx.start_timeout,
                                   probe_timeout=ctx.status_timeout)


def _start_error(exc: launcher.StartError) -> dict:
    reply = error_reply(exc.code, exc.message)
    if exc.log_tail:
        reply["log"] = exc.log_tail
    return reply


def handle_start(message: dict, ctx: Context) -> dict:
    try:
        companion = _ensure_running(ctx)
    except launcher.StartError as exc:
        log.error("start: %s", exc.message)
        return _start_error(exc)
    return {"type": "start", "running": True, "version": companion.version,
            "port": companion.port, "started": companion.started}


def handle_open(message: dict, ctx: Context) -> dict:
    path = message.get("path")
    if path is not None and (not isinstance(path, str) or len(path) > MAX_OPEN_PATH_CHARS):
        return error_reply("bad_request", "path must be a string like \"/contacts/12\".")
    try:
        companion = _ensure_running(ctx)
        token = ctx.token_store.peek()
        if token is None:  # cannot happen once status answered 200, which needs the token
            raise launcher.StartError("open_failed", "No token is stored.")
        url = launcher.request_launch_url(companion.port, token, path)
    except launcher.StartError as exc:
        log.error("open: %s", exc.message)
        return _start_error(exc)
    return {"type": "open", "url": url}


HANDLERS: dict[str, Handler] = {
    "ping": handle_ping,
    "status": handle_status,
    "pair": handle_pair,
    "start": handle_start,
    "open": handle_open,
}


# -- the status probe -------------------------------------------------------------------------

def _exchange(port: int, method: str, path: str, headers: dict, body: bytes | None,
              timeout: float) -> tuple[int | None, bytes, str | None]:
    """(status, body, None) or (None, b"", reason) for one request to 127.0.0.1:port."""
    # The companion answers only to Host 127.0.0.1:P (SECURITY.md, DNS rebinding rule), so the
    # header is set explicitly; http.client would leave out the port for port 80.
    headers = {"Host": f"127.0.0.1:{port}", "Accept": "application/json",
               "Connection": "close", **headers}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(MAX_STATUS_BYTES), None
    except ConnectionRefusedError:
        return None, b"", "not_listening"
    except TimeoutError:
        return None, b"", "timeout"
    except (OSError, http.client.HTTPException) as exc:
        log.info("%s %s on port %d failed: %s", method, path, port, exc)
        return None, b"", "error"
    finally:
        conn.close()


def _json_object(status: int | None, body: bytes) -> dict | None:
    if status != 200:
        return None
    try:
        answer = json.loads(body.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError is a ValueError too
        return None
    return answer if isinstance(answer, dict) else None


def verify_port(port: int, token: str, timeout: float) -> str | None:
    """None when the program on the port proves it knows the token (POST /api/v1/handshake,
    sent without the token); else why not: not_listening, timeout, error, unauthorized (it
    answers the handshake with a wrong proof: a companion with another token) or
    unexpected_answer (no handshake at all: some other program)."""
    challenge = secrets.token_hex(32)
    body = json.dumps({"challenge": challenge}).encode("ascii")
    status, raw, reason = _exchange(port, "POST", HANDSHAKE_PATH, {
        "Content-Type": "application/json", "Content-Length": str(len(body))}, body, timeout)
    if reason:
        return reason
    proof = (_json_object(status, raw) or {}).get("proof")
    if not isinstance(proof, str):
        return "unexpected_answer"
    expected = handshake_proof(token, port, challenge)
    if not hmac.compare_digest(proof.encode("utf-8", "replace"), expected.encode("ascii")):
        return "unauthorized"
    return None


def probe_companion(port: int, token: str | None, timeout: float
                    ) -> tuple[bool, str | None, str | None]:
    """(running, version, reason) from ``GET /api/v1/status`` on 127.0.0.1:port.

    Running means a 200 answer with the companion's JSON; anything else gives a reason:
    not_listening, timeout, unauthorized (something answers but does not know our token),
    unexpected_answer, or error. The token goes out only after the program on the port has
    proved it knows it (the handshake), so a program squatting the port while the companion is
    down never learns it.
    """
    headers = {}
    if token:
        reason = verify_port(port, token, timeout)
        if reason:
            return False, None, reason
        headers["Authorization"] = f"Bearer {token}"
    status, body, reason = _exchange(port, "GET", STATUS_PATH, headers, None, timeout)
    if reason:
        return False, None, reason
    if status == 401:
        return False, None, "unauthorized"
    answer = _json_object(status, body)
    if answer is None or not isinstance(answer.get("version"), str):
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
