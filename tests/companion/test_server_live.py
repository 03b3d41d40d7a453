"""The real companion (`goen serve` as a subprocess, waitress on a loopback port) over real
sockets: what only a live server can show."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys

import pytest

from tests.helpers import start_server, stop_server

pytestmark = pytest.mark.live


def read_response(sock: socket.socket) -> tuple[int, dict, bytes]:
    """Read one HTTP answer: the head, then Content-Length bytes (or until the socket closes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "-1"))
    while length < 0 or len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def raw_request(port: int, data: bytes) -> tuple[int, dict, bytes]:
    """Send bytes as they are (http.client would fix up our request) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        return read_response(sock)


def request(server, method: str, path: str, body: object = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    all_headers = {"Authorization": f"Bearer {server.token}", **(headers or {})}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    try:
        conn.request(method, path, body=payload, headers=all_headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_listening_socket_is_loopback_only(live_server):
    """Read the kernel's table of listening TCP sockets for the server's port."""
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as f:
            next(f)
            for line in f:
                fields = line.split()
                address, port_hex = fields[1].rsplit(":", 1)
                if int(port_hex, 16) == live_server.port and fields[3] == "0A":  # LISTEN
                    listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, little-endian hex; nothing on 0.0.0.0 or ::


def test_status_answers_with_a_valid_token(live_server):
    status, headers, body = request(live_server, "GET", "/api/v1/status")
    assert status == 200
    assert json.loads(body)["schema_version"] >= 1
    assert "server" not in {k.lower() for k in headers}


def test_forged_host_gets_421_over_a_live_socket(live_server):
    status, _, body = raw_request(live_server.port, (
        f"GET /api/v1/status HTTP/1.1\r\nHost: attacker.example:{live_server.port}\r\n"
        f"Authorization: Bearer {live_server.token}\r\nConnection: close\r\n\r\n").encode())
    assert status == 421
    assert json.loads(body)["error"]["code"] == "misdirected_request"


def test_chunked_body_gets_411_over_a_live_socket(live_server):
    body = b'{"url": "https://x.com/a", "html": "<p>x</p>"}'
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    status, _, answer = raw_request(live_server.port, (
        f"POST /api/v1/captures HTTP/1.1\r\nHost: 127.0.0.1:{live_server.port}\r\n"
        f"Authorization: Bearer {live_server.token}\r\nContent-Type: application/json\r\n"
        f"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode() + chunked)
    assert status == 411
    assert json.loads(answer)["error"]["code"] == "length_required"
    # and nothing was stored
    with sqlite3.connect(live_server.data_dir / "goen.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 0


def test_the_same_small_body_with_content_length_is_accepted(live_server):
    """The twin of the chunked test: only the framing differs, so the 411 above is about it."""
    status, _, _ = request(live_server, "POST", "/api/v1/captures",
                           {"url": "https://x.com/a", "html": "<p>x</p>"})
    assert status in (201, 202)


def test_huge_body_is_refused_with_413_before_it_is_read(live_server):
    """A 20 MB Content-Length is refused from the headers alone, in the API's error shape."""
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=10) as sock:
        sock.sendall((
            f"POST /api/v1/captures HTTP/1.1\r\nHost: 127.0.0.1:{live_server.port}\r\n"
            f"Authorization: Bearer {live_server.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {20 * 1024 * 1024}\r\n\r\n").encode())
        sock.sendall(b"x" * 65536)  # a start of the body; the answer must not wait for the rest
        status, headers, body = read_response(sock)
    assert status == 413
    error = json.loads(body)["error"]
    assert error["status"] == 413 and error["code"] == "request_entity_too_large"
    assert "server" not in headers
    assert b"waitress" not in body.lower()


def test_second_server_on_the_same_port_exits_instead_of_binding_elsewhere(live_server,
                                                                           tmp_path):
    env = {**live_server.env, "GOEN_PORT": str(live_server.port),
           "GOEN_DATA_DIR": str(tmp_path / "other")}
    result = subprocess.run([sys.executable, "-m", "companion", "serve"], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{live_server.port}" in result.stderr


def test_capture_answered_is_on_disk_after_sigkill(data_dir):
    server = start_server(data_dir)
    try:
        html = ('<html><head><script type="application/ld+json">{"@context": '
                '"https://schema.org", "@type": "Person", "name": "佐藤 花子"}</script>'
                '</head><body></body></html>')
        status, _, body = request(server, "POST", "/api/v1/captures",
                                  {"url": "https://example.com/hanako", "html": html})
        assert status == 201, body
        capture_id = json.loads(body)["capture_id"]
        server.process.send_signal(signal.SIGKILL)  # no chance to flush or close anything
        server.process.wait(timeout=10)
    finally:
        stop_server(server)
    restarted = start_server(data_dir)
    try:
        status, _, body = request(restarted, "GET",
                                  "/api/v1/lookup?url=https%3A%2F%2Fexample.com%2Fhanako")
        assert status == 200
        answer = json.loads(body)
        assert answer["known"] and answer["contact"]["display_name"] == "佐藤 花子"
    finally:
        stop_server(restarted)
    with sqlite3.connect(data_dir / "goen.sqlite3") as conn:
        row = conn.execute("SELECT status FROM captures WHERE id = ?", (capture_id,)).fetchone()
    assert row == ("parsed",)
