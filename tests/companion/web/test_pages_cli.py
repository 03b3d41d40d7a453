"""`goen open` and `goen demo`: a one-time link from the running companion (or the demo's own),
which a browser trades for a session cookie and the web view."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from companion import demo
from tests.helpers import ROOT, start_server, stop_server


def run_goen(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT, env={**os.environ, **env})


def follow(url: str, cookie: str | None = None) -> http.client.HTTPResponse:
    port = int(url.split(":")[2].split("/")[0])
    path = "/" + url.split("/", 3)[3]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def open_web_view(url: str) -> str:
    """The launch link → the session cookie → the Today page's HTML."""
    launched = follow(url)
    assert launched.status == 303
    cookie = launched.getheader("Set-Cookie").split(";", 1)[0]
    assert "HttpOnly" in launched.getheader("Set-Cookie")
    today = follow(url.split("/launch/")[0] + "/", cookie)
    assert today.status == 200
    assert "default-src 'self'" in today.getheader("Content-Security-Policy")
    return today.body.decode("utf-8")


def test_open_print_gives_a_link_to_the_running_companion(data_dir):
    server = start_server(data_dir)
    try:
        env = {"GOEN_DATA_DIR": str(data_dir), "GOEN_PORT": str(server.port),
               "GOEN_TOKEN_BACKEND": "file"}
        done = run_goen(["open", "--print"], env)
        assert done.returncode == 0, done.stderr
        url = done.stdout.strip()
        assert url.startswith(f"http://127.0.0.1:{server.port}/launch/")
        assert server.token not in done.stdout + done.stderr
        assert "<html" in open_web_view(url)
        assert follow(url).status == 403          # once only
    finally:
        stop_server(server)


def test_open_says_what_to_do_when_the_companion_is_not_running(data_dir, tmp_path):
    (data_dir / "token").write_text("x" * 43)
    os.chmod(data_dir / "token", 0o600)
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    env = {"GOEN_DATA_DIR": str(data_dir), "GOEN_PORT": str(free), "GOEN_TOKEN_BACKEND": "file"}
    done = run_goen(["open", "--print"], env)
    assert done.returncode == 1
    assert "goen serve" in done.stderr and done.stdout == ""


def test_open_without_a_token_says_to_start_the_companion(tmp_path):
    env = {"GOEN_DATA_DIR": str(tmp_path / "nothing"), "GOEN_TOKEN_BACKEND": "file"}
    done = run_goen(["open", "--print"], env)
    assert done.returncode == 1 and "goen serve" in done.stderr


def test_demo_serves_a_generated_network_on_its_own(tmp_path):
    real = tmp_path / "real"
    demo_dir = tmp_path / "demo"
    env = {**os.environ, "GOEN_DATA_DIR": str(real), "GOEN_TOKEN_BACKEND": "file",
           "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "companion", "demo", "--print", "--contacts", "30",
         "--data-dir", str(demo_dir)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, cwd=ROOT, env=env)
    try:
        url, deadline = None, time.monotonic() + 90
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if "/launch/" in line:
                url = line.strip()
        assert url, "goen demo printed no link"
        html = open_web_view(url)
        assert "data-testid=\"suggestion\"" in html        # a living network: suggestions
        assert (demo_dir / "goen.sqlite3").exists() and (demo_dir / demo.MANIFEST).exists()
        assert not real.exists() or not (real / "goen.sqlite3").exists()   # untouched
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_demo_explains_when_the_generator_is_not_installed(tmp_path):
    with pytest.raises(demo.DemoUnavailable, match="pip install -e"):
        demo.load_generator(tmp_path / "no" / "gen_network.py")


def test_demo_folder_sits_beside_the_real_one():
    assert demo.demo_data_dir(Path("/home/a/.local/share/goen")) == Path(
        "/home/a/.local/share/goen-demo")
