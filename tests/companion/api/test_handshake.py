"""POST /api/v1/handshake: the port-squatting check the extension runs before sending its token."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import secrets

import pytest

from companion.api.handshake import handshake_proof
from tests.helpers import EXTENSION_ID, TEST_PORT


def expected_proof(token: str, port: int, challenge: str) -> str:
    # Written out again from the protocol text, not through the module under test.
    message = ("goen-handshake-v1:" + str(port) + ":" + challenge).encode()
    return hmac.new(token.encode("utf-8"), message, hashlib.sha256).hexdigest()


@pytest.fixture
def challenge() -> str:
    return secrets.token_hex(32)


def test_proof_is_the_hmac_of_port_and_challenge(anon_client, token, challenge):
    response = anon_client.post("/api/v1/handshake", json={"challenge": challenge})
    assert response.status_code == 200
    assert response.get_json() == {"proof": expected_proof(token, TEST_PORT, challenge)}
    assert handshake_proof(token, TEST_PORT, challenge) == expected_proof(token, TEST_PORT,
                                                                          challenge)


def test_no_token_is_needed_but_the_extension_may_send_its_origin(anon_client, token, challenge):
    response = anon_client.post("/api/v1/handshake", json={"challenge": challenge},
                                headers={"Origin": f"chrome-extension://{EXTENSION_ID}"})
    assert response.status_code == 200
    assert "WWW-Authenticate" not in response.headers


def test_another_port_gives_another_proof(app, anon_client, token, challenge):
    here = anon_client.post("/api/v1/handshake", json={"challenge": challenge}).get_json()
    app.extensions["goen.guard"].set_port(TEST_PORT + 1)
    there = anon_client.post("/api/v1/handshake", json={"challenge": challenge},
                             headers={"Host": f"127.0.0.1:{TEST_PORT + 1}"}).get_json()
    assert there["proof"] != here["proof"]
    assert there["proof"] == expected_proof(token, TEST_PORT + 1, challenge)


def test_another_challenge_or_token_gives_another_proof(app, anon_client, token, challenge):
    first = anon_client.post("/api/v1/handshake", json={"challenge": challenge}).get_json()
    other = anon_client.post("/api/v1/handshake",
                             json={"challenge": secrets.token_hex(32)}).get_json()
    assert first["proof"] != other["proof"]
    new_token = app.extensions["goen.tokens"].rotate()
    rotated = anon_client.post("/api/v1/handshake", json={"challenge": challenge}).get_json()
    assert rotated["proof"] == expected_proof(new_token, TEST_PORT, challenge) != first["proof"]


@pytest.mark.parametrize("body", [
    {"challenge": "ab" * 31}, {"challenge": "ab" * 33}, {"challenge": "AB" * 32},
    {"challenge": "zz" * 32}, {"challenge": "ab" * 31 + "a\n"}, {"challenge": 12},
    {"challenge": None}, {}, {"nonce": "ab" * 32}, ["ab" * 32], "ab" * 32,
])
def test_a_bad_challenge_gets_400(anon_client, body):
    response = anon_client.post("/api/v1/handshake", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_a_body_that_is_not_json_gets_400(anon_client):
    response = anon_client.post("/api/v1/handshake", data="{challenge",
                                headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_the_other_rules_still_apply(anon_client, challenge, settings, token):
    body = json.dumps({"challenge": challenge})
    json_type = {"Content-Type": "application/json"}
    assert anon_client.post("/api/v1/handshake", data=body, headers={
        **json_type, "Host": f"evil.example:{TEST_PORT}"}).status_code == 421
    assert anon_client.post("/api/v1/handshake", data=body, headers={
        **json_type, "Origin": "https://evil.example"}).status_code == 403
    assert anon_client.post("/api/v1/handshake", data=body, headers={
        **json_type, "Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert anon_client.post("/api/v1/handshake", data=body,
                            headers={"Content-Type": "text/plain"}).status_code == 415
    assert anon_client.post("/api/v1/handshake?token=" + token, data=body,
                            headers=json_type).status_code == 401
    huge = json.dumps({"challenge": challenge, "pad": "x" * settings.max_body_bytes})
    assert anon_client.post("/api/v1/handshake", data=huge,
                            headers=json_type).status_code == 413


@pytest.mark.parametrize("method, path", [("GET", "/api/v1/handshake"),
                                          ("POST", "/api/v1/handshake/"),
                                          ("POST", "/api/v1/launch"),
                                          ("POST", "/api/v1/contacts")])
def test_only_the_handshake_itself_skips_the_token(anon_client, method, path):
    response = anon_client.open(path, method=method, json={"challenge": "ab" * 32})
    assert response.status_code == 401


def test_the_answer_names_no_product_or_version(anon_client, challenge):
    from companion import __version__
    for body in ({"challenge": challenge}, {"challenge": "bad"}):
        response = anon_client.post("/api/v1/handshake", json=body)
        text = (response.data.decode() + str(response.headers)).lower()
        assert "goen" not in text and __version__ not in text
        assert "server" not in {k.lower() for k in response.headers.keys()}


@pytest.mark.live
def test_live_server_started_on_port_0_proves_its_real_port(live_server, challenge):
    """`goen serve` with GOEN_PORT=0: the proof must use the port the socket got."""
    conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=10)
    try:
        conn.request("POST", "/api/v1/handshake", body=json.dumps({"challenge": challenge}),
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    assert response.status == 200, body
    assert live_server.env["GOEN_PORT"] == "0"
    assert json.loads(body) == {"proof": expected_proof(live_server.token, live_server.port,
                                                        challenge)}
