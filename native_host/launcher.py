"""Starting the companion in the background, and asking it for a launch URL of the web view.

The host is a short-lived child of the browser; the companion it starts must outlive it. So the
companion runs in a session of its own (no signal to the host's process group reaches it), reads
nothing (stdin is /dev/null) and writes to a 0600 log in the data folder, never to the host's
stdout, which carries frames to the browser (an inherited pipe would also keep the browser
from seeing the host exit). On Windows, Firefox puts the host in a job object that is killed
with it; CREATE_BREAKAWAY_FROM_JOB lets the companion leave it:
https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_messaging#closing_the_native_app
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from companion.settings import Settings

log = logging.getLogger(__name__)

# The interpreter running the host runs the companion too: same install, same packages.
COMPANION_COMMAND = (sys.executable, "-m", "companion", "serve")
LOG_NAME = "companion.log"
LOG_ROTATE_BYTES = 1024 * 1024  # past this, the log moves to companion.log.1 at the next start
START_TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 0.1
LOG_TAIL_LINES = 20
LOG_TAIL_CHARS = 2000
LAUNCH_PATH = "/api/v1/launch"
MAX_LAUNCH_ANSWER_BYTES = 16 * 1024

Probe = Callable[[int, "str | None", float], "tuple[bool, str | None, str | None]"]


class StartError(Exception):
    """The companion could not be started or reached; ``code`` is the error frame's code."""

    def __init__(self, code: str, message: str, log_tail: str | None = None):
        super().__init__(message)
        self.code, self.message, self.log_tail = code, message, log_tail


@dataclasses.dataclass
class Started:
    version: str
    port: int
    started: bool  # False when it was already running


def log_path(settings: Settings) -> Path:
    return settings.data_dir / LOG_NAME


def open_log(path: Path) -> int:
    """An fd appending to the companion's log, owner-only, rotated once it grows large."""
    path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    try:
        if path.stat().st_size > LOG_ROTATE_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)  # an older log may have been made with a looser mode
    return fd


def companion_environ(settings: Settings) -> dict[str, str]:
    """The host's own environment (GOEN_* settings pass through), with the settings the host
    resolved spelled out, so the companion serves the port and data folder the host probes."""
    env = dict(os.environ)
    env.update(GOEN_DATA_DIR=str(settings.data_dir), GOEN_PORT=str(settings.port),
               GOEN_TOKEN_BACKEND=settings.token_backend)
    return env


def spawn_detached(command: Sequence[str], env: dict, log_fd: int, cwd: Path
                   ) -> subprocess.Popen:
    def popen(**kwargs) -> subprocess.Popen:
        return subprocess.Popen(list(command), stdin=subprocess.DEVNULL, stdout=log_fd,
                                stderr=log_fd, env=env, cwd=cwd, close_fds=True, **kwargs)

    if sys.platform != "win32":
        return popen(start_new_session=True)
    flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
    try:
        return popen(creationflags=flags | subprocess.CREATE_BREAKAWAY_FROM_JOB)
    except OSError:  # a job that forbids breaking away; Chrome does not use one
        return popen(creationflags=flags)


def ensure_running(settings: Settings, token_of: Callable[[], "str | None"], probe: Probe, *,
                   command: Sequence[str] = COMPANION_COMMAND,
                   timeout: float = START_TIMEOUT_SECONDS,
                   probe_timeout: float = 2.0) -> Started:
    """Start the companion unless it answers already; wait until it answers ``status``."""
    port = settings.port
    if port == 0:
        raise StartError("start_failed", "GOEN_PORT is 0 (a free port picked at random); the "
                                         "extension needs a fixed port to find the companion.")
    running, version, reason = probe(port, token_of(), probe_timeout)
    if running:
        return Started(version, port, started=False)
    if reason != "not_listening":
        # Something holds the port (another program, or a companion with another token): a new
        # companion could not bind it, and starting one would only add a failing process.
        raise StartError("port_in_use", f"Port {port} is taken but the companion does not "
                                        f"answer there ({reason}); `goen doctor` tells more.")
    path = log_path(settings)
    log_fd = open_log(path)
    try:
        log_start = os.fstat(log_fd).st_size
        process = spawn_detached(command, companion_environ(settings), log_fd,
                                 settings.data_dir)
    except OSError as exc:
        raise StartError("start_failed", f"Could not run the companion: {exc}") from None
    finally:
        os.close(log_fd)  # the child has its own copy
    log.info("started the companion (pid %d) on port %d", process.pid, port)

    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        running, version, reason = probe(port, token_of(),
                                         max(0.05, min(probe_timeout, remaining)))
        if running:
            # Ours, or, when ours has exited, one another host started at the same moment
            # (ours then lost the race for the port).
            return Started(version, port, started=process.poll() is None)
        if time.monotonic() >= deadline:
            break
        if process.poll() is not None and reason == "not_listening":
            break  # ours has ended and nobody else holds the port: no use waiting
        time.sleep(POLL_SECONDS)

    if process.poll() is None:  # never answered: do not leave it running
        _stop(process)
        what = f"did not answer on port {port} within {timeout:g} s"
    else:
        what = f"exited with code {process.returncode}"
    raise StartError("start_failed", f"The companion {what}. Its log: {path}",
                     log_tail(path, log_start, token_of()))


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=3)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_BEARER = re.compile(r"(?i)(bearer\s+)\S+")


def log_tail(path: Path, offset: int, token: str | None) -> str:
    """The last lines this start wrote to the log, short, with anything token-like removed."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    if token:
        text = text.replace(token, "[redacted]")
    text = _BEARER.sub(r"\1[redacted]", text)
    lines = [line[:300] for line in text.splitlines() if line.strip()][-LOG_TAIL_LINES:]
    return "\n".join(lines)[-LOG_TAIL_CHARS:]


def request_launch_url(port: int, token: str, next_path: str | None = None,
                       timeout: float = 5.0) -> str:
    """A one-time URL of the web view from ``POST /api/v1/launch``, leading to ``next_path``
    (a path on the companion; the companion checks it) or to the web view's start."""
    body = json.dumps({"next": next_path} if next_path is not None else {}).encode("utf-8")
    headers = {"Host": f"127.0.0.1:{port}", "Authorization": f"Bearer {token}",
               "Content-Type": "application/json", "Content-Length": str(len(body)),
               "Accept": "application/json", "Connection": "close"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", LAUNCH_PATH, body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read(MAX_LAUNCH_ANSWER_BYTES)
    except (OSError, http.client.HTTPException) as exc:
        raise StartError("open_failed", f"The companion did not answer {LAUNCH_PATH}: {exc}"
                         ) from None
    finally:
        conn.close()
    if response.status == 400:
        raise StartError("bad_request", "path must be a path on the companion, like "
                                        "/contacts/12.")
    if response.status != 200:
        raise StartError("open_failed", f"The companion answered {response.status} to "
                                        f"{LAUNCH_PATH}.")
    try:
        url = json.loads(raw.decode("utf-8")).get("url")
    except (ValueError, AttributeError):
        url = None
    # Only ever hand the extension a launch link on our own port, whatever answered.
    prefix = f"http://127.0.0.1:{port}/launch/"
    if not isinstance(url, str) or not url.startswith(prefix) or len(url) > 512:
        raise StartError("open_failed", "The companion's launch answer is not a launch URL.")
    return url
