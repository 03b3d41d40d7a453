"""The API token: created once, kept in the OS keyring, or in a 0600 file where there is none.

The token is what the extension presents as ``Authorization: Bearer <token>``. ``goen pair
--show`` prints it for manual pairing and ``goen pair --rotate`` replaces it (which unpairs the
extension). On headless Linux there is usually no keyring backend (no Secret Service on D-Bus),
so the token falls back to ``<data_dir>/token`` with mode 0600 and a warning.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

KEYRING_SERVICE = "goen"
TOKEN_BYTES = 32
_KEYRING_RECHECK_SECONDS = 5.0


class TokenError(RuntimeError):
    """The token could not be read or written."""


def _usable_keyring():
    """The keyring backend, or None where only the 'fail' or 'null' backend exists."""
    try:
        import keyring
        from keyring.backends import fail, null
    except Exception:  # pragma: no cover - keyring is a dependency, but may be broken
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return None
    # The chainer is usable only if it chains at least one real backend.
    backends = getattr(backend, "backends", None)
    if backends is not None and not [
        b for b in backends if not isinstance(b, (fail.Keyring, null.Keyring))
    ]:
        return None
    return keyring


class TokenStore:
    """Reads, creates and rotates the token for one data folder."""

    def __init__(self, data_dir: Path, backend: str = "auto"):
        self.data_dir = Path(data_dir)
        self.file_path = self.data_dir / "token"
        # One keyring entry per data folder, so a demo database never shares the real token.
        self.keyring_user = "api-token:" + hashlib.sha256(
            str(self.data_dir.resolve()).encode()).hexdigest()[:16]
        self._lock = threading.Lock()
        self._cached: str | None = None
        self._cached_stamp: object = None
        self._checked_at = 0.0
        self.backend = self._choose(backend)

    def _choose(self, wanted: str) -> str:
        if wanted == "file":
            return "file"
        keyring = _usable_keyring()
        if keyring is None:
            if wanted == "keyring":
                raise TokenError("GOEN_TOKEN_BACKEND=keyring but no keyring backend is available")
            log.warning("No OS keyring backend found; the API token is kept in %s (mode 0600).",
                        self.file_path)
            return "file"
        return "keyring"

    @property
    def location(self) -> str:
        if self.backend == "keyring":
            return f"OS keyring (service {KEYRING_SERVICE!r}, user {self.keyring_user!r})"
        return str(self.file_path)

    # -- reading and writing ------------------------------------------------------------------

    def _read(self) -> str | None:
        if self.backend == "keyring":
            import keyring
            try:
                return keyring.get_password(KEYRING_SERVICE, self.keyring_user)
            except Exception as exc:
                raise TokenError(f"cannot read the token from the keyring: {exc}") from exc
        try:
            text = self.file_path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise TokenError(f"cannot read the token file {self.file_path}: {exc}") from exc
        return text or None

    def _write(self, token: str) -> None:
        if self.backend == "keyring":
            import keyring
            try:
                keyring.set_password(KEYRING_SERVICE, self.keyring_user, token)
            except Exception as exc:
                raise TokenError(f"cannot write the token to the keyring: {exc}") from exc
            return
        self.data_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
        tmp = self.file_path.with_name(f".token.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, token.encode("ascii") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.file_path)

    def _stamp(self) -> object:
        """Something that changes when the stored token may have changed."""
        if self.backend == "file":
            try:
                st = self.file_path.stat()
                return (st.st_mtime_ns, st.st_size, st.st_ino)
            except FileNotFoundError:
                return None
        return int(time.monotonic() // _KEYRING_RECHECK_SECONDS)

    # -- public -------------------------------------------------------------------------------

    def peek(self) -> str | None:
        """The stored token, or None; never creates one."""
        return self._read()

    def get_or_create(self) -> str:
        """The current token, creating one on first use. Cheap: re-read only when it changed,
        so that ``goen pair --rotate`` takes effect in a running companion at once."""
        with self._lock:
            stamp = self._stamp()
            if self._cached is not None and stamp == self._cached_stamp:
                return self._cached
            token = self._read()
            if token is None:
                token = secrets.token_urlsafe(TOKEN_BYTES)
                self._write(token)
                stamp = self._stamp()
            self._cached, self._cached_stamp = token, stamp
            return token

    def rotate(self) -> str:
        with self._lock:
            token = secrets.token_urlsafe(TOKEN_BYTES)
            self._write(token)
            self._cached, self._cached_stamp = token, self._stamp()
            return token

    def matches(self, presented: str) -> bool:
        """Constant-time comparison of a presented token with the current one."""
        return hmac.compare_digest(presented.encode("utf-8", "replace"),
                                   self.get_or_create().encode("ascii"))
