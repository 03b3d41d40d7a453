"""The one-time launch link of the web view: POST /api/v1/launch and GET /launch/<token>."""

from __future__ import annotations

import json
import re

import pytest

from companion.web.sessions import MAX_PENDING_LAUNCHES, WebSessions
from tests.helpers import TEST_PORT

LAUNCH_URL = re.compile(rf"^http://127\.0\.0\.1:{TEST_PORT}/launch/([A-Za-z0-9_-]{{43}})$")
COOKIE = f"goen_session_{TEST_PORT}"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app) -> Clock:
    clock = Clock()
    app.extensions["goen.web_sessions"].clock = clock
    return clock


def launch_path(client) -> str:
    response = client.post("/api/v1/launch", json={})
    assert response.status_code == 200, response.data
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == {"url"}
    match = LAUNCH_URL.match(body["url"])
    assert match, body["url"]
    return f"/launch/{match[1]}"


def set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def assert_refused(response) -> None:
    assert response.status_code == 403
    error = json.loads(response.data)["error"]
    assert error["status"] == 403 and error["code"] == "forbidden" and error["message"]
    assert set_cookies(response) == []
    assert "location" not in {k.lower() for k in response.headers.keys()}


def test_launch_needs_the_bearer_token(anon_client):
    response = anon_client.post("/api/v1/launch", json={})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_launch_needs_a_json_body(client):
    assert client.post("/api/v1/launch", data="{}",
                       headers={"Content-Type": "text/plain"}).status_code == 415


def test_launch_link_sets_a_strict_http_only_session_cookie_and_redirects(client, anon_client,
                                                                         app):
    path = launch_path(client)
    response = anon_client.get(path)  # no bearer token: the link is the credential
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    [cookie] = set_cookies(response)
    name_value, *attributes = [part.strip() for part in cookie.split(";")]
    name, _, value = name_value.partition("=")
    assert name == COOKIE
    assert len(value) >= 43
    flags = {a.split("=")[0].lower(): a.partition("=")[2] for a in attributes}
    assert "httponly" in flags
    assert flags["samesite"] == "Strict"
    assert flags["path"] == "/"
    assert "secure" not in flags  # plain http on loopback
    assert "max-age" not in flags and "expires" not in flags and "domain" not in flags
    sessions = app.extensions["goen.web_sessions"]
    assert sessions.session_valid(value)
    assert not sessions.session_valid(value + "x") and not sessions.session_valid(None)


def test_a_launch_link_works_once(client, anon_client):
    path = launch_path(client)
    assert anon_client.get(path).status_code == 303
    assert_refused(anon_client.get(path))


def test_each_launch_gives_its_own_link_and_session(client, anon_client):
    first, second = launch_path(client), launch_path(client)
    assert first != second
    cookie_a = set_cookies(anon_client.get(second))[0].split(";")[0]
    cookie_b = set_cookies(anon_client.get(first))[0].split(";")[0]
    assert cookie_a != cookie_b


def test_a_launch_link_expires_after_60_seconds(client, anon_client, clock):
    fresh, stale = launch_path(client), launch_path(client)
    clock.now += 59.9
    assert anon_client.get(fresh).status_code == 303
    clock.now += 0.1  # 60 s after both were made
    assert_refused(anon_client.get(stale))


@pytest.mark.parametrize("token", ["nope", "A" * 43, "x" * 5000, "%00"])
def test_unknown_tokens_are_refused(anon_client, token):
    assert_refused(anon_client.get(f"/launch/{token}"))


def test_the_refusal_names_no_product_or_version(anon_client):
    from companion import __version__
    response = anon_client.get("/launch/" + "A" * 43)
    text = (response.data.decode() + str(response.headers)).lower()
    assert "goen" not in text and __version__ not in text


def test_forged_host_is_refused_before_the_token_is_spent(client, anon_client):
    path = launch_path(client)
    response = anon_client.get(path, headers={"Host": f"evil.example:{TEST_PORT}"})
    assert response.status_code == 421 and set_cookies(response) == []
    assert anon_client.get(path).status_code == 303  # still unused


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": "https://evil.example"}])
def test_other_sites_cannot_spend_a_launch_token(client, anon_client, headers):
    path = launch_path(client)
    response = anon_client.get(path, headers=headers)
    assert response.status_code == 403 and set_cookies(response) == []
    assert anon_client.get(path).status_code == 303


def test_a_tab_opened_by_the_extension_is_let_through(client, anon_client):
    # chrome.tabs.create navigations carry Sec-Fetch-Site: none and no Origin.
    path = launch_path(client)
    assert anon_client.get(path, headers={"Sec-Fetch-Site": "none"}).status_code == 303


def test_the_link_names_the_port_the_server_is_bound_to(app, client):
    app.extensions["goen.guard"].set_port(TEST_PORT + 1)
    response = client.post("/api/v1/launch", json={},
                           headers={"Host": f"127.0.0.1:{TEST_PORT + 1}"})
    assert response.get_json()["url"].startswith(f"http://127.0.0.1:{TEST_PORT + 1}/launch/")


def test_the_web_view_needs_the_session_the_launch_link_sets(anon_client):
    assert anon_client.get("/").status_code == 403


# -- the store on its own -------------------------------------------------------------------------

def test_pending_launch_tokens_are_bounded():
    sessions = WebSessions()
    tokens = [sessions.new_launch_token() for _ in range(MAX_PENDING_LAUNCHES + 1)]
    assert sessions.redeem(tokens[0]) is None  # the oldest was forgotten
    assert sessions.redeem(tokens[-1]) is not None


def test_expired_launch_tokens_are_forgotten():
    clock = Clock()
    sessions = WebSessions(clock=clock)
    sessions.new_launch_token()
    clock.now += 61
    sessions.new_launch_token()
    assert len(sessions._launches) == 1


# -- where the link leads -------------------------------------------------------------------------

def test_an_empty_body_leads_to_the_start(client, anon_client):
    # fetch() sends Content-Length: 0 for an empty POST; the test client would leave it out.
    response = client.post("/api/v1/launch", data=b"",
                           headers={"Content-Type": "application/json"},
                           environ_overrides={"CONTENT_LENGTH": "0"})
    assert response.status_code == 200
    path = response.get_json()["url"].split(str(TEST_PORT), 1)[1]
    assert anon_client.get(path).headers["Location"] == "/"


@pytest.mark.parametrize("next_path", ["/contacts/12", "/", "/network/", "/a.b/c-d_e~f"])
def test_the_link_leads_to_the_path_it_was_made_for(client, anon_client, next_path):
    response = client.post("/api/v1/launch", json={"next": next_path})
    url = response.get_json()["url"]
    assert LAUNCH_URL.match(url)  # the path stays on the server, out of the URL
    path = url.split(str(TEST_PORT), 1)[1]
    redirect = anon_client.get(path)
    assert redirect.status_code == 303 and redirect.headers["Location"] == next_path


@pytest.mark.parametrize("next_path", ["//evil.example", "//evil.example/x", "/\\evil.example",
                                       "https://evil.example/", "/a//b", "contacts/12", "",
                                       "/contacts?x=1", "/contacts#x", "/" + "a" * 300, 5, None,
                                       ["/"]])
def test_a_next_that_is_not_a_local_path_gets_400(client, next_path):
    response = client.post("/api/v1/launch", json={"next": next_path})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == {"field": "next"}


@pytest.mark.parametrize("body", ["[]", '"/"', "{nope"])
def test_a_body_that_is_not_an_object_gets_400(client, body):
    response = client.post("/api/v1/launch", data=body,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
