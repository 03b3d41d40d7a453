"""The real host as a subprocess, started the way a browser starts it."""

from __future__ import annotations

import io
import os
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from native_host.framing import read_frame, write_frame
from native_host.main import FIREFOX_EXTENSION_ID

REPO = Path(__file__).resolve().parents[2]
EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop"
OTHER_ID = "ponmlkjihgfedcbaponmlkjihgfedcba"
CHROME_CALLER = [f"chrome-extension://{EXTENSION_ID}/"]
HOST = [sys.executable, "-m", "native_host.main"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def data_dir(tmp_path) -> Path:
    path = tmp_path / "data"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture
def host_env(data_dir) -> dict:
    # No PYTHONUNBUFFERED: a browser does not set it, and with it the host's stdout would be
    # unbuffered, hiding a missing flush.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GOEN_") and k != "PYTHONUNBUFFERED"}
    env.update(GOEN_DATA_DIR=str(data_dir), GOEN_TOKEN_BACKEND="file",
               GOEN_EXTENSION_IDS=EXTENSION_ID, GOEN_PORT=str(free_port()))
    return env


def frames(*messages) -> bytes:
    stream = io.BytesIO()
    for message in messages:
        write_frame(stream, message)
    return stream.getvalue()


def replies(stdout: bytes) -> list:
    stream, out = io.BytesIO(stdout), []
    while (message := read_frame(stream)) is not None:
        out.append(message)
    return out


def run_host(args, stdin: bytes, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(HOST + list(args), input=stdin, env=env, cwd=REPO,
                          capture_output=True, timeout=60)


def test_ping_and_pair_then_eof(host_env, data_dir):
    result = run_host(CHROME_CALLER, frames({"type": "ping", "id": 1},
                                            {"type": "pair", "id": 2}), host_env)
    assert result.returncode == 0, result.stderr
    pong, pair = replies(result.stdout)
    assert pong == {"type": "pong", "id": 1}
    assert pair == {"type": "pair", "id": 2, "port": int(host_env["GOEN_PORT"]),
                    "token": (data_dir / "token").read_text().strip()}


def test_replies_come_before_stdin_closes(host_env):
    """A connectNative port stays open: each reply must be flushed at once."""
    process = subprocess.Popen(HOST + CHROME_CALLER, env=host_env, cwd=REPO,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    try:
        for i in range(2):
            process.stdin.write(frames({"type": "ping", "id": i}))
            process.stdin.flush()
            assert read_frame(process.stdout) == {"type": "pong", "id": i}
        process.stdin.close()
        assert process.wait(timeout=30) == 0
        assert process.stdout.read() == b""
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()


def test_firefox_caller(host_env, tmp_path):
    manifest = str(tmp_path / "goen.json")
    result = run_host([manifest, FIREFOX_EXTENSION_ID], frames({"type": "ping"}), host_env)
    assert result.returncode == 0, result.stderr
    assert replies(result.stdout) == [{"type": "pong"}]


@pytest.mark.parametrize("args", [
    [f"chrome-extension://{OTHER_ID}/"],
    [f"chrome-extension://{EXTENSION_ID}.evil/"],
    [f"moz-extension://{EXTENSION_ID}/"],
    ["/tmp/goen.json", "someone-else@example.org"],
    ["/tmp/goen.json", f"chrome-extension://{EXTENSION_ID}/x"],
    [],
])
def test_wrong_caller_refused_with_empty_stdout(host_env, data_dir, args):
    result = run_host(args, frames({"type": "pair"}), host_env)
    assert result.returncode != 0
    assert result.stdout == b""
    assert b"refusing caller" in result.stderr
    assert not (data_dir / "token").exists()


def test_no_allowed_ids_refuses_every_chromium_caller(host_env):
    host_env.pop("GOEN_EXTENSION_IDS")
    result = run_host(CHROME_CALLER, frames({"type": "ping"}), host_env)
    assert result.returncode != 0 and result.stdout == b""


def test_oversize_length_header_exits_without_reply(host_env):
    stdin = frames({"type": "ping", "id": 1}) + struct.pack("=I", 0xFFFFFFFF) + b'{"type":"ping"}'
    result = run_host(CHROME_CALLER, stdin, host_env)
    assert result.returncode == 1
    assert replies(result.stdout) == [{"type": "pong", "id": 1}]  # nothing for the bad frame
    assert b"over the" in result.stderr


def test_oversize_length_header_alone(host_env):
    result = run_host(CHROME_CALLER, struct.pack("=I", 0xFFFFFFFF), host_env)
    assert result.returncode == 1 and result.stdout == b""


def test_truncated_frame_exits_non_zero(host_env):
    result = run_host(CHROME_CALLER, struct.pack("=I", 50) + b'{"type":', host_env)
    assert result.returncode == 1 and result.stdout == b""


def test_invalid_json_answered_and_host_goes_on(host_env):
    bad = struct.pack("=I", 5) + b"{oops"
    result = run_host(CHROME_CALLER, bad + frames({"type": "ping", "id": 2}), host_env)
    assert result.returncode == 0, result.stderr
    error, pong = replies(result.stdout)
    assert error["type"] == "error" and error["code"] == "invalid_json"
    assert pong == {"type": "pong", "id": 2}


def test_errors_are_frames_and_logs_stay_on_stderr(host_env):
    result = run_host(CHROME_CALLER, frames(["not", "an object"], {"type": "nope", "id": 3},
                                            {"type": "status", "id": 4}), host_env)
    assert result.returncode == 0, result.stderr
    bad, unknown, status = replies(result.stdout)
    assert bad["code"] == "bad_request"
    assert unknown["code"] == "unknown_type" and unknown["id"] == 3
    assert status == {"type": "status", "id": 4, "running": False, "version": None,
                      "port": int(host_env["GOEN_PORT"]), "reason": "not_listening"}


def test_invalid_settings_exit_with_empty_stdout(host_env):
    host_env["GOEN_PORT"] = "not-a-port"
    result = run_host(CHROME_CALLER, frames({"type": "ping"}), host_env)
    assert result.returncode == 1 and result.stdout == b""
