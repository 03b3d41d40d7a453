"""The message table, over a temporary data folder and a file token (never the keyring)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from companion.settings import load_settings
from companion.token_store import TokenStore
from native_host import dispatch as dispatch_module
from native_host.dispatch import HANDLERS, Context, dispatch


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture
def ctx(data_dir, monkeypatch):
    for name in list(os.environ):
        if name.startswith("GOEN_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GOEN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GOEN_TOKEN_BACKEND", "file")
    monkeypatch.setenv("GOEN_PORT", str(free_port()))
    return Context.from_settings(load_settings())


def use_port(ctx: Context, port: int) -> Context:
    return Context(load_settings({"port": port}), ctx.token_store, ctx.status_timeout)


def test_table():
    assert set(HANDLERS) == {"ping", "status", "pair", "start", "open"}


def test_ping(ctx):
    assert dispatch({"type": "ping"}, ctx) == {"type": "pong"}


@pytest.mark.parametrize("request_id", [7, "req-1", 0, ""])
def test_id_is_echoed(ctx, request_id):
    assert dispatch({"type": "ping", "id": request_id}, ctx) == {"type": "pong",
                                                                  "id": request_id}


def test_pair_creates_and_returns_the_stored_token(ctx, data_dir):
    assert TokenStore(data_dir, "file").peek() is None
    reply = dispatch({"type": "pair", "id": 1}, ctx)
    assert reply["type"] == "pair" and reply["id"] == 1
    assert reply["port"] == ctx.settings.port
    assert reply["token"] == (data_dir / "token").read_text().strip()
    assert reply["token"] == TokenStore(data_dir, "file").peek()
    assert len(reply["token"]) >= 32
    assert dispatch({"type": "pair"}, ctx)["token"] == reply["token"]  # stable


def test_pair_returns_an_existing_token(ctx, data_dir):
    token = TokenStore(data_dir, "file").get_or_create()
    assert dispatch({"type": "pair"}, ctx)["token"] == token


def test_unknown_type(ctx):
    reply = dispatch({"type": "stop", "id": 3}, ctx)
    assert reply["type"] == "error" and reply["code"] == "unknown_type" and reply["id"] == 3
    assert "stop" in reply["message"] and "open, pair, ping, start, status" in reply["message"]


def test_unknown_type_message_is_short(ctx):
    reply = dispatch({"type": "x" * 100_000}, ctx)
    assert reply["code"] == "unknown_type" and len(reply["message"]) < 300


@pytest.mark.parametrize("message", [
    [], "ping", 1, None, {}, {"id": 1}, {"type": 5}, {"type": ""}, {"type": None},
    {"type": "ping", "id": True}, {"type": "ping", "id": {"a": 1}},
    {"type": "ping", "id": "x" * 257}, {"type": "ping", "id": 1.5},
])
def test_bad_request(ctx, message):
    reply = dispatch(message, ctx)
    assert reply["type"] == "error" and reply["code"] == "bad_request"


def test_bad_request_echoes_a_valid_id(ctx):
    assert dispatch({"id": "q"}, ctx)["id"] == "q"
    assert "id" not in dispatch({"type": "ping", "id": [1]}, ctx)


def test_failing_handler_becomes_internal_error(ctx, monkeypatch):
    def boom(message, ctx):
        raise RuntimeError("boom")
    monkeypatch.setitem(HANDLERS, "ping", boom)
    reply = dispatch({"type": "ping", "id": 9}, ctx)
    assert reply == {"type": "error", "code": "internal_error", "id": 9,
                     "message": "The host failed to answer 'ping'."}


def test_status_when_nothing_listens(ctx, data_dir):
    reply = dispatch({"type": "status", "id": "s"}, ctx)
    assert reply == {"type": "status", "id": "s", "running": False, "version": None,
                     "port": ctx.settings.port, "reason": "not_listening"}
    assert not (data_dir / "token").exists()  # status never creates a token


def proof_for(token: str, port: int, challenge: str) -> str:
    message = f"goen-handshake-v1:{port}:{challenge}".encode()
    return hmac.new(token.encode(), message, hashlib.sha256).hexdigest()


class FakeCompanion(BaseHTTPRequestHandler):
    """Answers like the companion: the handshake with its token's proof, and status 200 with
    its version for the right Host and token."""

    token = ""
    seen: list[dict] = []

    def do_POST(self):
        headers = dict(self.headers)
        body = json.loads(self.rfile.read(int(headers["Content-Length"])))
        type(self).seen.append({"path": self.path, "body": body, **headers})
        port = self.server.server_address[1]
        if self.path == "/api/v1/handshake" and "Authorization" not in headers:
            self._send(200, {"proof": proof_for(self.token, port, body["challenge"])})
        else:
            self._send(404, {"error": {"code": "not_found"}})

    def do_GET(self):
        headers = dict(self.headers)
        type(self).seen.append({"path": self.path, **headers})
        port = self.server.server_address[1]
        if (self.path == "/api/v1/status" and headers.get("Host") == f"127.0.0.1:{port}"
                and headers.get("Authorization") == f"Bearer {self.token}"):
            self._send(200, {"version": "9.8.7", "schema_version": 1})
        else:
            self._send(401, {"error": {"code": "unauthorized"}})

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def fake_companion():
    FakeCompanion.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCompanion)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_status_running(ctx, fake_companion):
    port = fake_companion.server_address[1]
    ctx = use_port(ctx, port)
    FakeCompanion.token = ctx.token_store.get_or_create()
    reply = dispatch({"type": "status", "id": 4}, ctx)
    assert reply == {"type": "status", "id": 4, "running": True, "version": "9.8.7",
                     "port": port}
    handshake, request = FakeCompanion.seen
    # First the handshake, without the token, with a fresh challenge ...
    assert handshake["path"] == "/api/v1/handshake" and "Authorization" not in handshake
    assert handshake["Host"] == f"127.0.0.1:{port}"
    assert re.fullmatch(r"[0-9a-f]{64}", handshake["body"]["challenge"])
    # ... then status with it.
    assert request["path"] == "/api/v1/status"
    assert request["Host"] == f"127.0.0.1:{port}"
    assert request["Authorization"] == f"Bearer {FakeCompanion.token}"
    dispatch({"type": "status"}, ctx)
    assert FakeCompanion.seen[2]["body"]["challenge"] != handshake["body"]["challenge"]


def test_status_with_a_token_the_server_refuses(ctx, fake_companion):
    ctx = use_port(ctx, fake_companion.server_address[1])
    ctx.token_store.get_or_create()
    FakeCompanion.token = "another-token"
    reply = dispatch({"type": "status"}, ctx)
    assert reply["running"] is False and reply["reason"] == "unauthorized"
    # its proof was wrong, so it never saw our token
    assert [r["path"] for r in FakeCompanion.seen] == ["/api/v1/handshake"]


class Squatter(BaseHTTPRequestHandler):
    """A program on the companion's port that answers 200 to anything and keeps what it gets."""

    seen: list[dict] = []

    def do_GET(self):
        type(self).seen.append(dict(self.headers))
        self._answer()

    def do_POST(self):
        type(self).seen.append(dict(self.headers))
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer()

    def _answer(self):
        data = json.dumps({"version": "1.0", "proof": "0" * 64}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_a_squatter_on_the_port_never_gets_the_token(ctx):
    Squatter.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Squatter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        ctx = use_port(ctx, server.server_address[1])
        token = ctx.token_store.get_or_create()
        for kind in ("status", "start", "open"):
            reply = dispatch({"type": kind}, ctx)
            assert reply.get("running") is not True and reply.get("url") is None, reply
    finally:
        server.shutdown()
        server.server_close()
    assert Squatter.seen  # it was asked (the handshake) ...
    assert not [h for h in Squatter.seen if token in json.dumps(h)]  # ... never told


def test_status_when_the_port_does_not_answer(ctx):
    # A socket that listens but never accepts: the connect succeeds, the answer never comes.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        ctx = use_port(ctx, sock.getsockname()[1])
        ctx.status_timeout = 0.2
        reply = dispatch({"type": "status"}, ctx)
    assert reply["running"] is False and reply["reason"] == "timeout"


def test_status_when_something_else_answers(ctx):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        ctx = use_port(ctx, sock.getsockname()[1])

        def answer():
            conn, _ = sock.accept()
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        reply = dispatch({"type": "status"}, ctx)
        thread.join(5)
    assert reply["running"] is False and reply["reason"] == "unexpected_answer"


def test_status_reads_a_bounded_answer(ctx, monkeypatch):
    monkeypatch.setattr(dispatch_module, "MAX_STATUS_BYTES", 10)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        ctx = use_port(ctx, sock.getsockname()[1])
        body = json.dumps({"version": "1.0", "pad": "x" * 100}).encode()

        def answer():
            conn, _ = sock.accept()
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body)
                             + body)
        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        reply = dispatch({"type": "status"}, ctx)
        thread.join(5)
    assert reply["running"] is False and reply["reason"] == "unexpected_answer"
