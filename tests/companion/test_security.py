"""SECURITY.md's HTTP rules through the app (the guard in front of Flask). Each test can fail:
every refusal is checked against a request that differs only in the rule under test and
succeeds. Live-socket rules (chunked bodies, the bound address) are in test_server_live.py."""

from __future__ import annotations

import json

import pytest

from tests.helpers import EXTENSION_ID, TEST_PORT

GOOD_HOST = f"127.0.0.1:{TEST_PORT}"


@pytest.fixture
def handler_calls(app):
    """Count requests that reached Flask at all (routing included)."""
    calls = []
    app.before_request(lambda: calls.append(1) and None)
    return calls


def error_of(response) -> dict:
    body = json.loads(response.data)
    assert set(body) == {"error"}
    assert body["error"]["status"] == response.status_code
    assert isinstance(body["error"]["code"], str) and body["error"]["message"]
    return body["error"]


# -- Host (DNS rebinding) -------------------------------------------------------------------------

@pytest.mark.parametrize("host", [GOOD_HOST, f"localhost:{TEST_PORT}", f"[::1]:{TEST_PORT}"])
def test_loopback_hosts_with_our_port_are_served(client, host):
    assert client.get("/api/v1/status", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{TEST_PORT}", "127.0.0.1",
                                  "127.0.0.1:1", f"127.0.0.2:{TEST_PORT}", "localhost",
                                  f"0.0.0.0:{TEST_PORT}", ""])
def test_forged_host_gets_421_and_the_handler_never_runs(client, handler_calls, host):
    response = client.get("/api/v1/status", headers={"Host": host})
    assert response.status_code == 421
    assert error_of(response)["code"] == "misdirected_request"
    assert handler_calls == []
    # Even a write with a valid token is refused before anything happens.
    response = client.post("/api/v1/captures", headers={"Host": host},
                           json={"url": "https://x.com/a", "html": "<p>x</p>"})
    assert response.status_code == 421
    assert handler_calls == []


# -- Origin and Sec-Fetch-Site --------------------------------------------------------------------

@pytest.mark.parametrize("origin", [f"chrome-extension://{EXTENSION_ID}",
                                    "moz-extension://0f5c3a2e-1b2c-4d5e-8f90-123456789abc",
                                    f"http://127.0.0.1:{TEST_PORT}"])
def test_paired_extension_and_web_view_origins_are_allowed(client, origin):
    assert client.get("/api/v1/status", headers={"Origin": origin}).status_code == 200


@pytest.mark.parametrize("origin", ["null", "https://evil.example",
                                    "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba",
                                    "moz-extension://not-a-uuid", f"http://localhost:{TEST_PORT}",
                                    f"http://127.0.0.1:{TEST_PORT + 1}"])
def test_foreign_origin_with_a_valid_token_gets_403(client, handler_calls, origin):
    response = client.post("/api/v1/contacts/1/notes", headers={"Origin": origin},
                           json={"body": "x"})
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert handler_calls == []


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_cross_site_fetch_metadata_gets_403(client, site):
    response = client.get("/api/v1/status", headers={"Sec-Fetch-Site": site})
    assert response.status_code == 403


@pytest.mark.parametrize("site", ["same-origin", "none"])
def test_same_origin_fetch_metadata_is_allowed(client, site):
    assert client.get("/api/v1/status", headers={"Sec-Fetch-Site": site}).status_code == 200


# -- token ----------------------------------------------------------------------------------------

def test_no_token_gets_401_with_a_bearer_challenge(anon_client, handler_calls):
    response = anon_client.get("/api/v1/contacts")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["code"] == "unauthorized"
    assert handler_calls == []


@pytest.mark.parametrize("header", ["Bearer wrong", "Bearer ", "Basic Zm9vOmJhcg==", "bearer",
                                    "Token {token}", "Bearer {token}x", "Bearer x{token}"])
def test_wrong_token_gets_401(anon_client, token, header):
    response = anon_client.get("/api/v1/contacts",
                               headers={"Authorization": header.format(token=token)})
    assert response.status_code == 401


def test_scheme_is_case_insensitive(anon_client, token):
    response = anon_client.get("/api/v1/contacts", headers={"Authorization": f"bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize("param", ["token", "access_token"])
def test_token_in_the_query_string_is_refused(anon_client, client, token, param):
    assert anon_client.get(f"/api/v1/contacts?{param}={token}").status_code == 401
    # even beside a valid header: a token in a URL is a leak, not a credential
    assert client.get(f"/api/v1/contacts?{param}={token}").status_code == 401


def test_token_comparison_uses_compare_digest(monkeypatch, anon_client, token):
    import companion.token_store as token_store
    seen = []
    real = token_store.hmac.compare_digest

    def spy(a, b):
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(token_store.hmac, "compare_digest", spy)
    anon_client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {token}"})
    assert seen and seen[0][1] == token.encode()


def test_rotating_the_token_takes_effect_at_once(app, client, token):
    new = app.extensions["goen.tokens"].rotate()
    assert new != token
    assert client.get("/api/v1/contacts").status_code == 401
    assert client.get("/api/v1/contacts",
                      headers={"Authorization": f"Bearer {new}"}).status_code == 200


# -- JSON only ------------------------------------------------------------------------------------

@pytest.mark.parametrize("content_type, body", [
    ("text/plain", '{"url": "https://x.com/a", "html": "<p>a</p>"}'),
    ("application/x-www-form-urlencoded", "url=https://x.com/a&html=x"),
    ("multipart/form-data; boundary=b", "--b\r\n\r\nx\r\n--b--"),
    (None, '{"url": "https://x.com/a", "html": "<p>a</p>"}'),
])
def test_non_json_bodies_get_415_and_nothing_is_written(client, db, content_type, body):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/api/v1/captures", data=body, headers=headers)
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"
    assert db.query_one("SELECT COUNT(*) FROM captures")[0] == 0


def test_json_with_charset_is_accepted(client):
    response = client.post("/api/v1/captures", data=json.dumps({"url": "ftp://x"}),
                           headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.status_code == 400  # past the media-type rule, refused for the URL


# -- size -----------------------------------------------------------------------------------------

def test_body_over_the_limit_gets_413(client, settings, db):
    body = b'{"url": "https://x.com/a", "html": "' + b"a" * settings.max_body_bytes + b'"}'
    response = client.post("/api/v1/captures", data=body,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert error_of(response)["details"]["limit"] == settings.max_body_bytes
    assert db.query_one("SELECT COUNT(*) FROM captures")[0] == 0


def test_transfer_encoding_gets_411(client):
    response = client.post("/api/v1/contacts/1/notes", data=b'{"body": "x"}',
                           headers={"Content-Type": "application/json",
                                    "Transfer-Encoding": "chunked"})
    assert response.status_code == 411


def test_missing_content_length_gets_411(app, token):
    # The test client always adds Content-Length, so call the WSGI app directly.
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/captures",
               "HTTP_HOST": GOOD_HOST, "HTTP_AUTHORIZATION": f"Bearer {token}",
               "CONTENT_TYPE": "application/json", "wsgi.input": None,
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": str(TEST_PORT),
               "wsgi.url_scheme": "http"}
    statuses = []
    body = b"".join(app.wsgi_app(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["411 Length Required"]
    assert json.loads(body)["error"]["code"] == "length_required"


# -- CORS and product name ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/captures", "/api/v1/contacts", "/api/v1/lookup"])
def test_options_gets_no_cors_headers(client, anon_client, path):
    for c in (client, anon_client):
        response = c.open(path, method="OPTIONS", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert not [h for h in response.headers.keys() if h.lower().startswith("access-control")]


def test_unauthenticated_answers_name_no_product_or_version(anon_client):
    from companion import __version__
    for path in ("/api/v1/status", "/api/v1/contacts", "/", "/nothing", "/launch/" + "A" * 43):
        response = anon_client.get(path)
        text = (response.data.decode() + str(response.headers)).lower()
        assert "goen" not in text and __version__ not in text
        assert "server" not in {k.lower() for k in response.headers.keys()}


# -- routes without a bearer token ----------------------------------------------------------------

def test_the_handshake_is_the_only_api_route_without_a_token():
    from companion.security import TOKENLESS_API_ROUTES
    assert TOKENLESS_API_ROUTES == {("POST", "/api/v1/handshake")}


def test_launch_links_need_no_bearer_token_but_keep_the_host_rule(anon_client, handler_calls):
    # An unknown launch token reaches the route (403 from it, not 401 from the guard) ...
    response = anon_client.get("/launch/" + "A" * 43)
    assert response.status_code == 403 and handler_calls == [1]
    # ... but a forged Host never does.
    response = anon_client.get("/launch/" + "A" * 43, headers={"Host": "evil.example"})
    assert response.status_code == 421 and handler_calls == [1]


def test_the_handshake_needs_no_token_but_never_runs_for_a_forged_host(anon_client,
                                                                       handler_calls):
    body = {"challenge": "ab" * 32}
    assert anon_client.post("/api/v1/handshake", json=body).status_code == 200
    assert handler_calls == [1]
    response = anon_client.post("/api/v1/handshake", json=body,
                                headers={"Host": f"evil.example:{TEST_PORT}"})
    assert response.status_code == 421 and handler_calls == [1]
