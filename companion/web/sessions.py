"""One-time launch tokens and the web view's session cookies, kept in memory only.

The extension (through the native host) asks ``POST /api/v1/launch`` for a launch URL and opens
it in a tab; ``GET /launch/<token>`` trades the one-time token for a session cookie. Nothing is
written to disk: a restart of the companion ends every session, and the next ``open`` makes a
new one. Only SHA-256 digests of tokens and session ids are kept, and looked up by digest, so a
lookup never compares secrets byte by byte.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from typing import Callable

LAUNCH_TOKEN_BYTES = 32
LAUNCH_TOKEN_SECONDS = 60.0
SESSION_BYTES = 32
# Enough for every tab a person opens; the oldest are forgotten first, so memory stays bounded
# even if something asks for launch tokens in a loop.
MAX_PENDING_LAUNCHES = 64
MAX_SESSIONS = 256


# Where a launch link may lead once the cookie is set: a path on this server. Every segment is
# non-empty, so "//evil.example" (a URL of another host) cannot match; no backslashes, no query.
LOCAL_PATH = re.compile(r"/(?:[A-Za-z0-9._~-]+/?)*")
MAX_PATH_CHARS = 256


def is_local_path(path: object) -> bool:
    return (isinstance(path, str) and len(path) <= MAX_PATH_CHARS
            and LOCAL_PATH.fullmatch(path) is not None)


@dataclasses.dataclass(frozen=True)
class Redeemed:
    session: str     # the new session id, for the cookie
    next_path: str   # where the launch link leads


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8", "replace")).digest()


def session_cookie_name(port: int) -> str:
    """Cookies are not kept apart by port, so two companions on one machine (a demo and the
    real one) would overwrite each other's cookie under a shared name."""
    return f"goen_session_{port}"


class WebSessions:
    """Launch tokens (60 s, single use) and the session ids they turn into."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 launch_seconds: float = LAUNCH_TOKEN_SECONDS):
        self.clock = clock  # tests set another clock to expire tokens without waiting
        self.launch_seconds = launch_seconds
        self._lock = threading.Lock()
        # digest → (expiry, next path)
        self._launches: OrderedDict[bytes, tuple[float, str]] = OrderedDict()
        self._sessions: OrderedDict[bytes, None] = OrderedDict()

    def new_launch_token(self, next_path: str = "/") -> str:
        if not is_local_path(next_path):
            raise ValueError(f"not a local path: {next_path!r}")
        token = secrets.token_urlsafe(LAUNCH_TOKEN_BYTES)
        with self._lock:
            self._forget_expired()
            self._launches[_digest(token)] = (self.clock() + self.launch_seconds, next_path)
            while len(self._launches) > MAX_PENDING_LAUNCHES:
                self._launches.popitem(last=False)
        return token

    def redeem(self, token: str) -> Redeemed | None:
        """A new session for a valid launch token, or None when the token is unknown, used or
        expired. Either way the token cannot be used again."""
        with self._lock:
            pending = self._launches.pop(_digest(token), None)
            if pending is None or self.clock() >= pending[0]:
                return None
            session = secrets.token_urlsafe(SESSION_BYTES)
            self._sessions[_digest(session)] = None
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
            return Redeemed(session, pending[1])

    def session_valid(self, session: str | None) -> bool:
        """For the web view's pages (a later part): is this cookie value a live session?"""
        if not session:
            return False
        with self._lock:
            return _digest(session) in self._sessions

    def _forget_expired(self) -> None:
        now = self.clock()
        for digest in [d for d, (expiry, _) in self._launches.items() if now >= expiry]:
            del self._launches[digest]
