"""The contacts and network pages (pages_contacts.py, pages_network.py) through Flask's test
client: search by name, reading and filters, paging, the session rule and CSP, escaping, and
the JSON their scripts call. (In real Chromium: tests/web/test_lists_browser.py.)"""

from __future__ import annotations

import re

from companion.services import events
from tests.companion.services.followup.test_suggest_support import add_contact, add_message
from tests.companion.web.test_pages import (CSP, HOSTILE, HOSTILE_IMG, ago, hostile,  # noqa: F401
                                            person, web)
from tests.helpers import make_client


def names_in(html: str) -> list[str]:
    return re.findall(r'data-testid="contact-name">([^<]*)</a>', html)


def test_the_contacts_page_needs_the_session_and_sends_the_csp(app, web, person):
    stranger = make_client(app)
    refused = stranger.get("/contacts")
    assert refused.status_code == 403 and "佐藤" not in refused.get_data(as_text=True)
    assert stranger.get("/web/contacts.json").status_code == 403
    page = web.get("/contacts")
    assert page.status_code == 200
    assert page.headers["Content-Security-Policy"] == CSP
    assert names_in(page.get_data(as_text=True)) == ["佐藤 健二"]


def test_search_by_reading_kana_and_two_characters(app, web, person, db):
    add_contact(db, "Emily Carter", given="Emily", family="Carter", tier="active",
                organisation="Northwind Labs")
    for q in ("さとう", "サトウ", "ｻﾄｳ", "佐藤", "架空データ"):
        html = web.get("/contacts", query_string={"q": q}).get_data(as_text=True)
        assert names_in(html) == ["佐藤 健二"], q
    assert names_in(web.get("/contacts?q=northwind").get_data(as_text=True)) == ["Emily Carter"]
    html = web.get("/contacts?q=nobody-by-this-name").get_data(as_text=True)
    assert names_in(html) == [] and 'data-testid="contact-none"' in html


def test_filters_sorting_and_a_bad_field_said_plainly(app, web, person, db):
    add_contact(db, "Emily Carter", given="Emily", tier="dormant", last_two_way_at=ago(500))
    assert names_in(web.get("/contacts?tier=dormant").get_data(as_text=True)) == ["Emily Carter"]
    assert names_in(web.get("/contacts?site=github").get_data(as_text=True)) == ["佐藤 健二"]
    since = ago(100)[:10]
    assert names_in(web.get(f"/contacts?not_contacted_since={since}").get_data(
        as_text=True)) == ["Emily Carter"]
    recent = names_in(web.get("/contacts?sort=recent").get_data(as_text=True))
    assert recent == ["佐藤 健二", "Emily Carter"]
    bad = web.get("/contacts?tier=closest")
    assert bad.status_code == 200
    html = bad.get_data(as_text=True)
    assert 'data-testid="contact-error"' in html and "tier" in html
    assert len(names_in(html)) == 2                      # everyone, unfiltered
    answer = web.get("/web/contacts.json?tier=closest")
    assert answer.status_code == 400
    assert answer.get_json()["error"]["details"]["field"] == "tier"


def test_pages_walk_everyone_once(app, web, db):
    for n in range(120):
        add_contact(db, f"Person {n:03d}", tier="wide")
    seen, url = [], "/contacts"
    while url:
        html = web.get(url).get_data(as_text=True)
        seen += names_in(html)
        found = re.search(r'<a href="([^"]*)" rel="next" data-testid="contact-next"(?! hidden)',
                          html)
        url = found[1].replace("&amp;", "&") if found else None
        assert len(seen) <= 120
    assert sorted(seen) == [f"Person {n:03d}" for n in range(120)]
    assert 'data-testid="contact-first"' in html          # a later page links to the first


def test_scraped_text_stays_text_on_the_contacts_page(app, web, hostile):
    html = web.get("/contacts").get_data(as_text=True)
    assert HOSTILE not in html and HOSTILE_IMG not in html
    assert "&lt;script&gt;" in html
    rows = web.get("/web/contacts.json").get_json()["rows"]
    assert rows[0]["display_name"] == HOSTILE           # data, for textContent


def test_the_network_page_and_its_data(app, web, person, db):
    other = add_contact(db, "Emily Carter", given="Emily", tier="active",
                        organisation="架空データ株式会社")
    page = web.get("/network")
    assert page.status_code == 200 and page.headers["Content-Security-Policy"] == CSP
    html = page.get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert any("sigma" in s for s in scripts) and any("graphology" in s for s in scripts)
    for src in scripts:                                  # every script is served from here
        served = web.get(src)
        assert served.status_code == 200 and "javascript" in served.mimetype, src
    data = web.get("/web/network.json").get_json()
    assert sorted(data["nodes"]["id"]) == sorted([person, other])
    assert len(data["edges"]["source"]) == 1             # the same organisation
    assert make_client(app).get("/web/network.json").status_code == 403
    assert web.get("/web/network/paths").status_code == 400
    assert web.get("/web/network/paths?to=999999").status_code == 404
    answer = web.get(f"/web/network/paths?to={other}").get_json()
    assert answer["to"] == other and isinstance(answer["paths"], list)


def test_a_warm_path_comes_with_a_draft_in_the_first_person_s_language(app, web, person, db):
    friend, target = person, add_contact(db, "Emily Carter", given="Emily", tier="wide")
    add_message(db, friend, "out", "勉強会の資料、ありがとうございました。", ago(19))  # two-way now
    event = events.create_event(db, {"name": "Data Engineering Meetup Tokyo", "kind": "meetup",
                                     "starts_on": ago(30)[:10]})
    events.add_person(db, event.id, friend)
    events.add_person(db, event.id, target)
    paths = web.get(f"/web/network/paths?to={target}").get_json()["paths"]
    assert paths and paths[0]["people"] == [friend, target]
    draft = paths[0]["draft"]
    assert draft["lang"] == "ja" and "Emily Carter" in draft["text"]
    assert "Data Engineering Meetup Tokyo" in draft["text"]
