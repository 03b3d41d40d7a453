"""`start` and `open`: the host starts a real companion (detached, on a free loopback port, with
a temporary data folder and a file token) and asks it for launch links. Every companion a test
starts is stopped by the test (the reap_companions fixture checks none is left)."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from companion import __version__
from companion.settings import load_settings
from native_host import launcher
from native_host.dispatch import Context, dispatch
from native_host.framing import read_frame, write_frame
from tests.native_host.conftest import companion_pids, stop_companions

REPO = Path(__file__).resolve().parents[2]
EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop"
HOST = [sys.executable, "-m", "native_host.main", f"chrome-extension://{EXTENSION_ID}/"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def data_dir(tmp_path, reap_companions) -> Path:
    path = tmp_path / "data"
    path.mkdir(mode=0o700)
    reap_companions(path)
    return path


@pytest.fixture
def host_env(data_dir) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOEN_")}
    env.update(GOEN_DATA_DIR=str(data_dir), GOEN_TOKEN_BACKEND="file",
               GOEN_EXTENSION_IDS=EXTENSION_ID, GOEN_PORT=str(free_port()),
               GOEN_LOG_LEVEL="warning")
    return env


@pytest.fixture
def ctx(data_dir, monkeypatch) -> Context:
    for name in list(os.environ):
        if name.startswith("GOEN_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GOEN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GOEN_TOKEN_BACKEND", "file")
    monkeypatch.setenv("GOEN_PORT", str(free_port()))
    return Context.from_settings(load_settings())


def run_host(env: dict, *messages) -> list[dict]:
    stdin = io.BytesIO()
    for message in messages:
        write_frame(stdin, message)
    # If the companion inherited the host's stdout, this would wait for the companion to end
    # (the pipe stays open) and time out.
    result = subprocess.run(HOST, input=stdin.getvalue(), env=env, cwd=REPO,
                            capture_output=True, timeout=40)
    assert result.returncode == 0, result.stderr
    stream, replies = io.BytesIO(result.stdout), []
    while (reply := read_frame(stream)) is not None:
        replies.append(reply)
    return replies


def get(port: int, path: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


# -- the real host and a real companion -------------------------------------------------------

def test_start_runs_a_detached_companion_that_outlives_the_host(host_env, data_dir):
    port = int(host_env["GOEN_PORT"])
    first, again, status = run_host(host_env, {"type": "start", "id": 1},
                                    {"type": "start", "id": 2}, {"type": "status", "id": 3})
    assert first == {"type": "start", "id": 1, "running": True, "version": __version__,
                     "port": port, "started": True}
    assert again == {**first, "id": 2, "started": False}
    assert status == {"type": "status", "id": 3, "running": True, "version": __version__,
                      "port": port}

    # The host has exited; the companion still serves, in a session of its own.
    [pid] = companion_pids(data_dir)
    assert os.getsid(pid) == pid and os.getsid(pid) != os.getsid(0)
    assert os.readlink(f"/proc/{pid}/fd/0") == os.devnull
    log = data_dir / "companion.log"
    assert os.readlink(f"/proc/{pid}/fd/1") == str(log)
    assert os.readlink(f"/proc/{pid}/fd/2") == str(log)
    assert log.stat().st_mode & 0o777 == 0o600
    assert f"http://127.0.0.1:{port}/" in log.read_text()
    # The host's environment passed through (GOEN_LOG_LEVEL was set only there).
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    assert b"GOEN_LOG_LEVEL=warning" in environ
    assert f"GOEN_PORT={port}".encode() in environ

    # A later host (the browser starts one per connectNative) finds it running.
    [later] = run_host(host_env, {"type": "start"})
    assert later["started"] is False
    assert stop_companions(data_dir) == [pid]
    assert run_host(host_env, {"type": "status"})[0]["reason"] == "not_listening"


def test_two_hosts_starting_at_once_leave_one_companion(host_env, data_dir):
    """Two browsers (or two windows) may ask at the same moment; the loser's companion cannot
    bind the port and exits, and its host still reports the winner running."""
    stdin = io.BytesIO()
    write_frame(stdin, {"type": "start"})
    hosts = [subprocess.Popen(HOST, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=host_env, cwd=REPO)
             for _ in range(2)]
    outputs = [host.communicate(stdin.getvalue(), timeout=40) for host in hosts]
    replies = [read_frame(io.BytesIO(out)) for out, _ in outputs]
    for reply, (_, err) in zip(replies, outputs):
        assert reply["type"] == "start" and reply["running"] is True, (reply, err)
        assert reply["port"] == int(host_env["GOEN_PORT"])
    assert len(companion_pids(data_dir)) == 1


def test_open_starts_the_companion_and_gives_a_one_time_launch_url(host_env, data_dir):
    port = int(host_env["GOEN_PORT"])
    first, second = run_host(host_env, {"type": "open", "id": "o1"}, {"type": "open"})
    assert first["type"] == "open" and first["id"] == "o1"
    match = re.fullmatch(rf"http://127\.0\.0\.1:{port}(/launch/[A-Za-z0-9_-]{{43}})",
                         first["url"])
    assert match, first
    assert second["url"] != first["url"]
    assert len(companion_pids(data_dir)) == 1  # one companion for both

    response = get(port, match[1])
    assert response.status == 303 and response.getheader("Location") == "/"
    cookie = response.getheader("Set-Cookie")
    assert cookie.startswith(f"goen_session_{port}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    used = get(port, match[1])
    assert used.status == 403 and used.getheader("Set-Cookie") is None

    # A link to a page of the web view; a path that is not one is refused by the companion.
    to_contact, bad, wrong_type = run_host(host_env, {"type": "open", "path": "/contacts/12"},
                                           {"type": "open", "path": "//evil.example/"},
                                           {"type": "open", "path": 12})
    response = get(port, to_contact["url"].split(str(port), 1)[1])
    assert response.status == 303 and response.getheader("Location") == "/contacts/12"
    assert bad["type"] == "error" and bad["code"] == "bad_request"
    assert wrong_type["type"] == "error" and wrong_type["code"] == "bad_request"


# -- failures, in-process with a real child process -------------------------------------------

def test_start_failed_names_the_exit_and_keeps_secrets_out_of_the_log_tail(ctx, data_dir):
    token = ctx.token_store.get_or_create()
    ctx.companion_command = (sys.executable, "-c",
                             "import sys; print('Authorization: Bearer abc.def'); "
                             f"print('token is {token}'); print('cannot bind', file=sys.stderr);"
                             " sys.exit(3)")
    reply = dispatch({"type": "start", "id": 7}, ctx)
    assert reply["type"] == "error" and reply["code"] == "start_failed" and reply["id"] == 7
    assert "exited with code 3" in reply["message"]
    assert str(data_dir / "companion.log") in reply["message"]
    assert "cannot bind" in reply["log"]
    assert token not in reply["log"] and "abc.def" not in reply["log"]
    assert "Bearer [redacted]" in reply["log"] and "token is [redacted]" in reply["log"]


def test_start_failed_after_the_timeout_stops_the_silent_child(ctx, data_dir):
    ctx.companion_command = (sys.executable, "-c",
                             "import os, time; print('pid', os.getpid(), flush=True); "
                             "time.sleep(120)")
    ctx.start_timeout = 1.0
    reply = dispatch({"type": "start"}, ctx)
    assert reply["code"] == "start_failed"
    assert "did not answer" in reply["message"] and "within 1 s" in reply["message"]
    pid = int(re.search(r"pid (\d+)", reply["log"])[1])
    assert not Path(f"/proc/{pid}").exists()  # stopped and reaped, not left running


def test_the_log_tail_is_only_this_start_and_short(ctx, data_dir):
    (data_dir / "companion.log").write_text("an old run's line\n")
    ctx.companion_command = (sys.executable, "-c",
                             "import sys\nfor i in range(500): print('line', i, 'x' * 500)\n"
                             "sys.exit(1)")
    reply = dispatch({"type": "start"}, ctx)
    assert "old run" not in reply["log"]
    assert len(reply["log"]) <= launcher.LOG_TAIL_CHARS
    assert reply["log"].rstrip().splitlines()[-1].startswith("line 499")


def test_a_large_log_is_rotated_before_a_start(ctx, data_dir):
    (data_dir / "companion.log").write_bytes(b"x" * (launcher.LOG_ROTATE_BYTES + 1))
    ctx.companion_command = (sys.executable, "-c", "print('fresh'); raise SystemExit(2)")
    dispatch({"type": "start"}, ctx)
    assert (data_dir / "companion.log.1").stat().st_size == launcher.LOG_ROTATE_BYTES + 1
    assert (data_dir / "companion.log").read_text() == "fresh\n"


def test_a_command_that_cannot_run_is_start_failed(ctx):
    ctx.companion_command = (str(Path(ctx.settings.data_dir) / "no-such-python"),)
    reply = dispatch({"type": "start"}, ctx)
    assert reply["code"] == "start_failed" and "Could not run" in reply["message"]


def test_port_0_cannot_be_started(ctx, data_dir):
    ctx = Context(load_settings({"port": 0}), ctx.token_store)
    reply = dispatch({"type": "start"}, ctx)
    assert reply["code"] == "start_failed" and "GOEN_PORT is 0" in reply["message"]
    assert not (data_dir / "companion.log").exists()


# -- something else on the port ---------------------------------------------------------------

class Impostor(BaseHTTPRequestHandler):
    """Knows the token (the handshake passes) and answers status like a companion, but
    launch with whatever ``launch_answer`` says."""

    token = ""
    launch_answer: dict = {}
    seen: list[str] = []

    def do_GET(self):
        type(self).seen.append(f"GET {self.path}")
        self._send(200, {"version": "9.9.9"})

    def do_POST(self):
        type(self).seen.append(f"POST {self.path}")
        type(self).seen.append(self.headers.get("Authorization"))
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        if self.path == "/api/v1/handshake":
            port = self.server.server_address[1]
            message = f"goen-handshake-v1:{port}:{body['challenge']}".encode()
            self._send(200, {"proof": hmac.new(self.token.encode(), message,
                                               hashlib.sha256).hexdigest()})
        else:
            self._send(200, self.launch_answer)

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def impostor():
    Impostor.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Impostor)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def on_port(ctx: Context, port: int) -> Context:
    Impostor.token = ctx.token_store.get_or_create()  # status and launch need the token
    return Context(load_settings({"port": port}), ctx.token_store, ctx.status_timeout,
                   companion_command=(sys.executable, "-c", "raise SystemExit('spawned')"))


def test_start_when_already_running_spawns_nothing(ctx, impostor, data_dir):
    port = impostor.server_address[1]
    reply = dispatch({"type": "start"}, on_port(ctx, port))
    assert reply == {"type": "start", "running": True, "version": "9.9.9", "port": port,
                     "started": False}
    assert not (data_dir / "companion.log").exists()


@pytest.mark.parametrize("url", ["http://evil.example/launch/abc",
                                 "http://127.0.0.1:1/launch/abc", "javascript:alert(1)", 5,
                                 None])
def test_open_hands_over_only_a_launch_url_on_our_port(ctx, impostor, url):
    Impostor.launch_answer = {"url": url}
    reply = dispatch({"type": "open"}, on_port(ctx, impostor.server_address[1]))
    assert reply["type"] == "error" and reply["code"] == "open_failed"
    assert "POST /api/v1/launch" in Impostor.seen


def test_open_passes_on_a_good_launch_url(ctx, impostor):
    port = impostor.server_address[1]
    Impostor.launch_answer = {"url": f"http://127.0.0.1:{port}/launch/abc"}
    assert dispatch({"type": "open"}, on_port(ctx, port)) == {
        "type": "open", "url": f"http://127.0.0.1:{port}/launch/abc"}
    assert Impostor.seen[-1] == f"Bearer {ctx.token_store.peek()}"


def test_a_port_held_by_another_program_is_port_in_use(ctx, data_dir):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]

        def answer():
            conn, _ = sock.accept()
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        reply = dispatch({"type": "start", "id": 1}, on_port(ctx, port))
        thread.join(5)
    assert reply["code"] == "port_in_use" and str(port) in reply["message"]
    assert "unexpected_answer" in reply["message"]
    assert not (data_dir / "companion.log").exists()  # nothing was started
