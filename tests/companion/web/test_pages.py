"""The web view's pages through Flask's test client: the session rule, the headers, CSRF and
Origin on every state change, escaping of scraped text, and preferences reaching the services.
(The same pages in real Chromium: tests/web/test_pages_browser.py.)"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from companion.services import contacts, preferences
from companion.services.followup import suggest
from tests.companion.services.followup.test_suggest_support import (add_contact, add_message,
                                                                    insert_fact_by_sql)
from tests.helpers import TEST_PORT, make_client

ORIGIN = f"http://127.0.0.1:{TEST_PORT}"
CSP = ("default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
       "style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'")
HOSTILE = "<script>fetch('/__beacon')</script>"
HOSTILE_IMG = "<img src=x onerror=\"fetch('/__beacon?img')\">"
TODAY = date.today()


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat() + "T09:00:00.000Z"


@pytest.fixture
def web(app, client):
    """A browser-like client holding a session cookie from a real launch link (and never the
    bearer token)."""
    url = client.post("/api/v1/launch", json={}).get_json()["url"]
    browser = make_client(app)
    response = browser.get(url.removeprefix(ORIGIN))
    assert response.status_code == 303
    return browser


def csrf_of(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([0-9a-f]{64})">', html)
    assert match, "no CSRF token in the page"
    return match[1]


def post(web, path: str, data: dict, *, csrf: str | None, origin: str | None = ORIGIN):
    headers = {"Origin": origin} if origin else {}
    form = dict(data)
    if csrf is not None:
        form["csrf_token"] = csrf
    return web.post(path, data=form, headers=headers)


@pytest.fixture
def person(db) -> int:
    contact = add_contact(db, "佐藤 健二", family="佐藤", given="健二", tier="close",
                          last_two_way_at=ago(20), headline="データ基盤エンジニア",
                          organisation="架空データ株式会社")
    with db.transaction() as conn:
        conn.execute("UPDATE contacts SET reading = 'さとう けんじ' WHERE id = ?", (contact,))
        conn.execute("INSERT INTO identities (contact_id, platform, url, handle, first_seen_at,"
                     " last_seen_at) VALUES (?, 'github', 'https://github.com/kenji-sato-demo',"
                     " 'kenji-sato-demo', ?, ?)", (contact, ago(100), ago(100)))
    add_message(db, contact, "in", "来週の勉強会、楽しみにしています。", ago(20))
    return contact


@pytest.fixture
def hostile(db) -> int:
    contact = add_contact(db, HOSTILE, tier="close", last_two_way_at=ago(400),
                          headline=HOSTILE_IMG, bio=HOSTILE_IMG, organisation=HOSTILE_IMG)
    message = add_message(db, contact, "in", HOSTILE_IMG, ago(3))
    insert_fact_by_sql(db, contact, "question", "them", HOSTILE_IMG, stated_at=ago(3),
                       interaction_id=message)
    insert_fact_by_sql(db, contact, "promise", "me", HOSTILE_IMG, stated_at=ago(5),
                       label="commitment", due=ago(1)[:10], interaction_id=message)
    contacts.add_note(db, contact, HOSTILE_IMG)
    contacts.update_contact(db, contact, {"tags": ["<b>x</b>"], "purpose": HOSTILE_IMG})
    with db.transaction() as conn:
        conn.execute("UPDATE identities SET url = url WHERE 0")  # nothing; identities below
        conn.execute("INSERT INTO identities (contact_id, platform, url, handle, first_seen_at,"
                     " last_seen_at) VALUES (?, 'web', 'javascript:alert(1)', ?, ?, ?)",
                     (contact, HOSTILE, ago(9), ago(9)))
    return contact


def pages(contact_id: int) -> list[str]:
    return ["/", f"/contacts/{contact_id}", "/settings", f"/contacts/{contact_id}/delete"]


# -- the session ------------------------------------------------------------------------------

def test_every_page_needs_the_session_and_says_how_to_open_it(app, anon_client, client,
                                                                person):
    for path in pages(person) + ["/contacts/999999"]:
        for who in (anon_client, client):    # the bearer token is no session
            response = who.get(path)
            assert response.status_code == 403, path
            html = response.get_data(as_text=True)
            assert "open command" in html and "ウェブ画面" in html and "web view" in html
            assert "goen" not in html.lower()         # no product name without a session
            assert "佐藤" not in html and "csrf-token" not in html
            assert response.headers["Content-Security-Policy"] == CSP


def test_a_forged_or_stale_cookie_is_no_session(app, person):
    browser = make_client(app)
    browser.set_cookie(f"goen_session_{TEST_PORT}", "made-up", domain="127.0.0.1")
    assert browser.get("/").status_code == 403


def test_each_page_renders_with_a_session(web, person):
    for path in pages(person):
        response = web.get(path)
        assert response.status_code == 200, path
        assert response.content_type == "text/html; charset=utf-8"
    html = web.get(f"/contacts/{person}").get_data(as_text=True)
    for text in ("佐藤 健二", "さとう けんじ", "データ基盤エンジニア", "架空データ株式会社",
                 'href="https://github.com/kenji-sato-demo"', "来週の勉強会"):
        assert text in html


def test_an_unknown_person_is_a_404_page(web):
    response = web.get("/contacts/424242")
    assert response.status_code == 404
    assert response.headers["Content-Security-Policy"] == CSP


# -- headers ----------------------------------------------------------------------------------

def test_every_html_answer_carries_the_policy_and_headers(web, person):
    responses = [web.get(p) for p in pages(person)]
    responses.append(web.get("/contacts/1/nope"))           # the app's own 404 (JSON)
    for response in responses:
        if response.mimetype != "text/html":
            continue
        assert response.headers["Content-Security-Policy"] == CSP
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert sum(r.mimetype == "text/html" for r in responses) == 4


def test_no_inline_script_or_style_in_any_page(web, person, hostile):
    for path in pages(person) + pages(hostile):
        html = web.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        # attributes inside tags (escaped text has no "<", so it cannot match)
        assert not re.search(r"<[^>]*\sstyle=", html), path
        assert not re.search(r"<[^>]*\son[a-z]+=", html), path


# -- CSRF and Origin --------------------------------------------------------------------------

def test_a_state_change_needs_the_csrf_token(web, db, person):
    csrf = csrf_of(web.get("/").get_data(as_text=True))
    path = f"/contacts/{person}/notes"
    assert post(web, path, {"body": "no token"}, csrf=None).status_code == 403
    assert post(web, path, {"body": "wrong"}, csrf="0" * 64).status_code == 403
    assert contacts.list_notes(db, person) == []
    assert post(web, path, {"body": "right"}, csrf=csrf).status_code == 303
    assert [n.body for n in contacts.list_notes(db, person)] == ["right"]


def test_a_state_change_needs_a_same_origin_origin(web, db, person):
    csrf = csrf_of(web.get("/").get_data(as_text=True))
    path = f"/contacts/{person}/notes"
    assert post(web, path, {"body": "no origin"}, csrf=csrf, origin=None).status_code == 403
    assert post(web, path, {"body": "evil"}, csrf=csrf,
                origin="http://evil.example").status_code == 403
    assert contacts.list_notes(db, person) == []


def test_the_csrf_token_is_bound_to_the_session(app, client, web, db, person):
    other = make_client(app)
    url = client.post("/api/v1/launch", json={}).get_json()["url"]
    other.get(url.removeprefix(ORIGIN))
    theirs = csrf_of(other.get("/").get_data(as_text=True))
    mine = csrf_of(web.get("/").get_data(as_text=True))
    assert theirs != mine
    assert post(web, f"/contacts/{person}/notes", {"body": "x"},
                csrf=theirs).status_code == 403


def test_json_endpoints_need_csrf_and_origin(web, person):
    csrf = csrf_of(web.get("/").get_data(as_text=True))
    body = {"contact_id": person, "text": "Hope you are well!"}
    bare = web.post("/web/drafts/check", json=body, headers={"Origin": ORIGIN})
    assert bare.status_code == 403 and bare.is_json
    no_origin = web.post("/web/drafts/check", json=body, headers={"X-CSRF-Token": csrf})
    assert no_origin.status_code == 403
    ok = web.post("/web/drafts/check", json=body,
                  headers={"Origin": ORIGIN, "X-CSRF-Token": csrf})
    assert ok.status_code == 200
    result = ok.get_json()
    assert result["ok"] is False and result["flags"]      # a template, flagged


def test_every_state_change_route_is_guarded(app, web, person):
    """Whatever POST route the pages have, without the token it changes nothing."""
    posts = [r for r in app.url_map.iter_rules()
             if "POST" in r.methods and not r.rule.startswith(("/api", "/launch"))]
    assert len(posts) >= 9
    for rule in posts:
        path = re.sub(r"<[^>]+>", "1", rule.rule)
        assert web.post(path, data={"x": "1"},
                        headers={"Origin": ORIGIN}).status_code == 403, path


# -- escaping ---------------------------------------------------------------------------------

def test_hostile_text_is_escaped_on_every_page(web, hostile):
    for path in pages(hostile):
        html = web.get(path).get_data(as_text=True)
        assert "<script>fetch" not in html, path
        assert "<img src=x" not in html, path
    person_html = web.get(f"/contacts/{hostile}").get_data(as_text=True)
    assert "&lt;script&gt;fetch(&#39;/__beacon&#39;)&lt;/script&gt;" in person_html
    assert "&lt;img src=x onerror=" in person_html
    assert "javascript:" not in person_html              # the link is shown as text only
    assert "&lt;b&gt;x&lt;/b&gt;" in person_html
    today_html = web.get("/").get_data(as_text=True)
    assert "&lt;script&gt;fetch" in today_html               # in the promises and questions


BANNED = ("|safe", "| safe", "Markup(", "render_template_string", "innerHTML", "outerHTML",
          "insertAdjacentHTML", "document.write")


def banned_words(root: Path) -> list[str]:
    """Where a file under root (vendored libraries aside) marks text safe or writes markup."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".py", ".html", ".js") or "vendor" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(root)}: {word}" for word in BANNED if word in text]
    return found


def test_templates_never_mark_text_safe():
    """SECURITY.md: no |safe, Markup( or render_template_string in the web view (nor markup
    written from scripts)."""
    root = Path(__file__).resolve().parents[3] / "companion" / "web"
    assert (root / "templates" / "person.html").exists()
    assert banned_words(root) == []


def test_the_grep_catches_a_safe_filter(tmp_path):
    """The check above is not vacuous: it finds each word where it is."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html").write_text("{{ name|safe }}")
    (tmp_path / "y.py").write_text("Markup(name)")
    (tmp_path / "z.js").write_text("el.innerHTML = name;")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.js").write_text("el.innerHTML = 1;")
    assert banned_words(tmp_path) == ["templates/x.html: |safe", "y.py: Markup(",
                                      "z.js: innerHTML"]


# -- editing ----------------------------------------------------------------------------------

def test_notes_add_edit_delete(web, db, person):
    csrf = csrf_of(web.get(f"/contacts/{person}").get_data(as_text=True))
    assert post(web, f"/contacts/{person}/notes", {"body": "Met at the meetup"},
                csrf=csrf).status_code == 303
    note = contacts.list_notes(db, person)[0]
    response = post(web, f"/notes/{note.id}/edit", {"body": "Met at the PyCon meetup"},
                    csrf=csrf)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/contacts/{person}#note-{note.id}")
    assert contacts.list_notes(db, person)[0].body == "Met at the PyCon meetup"
    assert "Met at the PyCon meetup" in web.get(f"/contacts/{person}").get_data(as_text=True)
    assert post(web, f"/notes/{note.id}/edit", {"body": "  "}, csrf=csrf).status_code == 400
    assert post(web, f"/notes/{note.id}/delete", {}, csrf=csrf).status_code == 303
    assert contacts.list_notes(db, person) == []


def test_note_edit_reads_the_ledger_again(db, person):
    note = contacts.add_note(db, person, "Kenji sent me the template.")
    before = db.query_all("SELECT text FROM ledger WHERE note_id = ?", (note.id,))
    contacts.update_note(db, note.id, "I introduced Kenji to Aiko.")
    after = db.query_all("SELECT flow, kind FROM ledger WHERE note_id = ?", (note.id,))
    assert [tuple(r) for r in after] != [tuple(r) for r in before]


def test_relationship_and_tags(web, db, person):
    csrf = csrf_of(web.get(f"/contacts/{person}").get_data(as_text=True))
    post(web, f"/contacts/{person}/relationship",
         {"tier": "inner", "purpose": "共同研究", "offer": "Intro to investors"}, csrf=csrf)
    detail = contacts.get_detail(db, person)
    assert (detail.tier, detail.tier_source, detail.purpose, detail.offer) == (
        "inner", "user", "共同研究", "Intro to investors")
    post(web, f"/contacts/{person}/tags", {"add": "勉強会"}, csrf=csrf)
    post(web, f"/contacts/{person}/tags", {"add": "python"}, csrf=csrf)
    assert contacts.get_summary(db, person).tags == ["python", "勉強会"]
    post(web, f"/contacts/{person}/tags", {"remove": "python"}, csrf=csrf)
    assert contacts.get_summary(db, person).tags == ["勉強会"]
    html = web.get(f"/contacts/{person}").get_data(as_text=True)
    assert "共同研究" in html and "勉強会" in html


def test_export_and_delete_with_confirmation(web, db, person):
    contacts.add_note(db, person, "A note to export")
    response = web.get(f"/contacts/{person}/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["contact"]["display_name"] == "佐藤 健二"
    assert [n["body"] for n in data["notes"]] == ["A note to export"]
    assert data["interactions"][0]["text"] == "来週の勉強会、楽しみにしています。"
    confirm = web.get(f"/contacts/{person}/delete")
    assert confirm.status_code == 200 and "佐藤 健二" in confirm.get_data(as_text=True)
    assert db.query_one("SELECT 1 FROM contacts WHERE id = ?", (person,))   # not yet
    csrf = csrf_of(confirm.get_data(as_text=True))
    assert post(web, f"/contacts/{person}/delete", {}, csrf=csrf).status_code == 303
    assert db.query_one("SELECT 1 FROM contacts WHERE id = ?", (person,)) is None


# -- settings and preferences ------------------------------------------------------------------

def test_a_cadence_preference_changes_todays_suggestions(web, app, db, person):
    """Twenty days since the last exchange: not overdue at the close tier's 30 days, overdue
    once the Settings page makes it 7; back to the setting, gone again."""
    def cadence_keys():
        return [s.key for s in suggest.suggestions_for_today(
            db, TODAY, settings=app.extensions["goen.settings"])
            if s.reason == "overdue_by_cadence"]

    assert cadence_keys() == []
    assert "ご無沙汰" not in web.get("/").get_data(as_text=True)
    csrf = csrf_of(web.get("/settings").get_data(as_text=True))
    response = post(web, "/settings", {"cadence_close_days": "7"}, csrf=csrf)
    assert response.status_code == 303
    assert preferences.get_preferences(db) == {"cadence_close_days": 7}
    assert cadence_keys() == [f"cadence:{person}:{(TODAY - timedelta(days=13)).isoformat()}"]
    assert "ご無沙汰" in web.get("/").get_data(as_text=True)
    html = web.get(f"/contacts/{person}").get_data(as_text=True)
    assert "7 日ごと" in html
    post(web, "/settings", {"cadence_close_days": "30"}, csrf=csrf)   # = the setting: cleared
    assert preferences.get_preferences(db) == {}
    assert cadence_keys() == []


def test_my_profiles_preference_reaches_the_services(web, app, db):
    csrf = csrf_of(web.get("/settings").get_data(as_text=True))
    post(web, "/settings", {"my_profiles": "https://x.com/me_demo\nhttps://github.com/me-demo"},
         csrf=csrf)
    effective = app.extensions["goen.settings"]
    assert effective.my_profiles == ("https://x.com/me_demo", "https://github.com/me-demo")
    assert effective.base.my_profiles == ()
    assert "https://github.com/me-demo" in web.get("/settings").get_data(as_text=True)
    assert post(web, "/settings", {"my_profiles": "not a url"}, csrf=csrf).status_code == 400
    post(web, "/settings", {"reset": "1"}, csrf=csrf)
    assert effective.my_profiles == ()


def test_bad_cadence_is_refused(web, db):
    csrf = csrf_of(web.get("/settings").get_data(as_text=True))
    assert post(web, "/settings", {"cadence_inner_days": "0"}, csrf=csrf).status_code == 400
    assert post(web, "/settings", {"cadence_inner_days": "x"}, csrf=csrf).status_code == 400
    assert preferences.get_preferences(db) == {}


def test_a_form_sent_by_the_pages_script_gets_where_to_go_as_json(web, db, person):
    """app.js sends forms with fetch (Accept: application/json) and goes where it is told."""
    csrf = csrf_of(web.get("/").get_data(as_text=True))
    response = web.post(f"/contacts/{person}/notes", data={"body": "by fetch"},
                        headers={"Origin": ORIGIN, "X-CSRF-Token": csrf,
                                 "Accept": "application/json"})
    assert response.status_code == 200
    note = contacts.list_notes(db, person)[0]
    assert response.get_json() == {"location": f"/contacts/{person}#note-{note.id}"}


def test_language_switch(web, person):
    assert '<html lang="ja">' in web.get("/").get_data(as_text=True)
    csrf = csrf_of(web.get("/").get_data(as_text=True))
    response = post(web, "/settings/language", {"language": "en", "next": f"/contacts/{person}"},
                    csrf=csrf)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/contacts/{person}")
    html = web.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Whom to write to today" in html
    # an outside address is never a redirect target
    response = post(web, "/settings/language", {"language": "ja", "next": "//evil.example/"},
                    csrf=csrf)
    assert response.headers["Location"] in ("/", "http://127.0.0.1:47999/")


def test_token_rotation_needs_confirmation(web, app):
    tokens = app.extensions["goen.tokens"]
    before = tokens.get_or_create()
    csrf = csrf_of(web.get("/settings").get_data(as_text=True))
    response = post(web, "/settings/token/rotate", {}, csrf=csrf)
    assert response.status_code == 303 and "confirm=1" in response.headers["Location"]
    assert tokens.get_or_create() == before
    response = post(web, "/settings/token/rotate", {"confirm": "yes"}, csrf=csrf)
    assert "rotated=1" in response.headers["Location"]
    after = tokens.get_or_create()
    assert after != before
    html = web.get("/settings?rotated=1").get_data(as_text=True)
    assert after not in html and before not in html        # the token never reaches a page


def test_no_page_shows_the_token(web, app, person):
    token = app.extensions["goen.tokens"].get_or_create()
    for path in pages(person):
        assert token not in web.get(path).get_data(as_text=True)


def test_every_string_exists_in_both_languages(web, person, hostile):
    from companion.web import i18n
    assert all(set(v) == {"ja", "en"} and v["ja"] and v["en"] for v in i18n.TABLE.values())
    root = Path(__file__).resolve().parents[3] / "companion" / "web" / "templates"
    used = set()
    # the templates of these pages (the contacts and network pages have their own tests)
    mine = ("base", "error", "_macros", "today", "person", "settings", "delete")
    for path in (root / f"{name}.html" for name in mine):
        # t('key', …) with a whole key (t('reason.' ~ s.reason) is checked by rendering)
        used |= set(re.findall(r"(?<![\w.])t\('([a-z_]+\.[a-z_.]*[a-z_])'",
                               path.read_text(encoding="utf-8")))
    assert used and used <= set(i18n.TABLE)
    csrf = csrf_of(web.get("/").get_data(as_text=True))
    for lang in ("ja", "en"):
        post(web, "/settings/language", {"language": lang}, csrf=csrf)
        for path in pages(person) + pages(hostile):
            assert web.get(path).status_code == 200
