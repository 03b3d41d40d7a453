"""``POST /api/v1/handshake``: proves to the extension that the port it is about to send its
token to is held by the companion that knows that token, not by a program squatting the port.

The extension sends a fresh random challenge; the companion answers
``HMAC-SHA256(key=token, msg="goen-handshake-v1:<port>:<challenge>")`` in hex. Only a holder of
the token can compute it, the challenge makes an old answer useless, and the port in the message
keeps a squatter from relaying the question to the real companion on another port. The request
guard asks for no bearer token here (the extension has not trusted the port yet) and applies
every other rule; the answer carries nothing but the proof (SECURITY.md rule 7).
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, current_app, jsonify, request

from companion.errors import bad_request
from companion.security import handshake_proof

bp = Blueprint("api_handshake", __name__, url_prefix="/api/v1")

CHALLENGE = re.compile(r"[0-9a-f]{64}")


@bp.post("/handshake")
def handshake():
    try:
        body = json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):
        raise bad_request("The body is not valid JSON.") from None
    challenge = body.get("challenge") if isinstance(body, dict) else None
    if not isinstance(challenge, str) or not CHALLENGE.fullmatch(challenge):
        raise bad_request("challenge must be 64 lowercase hexadecimal characters.", "challenge")
    token = current_app.extensions["goen.tokens"].get_or_create()
    # The port the server is bound to (set by `goen serve` after binding, even for port 0),
    # which is also the only port the guard let this request reach.
    port = current_app.extensions["goen.guard"].port
    return jsonify(proof=handshake_proof(token, port, challenge))
