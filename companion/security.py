"""The request guard: every HTTP rule of SECURITY.md, applied before Flask routes anything.

It is WSGI middleware so that nothing in the app (not even routing or a 404 page) runs for a
request that fails a rule, and so that the body is never read before its size is known.
The checks run in the order SECURITY.md gives:

1. Host is 127.0.0.1:P, localhost:P or [::1]:P (P the port we serve on)   → 421 (DNS rebinding)
2. Origin, when present, is the paired extension or the web view itself;
   Sec-Fetch-Site is not cross-site or same-site                          → 403
3. /api/: ``Authorization: Bearer <token>``, constant-time compare; never a
   token in the query string                                             → 401
   (``POST /api/v1/handshake`` alone needs no bearer token: it is how the
   extension checks the port before trusting it with the token. A token in
   its query string is still refused.)
4. /api/ bodies are application/json                                     → 415
5. Content-Length is present and within the limit; no Transfer-Encoding  → 411 / 413

Answers to requests that fail a rule name no product and no version (rule 7).

Paths outside /api/ (``GET /launch/<token>``, later the web view) get rules 1, 2 and 5: no bearer
token there, the one-time launch token or the session cookie is the credential.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Callable, Iterable, Mapping
from urllib.parse import parse_qsl

from companion.errors import ApiError
from companion.token_store import TokenStore

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Firefox gives each installed extension a random UUID for its moz-extension:// origin.
MOZ_EXTENSION_ORIGIN = re.compile(
    r"^moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CHROME_EXTENSION_ID = re.compile(r"^[a-p]{32}$")
TOKEN_QUERY_PARAMS = frozenset({"token", "access_token", "auth", "authorization", "api_key"})
# The only API route answered without a bearer token (method, PATH_INFO): the port-squatting
# handshake (companion/api/handshake.py). Its answer is an HMAC keyed with the token.
TOKENLESS_API_ROUTES = frozenset({("POST", "/api/v1/handshake")})
# Set by companion.server for a request that came with Transfer-Encoding: waitress removes the
# header from the environ after de-chunking, so the app could not see it otherwise.
CHUNKED_ENVIRON_KEY = "goen.transfer_encoding"
HANDSHAKE_CONTEXT = "goen-handshake-v1"


def handshake_proof(token: str, port: int, challenge: str) -> str:
    """The answer to the port-squatting handshake (companion/api/handshake.py): only a holder
    of the token can give it, and it names the port. Here, without Flask, because the native
    host checks it too and starts once per browser message."""
    message = f"{HANDSHAKE_CONTEXT}:{port}:{challenge}".encode("utf-8")
    return hmac.new(token.encode("utf-8"), message, hashlib.sha256).hexdigest()


class RequestGuard:
    """WSGI middleware enforcing SECURITY.md's HTTP rules."""

    def __init__(self, app: Callable, *, port: int, token_store: TokenStore,
                 extension_ids: Iterable[str], max_body_bytes: int,
                 route_limits: Mapping[tuple[str, str], int] | None = None):
        self.app = app
        self.token_store = token_store
        self.max_body_bytes = max_body_bytes
        # (method, path) → its own body limit: the web view's upload of a data export
        # (POST /import, max_upload_bytes); every other request keeps max_body_bytes
        self.route_limits = dict(route_limits or {})
        bad_ids = [i for i in extension_ids if not CHROME_EXTENSION_ID.match(i)]
        if bad_ids:
            raise ValueError(f"not Chromium extension ids: {', '.join(bad_ids)}")
        self.extension_origins = frozenset(f"chrome-extension://{i}" for i in extension_ids)
        self.set_port(port)

    def set_port(self, port: int) -> None:
        """The port is known only after binding when it was 0 (tests)."""
        self.port = port
        self.allowed_hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}",
                                        f"[::1]:{port}"})

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            self.check(environ)
        except ApiError as error:
            return error.wsgi_response(start_response)
        return self.app(environ, start_response)

    # -- the rules, in order ------------------------------------------------------------------

    def check(self, environ: dict) -> None:
        host = self.check_host(environ)
        self.check_origin(environ, host)
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET").upper()
        is_api = path == "/api" or path.startswith("/api/")
        if is_api:
            if (method, path) in TOKENLESS_API_ROUTES:
                self.check_no_token_in_url(environ)
            else:
                self.check_token(environ)
            if method in BODY_METHODS:
                self.check_json(environ)
        self.check_size(environ, method)

    def check_host(self, environ: dict) -> str:
        host = environ.get("HTTP_HOST", "").lower()
        if host not in self.allowed_hosts:
            raise ApiError(421, "misdirected_request",
                           "This server answers only to 127.0.0.1, localhost or [::1] "
                           "with its own port in the Host header.")
        return host

    def check_origin(self, environ: dict, host: str) -> None:
        fetch_site = environ.get("HTTP_SEC_FETCH_SITE", "").lower()
        if fetch_site in ("cross-site", "same-site"):
            raise ApiError(403, "forbidden", "Requests from other sites are refused.")
        origin = environ.get("HTTP_ORIGIN")
        if origin is None:
            return  # an extension's GET and a command-line client send none
        if (origin in self.extension_origins or MOZ_EXTENSION_ORIGIN.match(origin)
                or origin == f"http://{host}"):
            return
        raise ApiError(403, "forbidden", "This Origin is not allowed.")

    def check_no_token_in_url(self, environ: dict) -> None:
        query = environ.get("QUERY_STRING", "")
        if query and any(name.lower() in TOKEN_QUERY_PARAMS
                         for name, _ in parse_qsl(query, keep_blank_values=True)):
            raise ApiError(401, "unauthorized",
                           "Tokens are accepted only in the Authorization header, never in "
                           "the URL.", headers=[("WWW-Authenticate", "Bearer")])

    def check_token(self, environ: dict) -> None:
        challenge = [("WWW-Authenticate", "Bearer")]
        self.check_no_token_in_url(environ)
        header = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, presented = header.partition(" ")
        presented = presented.strip()
        if scheme.lower() != "bearer" or not presented:
            raise ApiError(401, "unauthorized", "A bearer token is required.",
                           headers=challenge)
        if not self.token_store.matches(presented):
            raise ApiError(401, "unauthorized", "The token is not valid.", headers=challenge)

    def check_json(self, environ: dict) -> None:
        content_type = environ.get("CONTENT_TYPE", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise ApiError(415, "unsupported_media_type",
                           "Send the body as application/json.")

    def body_limit(self, method: str, path: str) -> int:
        return self.route_limits.get((method, path), self.max_body_bytes)

    def check_size(self, environ: dict, method: str) -> None:
        if environ.get(CHUNKED_ENVIRON_KEY) or environ.get("HTTP_TRANSFER_ENCODING"):
            # Werkzeug would silently truncate a chunked body at MAX_CONTENT_LENGTH.
            raise ApiError(411, "length_required",
                           "Send the body with a Content-Length, without Transfer-Encoding.")
        raw_length = environ.get("CONTENT_LENGTH", "")
        if raw_length in ("", None):
            if method in BODY_METHODS:
                raise ApiError(411, "length_required", "A Content-Length header is required.")
            return
        try:
            length = int(raw_length)
        except ValueError:
            raise ApiError(400, "bad_request", "Content-Length is not a number.") from None
        if length < 0:
            raise ApiError(400, "bad_request", "Content-Length is negative.")
        limit = self.body_limit(method, environ.get("PATH_INFO", ""))
        if length > limit:
            raise ApiError(413, "payload_too_large",
                           f"The body is {length} bytes; the limit is {limit}.",
                           {"limit": limit})
