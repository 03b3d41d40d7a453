"""The events pages (pages_events.py) through Flask's test client: the list, a new event, who was
met there (named as the user would say it), editing and deleting, the event in the person's
timeline, the session and CSRF rules, and escaping."""

from __future__ import annotations

import re

from companion.services import events
from tests.companion.services.followup.test_suggest_support import add_contact
from tests.companion.web.test_pages import (CSP, HOSTILE, csrf_of, person, post,  # noqa: F401
                                            web)
from tests.helpers import make_client


def new_event(web, **fields) -> int:
    csrf = csrf_of(web.get("/events").get_data(as_text=True))
    answer = post(web, "/events", {"name": "Rust勉強会 #12", "kind": "study_group",
                                   "starts_on": "2026-10-03", "place": "渋谷", **fields},
                  csrf=csrf)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return int(re.search(r"/events/(\d+)$", answer.headers["Location"])[1])


def test_the_events_page_needs_the_session_and_lists_events(app, web):
    assert make_client(app).get("/events").status_code == 403
    event_id = new_event(web)
    page = web.get("/events")
    assert page.headers["Content-Security-Policy"] == CSP
    html = page.get_data(as_text=True)
    assert "Rust勉強会 #12" in html and "勉強会" in html and f"/events/{event_id}" in html
    assert "Rust勉強会" in web.get("/events?kind=study_group").get_data(as_text=True)
    assert "Rust勉強会" not in web.get("/events?kind=conference").get_data(as_text=True)
    assert "Rust勉強会" not in web.get("/events?q=大阪").get_data(as_text=True)


def test_people_met_there_by_name_or_reading_and_in_their_timeline(app, web, person, db):
    event_id = new_event(web)
    csrf = csrf_of(web.get(f"/events/{event_id}").get_data(as_text=True))
    added = post(web, f"/events/{event_id}/people", {"who": "さとう", "note": "物流でのRust"},
                 csrf=csrf)
    assert added.status_code == 303
    shown = events.get_event(db, event_id)
    assert [(p.contact_id, p.note) for p in shown.people] == [(person, "物流でのRust")]
    html = web.get(f"/events/{event_id}").get_data(as_text=True)
    assert "佐藤 健二" in html and "物流でのRust" in html
    timeline = web.get(f"/contacts/{person}").get_data(as_text=True)
    assert f'href="/events/{event_id}" data-testid="timeline-event"' in timeline
    removed = post(web, f"/events/{event_id}/people/{person}/remove", {}, csrf=csrf)
    assert removed.status_code == 303 and events.get_event(db, event_id).people == ()


def test_a_name_that_fits_several_people_or_nobody_is_said_plainly(app, web, person, db):
    add_contact(db, "佐藤 花子", family="佐藤", given="花子")
    event_id = new_event(web)
    csrf = csrf_of(web.get(f"/events/{event_id}").get_data(as_text=True))
    several = post(web, f"/events/{event_id}/people", {"who": "佐藤"}, csrf=csrf)
    assert several.status_code == 400
    assert "2 contacts match" in several.get_data(as_text=True)
    nobody = post(web, f"/events/{event_id}/people", {"who": "存在しない人"}, csrf=csrf)
    assert nobody.status_code == 400 and "No contact matches" in nobody.get_data(as_text=True)
    exact = post(web, f"/events/{event_id}/people", {"who": "佐藤 健二"}, csrf=csrf)
    assert exact.status_code == 303
    assert [p.contact_id for p in events.get_event(db, event_id).people] == [person]


def test_editing_and_deleting_an_event(app, web, db):
    event_id = new_event(web)
    csrf = csrf_of(web.get(f"/events/{event_id}").get_data(as_text=True))
    edited = post(web, f"/events/{event_id}/edit", {"name": "Rust勉強会 #13", "kind": "meetup",
                                                     "starts_on": "", "place": ""}, csrf=csrf)
    assert edited.status_code == 303
    after = events.get_event(db, event_id)
    assert (after.name, after.kind, after.starts_on, after.place) == (
        "Rust勉強会 #13", "meetup", None, None)
    kept = post(web, f"/events/{event_id}/delete", {}, csrf=csrf)
    assert kept.status_code == 400 and events.get_event(db, event_id)
    gone = post(web, f"/events/{event_id}/delete", {"confirm": "yes"}, csrf=csrf)
    assert gone.status_code == 303 and gone.headers["Location"].endswith("/events")
    assert web.get(f"/events/{event_id}").status_code == 404


def test_changes_need_the_csrf_token_and_event_text_stays_text(app, web, db):
    refused = post(web, "/events", {"name": "x"}, csrf=None)
    assert refused.status_code == 403 and events.list_events(db).events == ()
    event_id = new_event(web, name=HOSTILE, place=HOSTILE, notes=HOSTILE)
    for path in ("/events", f"/events/{event_id}"):
        html = web.get(path).get_data(as_text=True)
        assert HOSTILE not in html and "&lt;script&gt;" in html
