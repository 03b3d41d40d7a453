"""Opening the web view from the extension without putting the API token in a URL.

``POST /api/v1/launch`` (bearer token, like every API call) answers a one-time URL,
``http://127.0.0.1:<port>/launch/<token>``; the native host asks for it on the extension's
``open`` message and the extension opens it in a tab. The body may name where the link leads,
``{"next": "/contacts/12"}`` (a path on this server; default ``/``): it is kept with the token,
never put in the URL. ``GET /launch/<token>`` is outside /api,
so the request guard asks for no bearer token there (the one-time token is the credential) but
still applies its Host and Origin / Sec-Fetch-Site rules. It sets an HttpOnly, SameSite=Strict
session cookie and redirects to the web view. The token is good for 60 seconds and once.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, redirect, request

from companion.errors import ApiError, bad_request
from companion.web.sessions import WebSessions, is_local_path, session_cookie_name

bp = Blueprint("web_launch", __name__)

SESSIONS_KEY = "goen.web_sessions"
MAX_TOKEN_CHARS = 128  # ours are 43; anything much longer is not worth hashing


@bp.record_once
def _make_sessions(state) -> None:
    # Registering the blueprint gives the app its in-memory session store.
    state.app.extensions.setdefault(SESSIONS_KEY, WebSessions())


def web_sessions() -> WebSessions:
    return current_app.extensions[SESSIONS_KEY]


def bound_port() -> int:
    """The port the server really listens on: `goen serve` tells the guard after binding,
    which matters when GOEN_PORT is 0."""
    return current_app.extensions["goen.guard"].port


@bp.post("/api/v1/launch")
def new_launch_url():
    raw = request.get_data(cache=False)
    try:
        body = json.loads(raw) if raw.strip() else {}
    except (ValueError, RecursionError):
        raise bad_request("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    next_path = body.get("next", "/")
    if not is_local_path(next_path):
        raise bad_request("next must be a path on this server, like /contacts/12.", "next")
    token = web_sessions().new_launch_token(next_path)
    return jsonify(url=f"http://127.0.0.1:{bound_port()}/launch/{token}")


@bp.get("/launch/<token>")
def launch(token: str):
    redeemed = web_sessions().redeem(token) if len(token) <= MAX_TOKEN_CHARS else None
    if redeemed is None:
        # The same answer for unknown, used and expired tokens; no cookie.
        raise ApiError(403, "forbidden",
                       "This link has expired or was already used; open the web view from the "
                       "extension again. / このリンクは期限切れか使用済みです。拡張機能から"
                       "もう一度開いてください。")
    response = redirect(redeemed.next_path, code=303)
    # No Max-Age: the cookie ends with the browser session, and the companion forgets every
    # session when it restarts anyway. Not Secure: the web view is plain http on loopback.
    response.set_cookie(session_cookie_name(bound_port()), redeemed.session, httponly=True,
                        samesite="Strict", path="/")
    return response
