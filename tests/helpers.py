"""Constants and helpers the tests share (conftest.py holds the fixtures)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from flask.testing import FlaskClient

# Tests never touch the real per-user folders or the OS keyring.
TEST_PORT = 47999
EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop"
ROOT = Path(__file__).resolve().parents[1]


class LoopbackClient(FlaskClient):
    """Sends requests to http://127.0.0.1:<test port>, as the extension does; a test may still
    send another Host header."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", f"http://127.0.0.1:{TEST_PORT}")
        return super().open(*args, **kwargs)


def make_client(app, token: str | None = None) -> FlaskClient:
    app.test_client_class = LoopbackClient
    client = app.test_client()
    if token:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@dataclass
class LiveServer:
    process: subprocess.Popen
    port: int
    data_dir: Path
    env: dict
    banner: list[str]

    @property
    def token(self) -> str:
        return (self.data_dir / "token").read_text().strip()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_server(data_dir: Path, extra_env: dict | None = None, timeout: float = 20.0
                 ) -> LiveServer:
    env = {**os.environ, "GOEN_DATA_DIR": str(data_dir), "GOEN_TOKEN_BACKEND": "file",
           "GOEN_PORT": "0", "GOEN_LOG_LEVEL": "warning", **(extra_env or {})}
    # stderr to a file: a pipe nobody reads could fill up and block the server
    log_path = data_dir.parent / f"{data_dir.name}-server.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "companion", "serve"], env=env,
                                   stdout=subprocess.PIPE, stderr=log, text=True)
    deadline = time.monotonic() + timeout
    port, banner = None, []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        banner.append(line.rstrip("\n"))
        match = re.search(r"API:\s+http://127\.0\.0\.1:(\d+)/", line)
        if match:
            port = int(match[1])
        if line.startswith("Listening on"):
            break
    if port is None:
        process.kill()
        raise RuntimeError(f"the companion did not start: {log_path.read_text()}")
    return LiveServer(process, port, data_dir, env, banner)


def stop_server(server: LiveServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def jsonld_person_page(name: str, *, url: str | None = None, job_title: str | None = None,
                       org: str | None = None, description: str | None = None,
                       same_as: list[str] | None = None) -> str:
    """A minimal page carrying a schema.org Person in JSON-LD, as many profile pages do."""
    import json

    person: dict = {"@context": "https://schema.org", "@type": "Person", "name": name}
    if url:
        person["url"] = url
    if job_title:
        person["jobTitle"] = job_title
    if org:
        person["worksFor"] = {"@type": "Organization", "name": org}
    if description:
        person["description"] = description
    if same_as:
        person["sameAs"] = same_as
    data = json.dumps(person, ensure_ascii=False)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title>'
            f'<script type="application/ld+json">{data}</script></head>'
            f"<body><h1>{name}</h1></body></html>")
