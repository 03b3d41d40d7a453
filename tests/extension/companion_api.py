"""Talking to the real companion the way a test checks it: its SQLite file, read directly, and
its HTTP API with the token (for arranging what the browser is then shown)."""

from __future__ import annotations

import http.client
import json
import sqlite3

from tests.helpers import LiveServer


def query(server: LiveServer, sql: str, *params) -> list[tuple]:
    """Rows from the companion's database file, opened read-only beside the running server."""
    path = server.data_dir / "goen.sqlite3"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(sql, params).fetchall()


def contact_names(server: LiveServer) -> list[str]:
    return [row[0] for row in query(server, "SELECT display_name FROM contacts ORDER BY id")]


def interaction_count(server: LiveServer) -> int:
    return query(server, "SELECT COUNT(*) FROM interactions")[0][0]


def api(server: LiveServer, method: str, path: str, body: object = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Authorization": f"Bearer {server.token}"}
    payload = None
    if body is not None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, f"/api/v1{path}", body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else {})
    finally:
        conn.close()
