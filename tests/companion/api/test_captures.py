"""POST /api/v1/captures: raw capture kept first, contact found or created, never duplicated."""

from __future__ import annotations

import json
import threading
import zlib

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests.helpers import jsonld_person_page, make_client


def post(client, **body):
    return client.post("/api/v1/captures", json=body)


def test_profile_capture_creates_a_contact(client, db):
    html = jsonld_person_page("山田 太郎", job_title="エンジニア", org="株式会社サンプル",
                              url="https://example.com/taro")
    response = post(client, url="https://example.com/taro", kind="profile", html=html,
                    title="山田 太郎", captured_at="2026-11-20T09:00:00+09:00")
    assert response.status_code == 201, response.json
    result = response.json
    assert result["status"] == "parsed" and result["adapter"] == "generic"
    contact = result["contact"]
    assert contact["display_name"] == "山田 太郎"
    assert contact["organisation"] == "株式会社サンプル"
    assert contact["identities"] == [{"platform": "web", "url": "https://example.com/taro",
                                      "handle": None}]
    row = db.query_one("SELECT * FROM captures WHERE id = ?", (result["capture_id"],))
    assert zlib.decompress(row["html_zlib"]).decode() == html  # the raw page is kept whole
    assert row["captured_at"] == "2026-11-20T00:00:00.000Z"
    assert row["status"] == "parsed" and row["contact_id"] == contact["id"]


def test_the_same_page_twice_is_one_capture_and_one_contact(client, db):
    html = jsonld_person_page("Ada Lovelace", url="https://example.com/ada")
    first = post(client, url="https://example.com/ada", html=html)
    second = post(client, url="https://example.com/ada", html=html)
    assert first.status_code == 201 and second.status_code == 200
    assert second.json["duplicate"] is True
    assert second.json["contact"]["id"] == first.json["contact"]["id"]
    assert db.query_one("SELECT COUNT(*) FROM captures")[0] == 1
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 1


def test_url_variants_find_the_same_person(client, db):
    first = post(client, url="https://example.com/octocat",
                 html=jsonld_person_page("The Octocat", url="https://example.com/octocat"))
    second = post(client, url="http://www.example.com/octocat/?utm_source=feed",
                  html=jsonld_person_page("The Octocat (new bio)", url=None))
    assert first.json["contact"]["id"] == second.json["contact"]["id"]
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 1
    assert db.query_one("SELECT display_name FROM contacts")[0] == "The Octocat (new bio)"


def test_newer_capture_updates_fields_but_not_hand_edited_ones(client):
    url = "https://example.com/ken"
    contact_id = post(client, url=url, html=jsonld_person_page(
        "Ken", job_title="Engineer", org="Old Co", url=url)).json["contact"]["id"]
    client.patch(f"/api/v1/contacts/{contact_id}", json={"headline": "My own words"})
    post(client, url=url, html=jsonld_person_page("Ken", job_title="CTO", org="New Co", url=url,
                                                  description="Bio from the page"))
    detail = client.get(f"/api/v1/contacts/{contact_id}").json
    assert detail["organisation"] == "New Co" and detail["title"] == "CTO"
    assert detail["headline"] == "My own words"
    assert detail["locked_fields"] == ["headline"]


def test_unreadable_page_is_kept_and_answered_202(client, db):
    html = "<html><body><h1>Just an article</h1><p>nothing about a person</p></body></html>"
    response = post(client, url="https://example.com/article", html=html)
    assert response.status_code == 202
    assert response.json["status"] == "needs_attention"
    assert "No adapter" in response.json["error"]
    row = db.query_one("SELECT status, error, html_zlib FROM captures")
    assert row["status"] == "needs_attention" and row["error"]
    assert zlib.decompress(row["html_zlib"]).decode() == html
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 0


def test_an_adapter_crash_keeps_the_capture(client, db, monkeypatch):
    from companion.adapters import generic

    def boom(page):
        raise KeyError("surprise")

    monkeypatch.setattr(generic, "extract", boom)
    response = post(client, url="https://example.com/a",
                    html=jsonld_person_page("A", url="https://example.com/a"))
    assert response.status_code == 202
    assert response.json["status"] == "failed"
    assert db.query_one("SELECT status FROM captures")[0] == "failed"


@pytest.mark.parametrize("body, field", [
    ({"html": "<p>x</p>"}, "url"),
    ({"url": 5, "html": "<p>x</p>"}, "url"),
    ({"url": "javascript:alert(1)", "html": "<p>x</p>"}, "url"),
    ({"url": "file:///etc/passwd", "html": "<p>x</p>"}, "url"),
    ({"url": "https://x.com/a"}, "html"),
    ({"url": "https://x.com/a", "html": ["<p>"]}, "html"),
    ({"url": "https://x.com/a", "html": "   "}, "html"),
    ({"url": "https://x.com/a", "html": "<p>x</p>", "kind": "photo"}, "kind"),
    ({"url": "https://x.com/a", "html": "<p>x</p>", "title": {"a": 1}}, "title"),
    ({"url": "https://x.com/a", "html": "<p>x</p>", "captured_at": "yesterday"}, "captured_at"),
    ({"url": "https://x.com/a", "html": "<p>x</p>", "captured_at": "0001-01-01T00:00:00"},
     "captured_at"),
])
def test_bad_fields_get_a_clear_400_and_nothing_is_written(client, db, body, field):
    response = client.post("/api/v1/captures", json=body)
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "bad_request" and error["details"]["field"] == field
    assert field in error["message"]
    assert db.query_one("SELECT COUNT(*) FROM captures")[0] == 0


@pytest.mark.parametrize("raw", [b"[1, 2", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000,
                                 b'"just a string"', b"null"])
def test_malformed_or_wrongly_shaped_json_gets_400(client, raw):
    response = client.post("/api/v1/captures", data=raw,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"


def test_html_over_the_character_limit_gets_413(app, client, db):
    limit = app.extensions["goen.settings"].max_html_chars
    response = post(client, url="https://x.com/a", html="あ" * (limit + 1))
    assert response.status_code in (413,)
    assert db.query_one("SELECT COUNT(*) FROM captures")[0] == 0


def test_concurrent_captures_of_the_same_page_make_one_contact(app, token, db):
    html = jsonld_person_page("Grace Hopper", url="https://example.com/grace")
    answers = []

    def capture(i):
        c = make_client(app, token)
        # Half the threads send the same page, half a slightly different one (new captures).
        page = html if i % 2 else html.replace("</body>", f"<!-- {i} --></body>")
        answers.append(c.post("/api/v1/captures",
                              json={"url": "https://example.com/grace", "html": page}))

    threads = [threading.Thread(target=capture, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(a.status_code in (200, 201) for a in answers), [a.json for a in answers]
    assert len({a.json["contact"]["id"] for a in answers}) == 1
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 1
    assert db.query_one("SELECT COUNT(*) FROM identities")[0] == 1


@hsettings(max_examples=150, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(html=st.one_of(
    st.text(min_size=1, max_size=2000),
    st.lists(st.sampled_from([
        "<html>", "</html>", "<head>", "<body>", "<div class='h-card'>", "</div>",
        "<span class=\"p-name\">", "</span>", "<script type=\"application/ld+json\">",
        "</script>", '{"@type": "Person", "name": ', '"名前"', "}", "[", "]", "<a rel=me href=",
        "'javascript:x'>", "\x00", "\ud800", "<!--", "-->", "<meta property=og:type content=profile>",
        "<meta property=og:title content=", "<![CDATA[", "<?xml version='1.0' encoding='latin-1'?>",
        "&#0;", "&amp;", "<img src=x onerror=alert(1)>", "é", "\u202e",
    ]), min_size=1, max_size=40).map("".join)))
def test_capture_never_answers_500_for_any_html(client, html):
    response = client.post("/api/v1/captures", data=json.dumps(
        {"url": "https://example.com/p", "html": html}),
        headers={"Content-Type": "application/json"})
    assert response.status_code in (200, 201, 202, 400), response.data


def test_the_local_capture_time_is_kept_for_adapters(client, db):
    html = jsonld_person_page("Ada", url="https://example.com/ada")
    post(client, url="https://example.com/ada", html=html,
         captured_at="2026-11-26T09:30:00.000+09:00")
    row = db.query_one("SELECT captured_at, captured_at_local FROM captures")
    assert tuple(row) == ("2026-11-26T00:30:00.000Z", "2026-11-26T09:30:00.000+09:00")


def test_an_older_capture_saved_later_fills_gaps_but_does_not_overwrite(client):
    url = "https://example.com/mei"
    new = post(client, url=url, captured_at="2026-11-01T00:00:00Z",
               html=jsonld_person_page("Mei", job_title="CTO", url=url)).json["contact"]
    post(client, url=url, captured_at="2024-01-01T00:00:00Z",
         html=jsonld_person_page("Mei", job_title="Intern", org="Old Co", url=url))
    detail = client.get(f"/api/v1/contacts/{new['id']}").json
    assert detail["title"] == "CTO"            # the newer page's word stands
    assert detail["organisation"] == "Old Co"  # a gap the older page could fill


def test_captures_needing_attention_are_listed(client):
    post(client, url="https://example.com/good",
         html=jsonld_person_page("Good", url="https://example.com/good"))
    for i in range(3):
        post(client, url=f"https://example.com/article{i}", html=f"<p>article {i}</p>")
    listed = client.get("/api/v1/captures", query_string={"limit": 2}).json
    assert [c["url"] for c in listed["captures"]] == ["https://example.com/article2",
                                                      "https://example.com/article1"]
    assert all(c["status"] == "needs_attention" and c["error"] for c in listed["captures"])
    assert "html" not in listed["captures"][0]
    rest = client.get("/api/v1/captures", query_string={"before": listed["next_before"]}).json
    assert [c["url"] for c in rest["captures"]] == ["https://example.com/article0"]
    assert rest["next_before"] is None
    parsed = client.get("/api/v1/captures", query_string={"status": "parsed"}).json
    assert [c["url"] for c in parsed["captures"]] == ["https://example.com/good"]
    assert client.get("/api/v1/captures", query_string={"status": "odd"}).status_code == 400
    assert client.get("/api/v1/captures", query_string={"before": "x"}).status_code == 400


@pytest.mark.parametrize("name, family, given", [
    ("山田太郎", "山田", "太郎"), ("佐々木 花子", "佐々木", "花子"), ("Taro Yamada", "Yamada", "Taro"),
    ("YAMADA Taro", "YAMADA", "Taro"), ("Madonna", None, None),
])
def test_captured_names_are_split_the_same_way_for_every_site(client, name, family, given):
    url = f"https://example.com/{abs(hash(name))}"
    cid = post(client, url=url, html=jsonld_person_page(name, url=url)).json["contact"]["id"]
    detail = client.get(f"/api/v1/contacts/{cid}").json
    assert (detail["display_name"], detail["family_name"], detail["given_name"]) == \
        (name, family, given)
