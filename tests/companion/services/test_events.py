"""Events and who the user met there (services/events.py)."""

from __future__ import annotations

import pytest

from companion.db import utc_now
from companion.errors import ApiError
from companion.services import events


def _contact(db, name: str, org: str | None = None) -> int:
    now = utc_now()
    with db.transaction() as conn:
        return conn.execute(
            "INSERT INTO contacts (display_name, sort_key, organisation, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)", (name, name.casefold(), org, now, now)).lastrowid


def _error(call, *args, **kwargs) -> ApiError:
    with pytest.raises(ApiError) as err:
        call(*args, **kwargs)
    return err.value


def test_create_get_update_delete(db):
    a, b = _contact(db, "佐藤 一郎", "株式会社ひかり商事"), _contact(db, "Mary Smith")
    ev = events.create_event(db, {"name": " 渋谷Rust勉強会 #3 ", "kind": "study_group",
                                  "starts_on": "2026-10-03", "place": "渋谷",
                                  "url": "https://example.org/rust/3", "people": [b, a, a]})
    assert ev.name == "渋谷Rust勉強会 #3"
    assert ev.kind_label == {"ja": "勉強会", "en": "study group"}
    assert ev.people_count == 2
    assert [p.contact_id for p in ev.people] == [b, a]        # name order (sort_key)
    got = events.get_event(db, ev.id)
    assert got == ev
    changed = events.update_event(db, ev.id, {"place": None, "notes": "LT枠あり",
                                              "kind": "meetup"})
    assert (changed.place, changed.notes, changed.kind, changed.name) == \
        (None, "LT枠あり", "meetup", ev.name)
    assert changed.updated_at >= ev.updated_at
    events.delete_event(db, ev.id)
    assert _error(events.get_event, db, ev.id).status == 404
    assert _error(events.delete_event, db, ev.id).status == 404
    assert db.query_one("SELECT COUNT(*) FROM event_people")[0] == 0


@pytest.mark.parametrize("body, field", [
    ({}, "name"),
    ({"name": "   "}, "name"),
    ({"name": 3}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": "PyCon", "kind": "party!"}, "kind"),
    ({"name": "PyCon", "starts_on": "2026-13-01"}, "starts_on"),
    ({"name": "PyCon", "starts_on": 20261001}, "starts_on"),
    ({"name": "PyCon", "url": "javascript:alert(1)"}, "url"),
    ({"name": "PyCon", "colour": "red"}, "colour"),
    ({"name": "PyCon", "people": "1,2"}, "people"),
    ({"name": "PyCon", "people": [True]}, "people"),
])
def test_validation_errors_name_the_field(db, body, field):
    err = _error(events.create_event, db, body)
    assert (err.status, err.code, err.details) == (400, "bad_request", {"field": field})
    assert db.query_one("SELECT COUNT(*) FROM events")[0] == 0


def test_not_a_json_object_and_unknown_contact(db):
    assert _error(events.create_event, db, ["PyCon"]).status == 400
    assert _error(events.create_event, db, {"name": "PyCon", "people": [42]}).status == 404
    assert db.query_one("SELECT COUNT(*) FROM events")[0] == 0     # nothing half-written
    ev = events.create_event(db, {"name": "PyCon"})
    assert _error(events.update_event, db, ev.id, {"name": None}).details == {"field": "name"}
    assert _error(events.update_event, db, 999, {"notes": "x"}).status == 404


def test_people_added_once_with_notes_and_removed(db):
    a = _contact(db, "佐藤 一郎")
    ev = events.create_event(db, {"name": "Data交流会", "kind": "party"})
    ev, created = events.add_person(db, ev.id, a, {"note": "物流の話"})
    assert created and ev.people[0].note == "物流の話"
    ev, created = events.add_person(db, ev.id, a, {"note": "名刺交換"})
    assert not created and ev.people_count == 1 and ev.people[0].note == "名刺交換"
    ev, created = events.add_person(db, ev.id, a, {})
    assert ev.people[0].note == "名刺交換"                      # no note: the old one stays
    assert _error(events.add_person, db, ev.id, 999).status == 404
    assert _error(events.add_person, db, 999, a).status == 404
    assert _error(events.add_person, db, ev.id, a, {"note": 5}).details == {"field": "note"}
    assert _error(events.add_person, db, ev.id, a, {"mood": "x"}).details == {"field": "mood"}
    events.remove_person(db, ev.id, a)
    assert events.get_event(db, ev.id).people == ()
    assert _error(events.remove_person, db, ev.id, a).status == 404


def test_events_of_a_contact_newest_first_and_gone_with_the_contact(db):
    a, b = _contact(db, "佐藤 一郎"), _contact(db, "Mary Smith")
    old = events.create_event(db, {"name": "PyCon JP", "starts_on": "2025-09-27",
                                   "people": [a]})
    new = events.create_event(db, {"name": "Rust勉強会", "starts_on": "2026-10-03",
                                   "people": [a, b]})
    undated = events.create_event(db, {"name": "交流会", "people": [a]})
    assert [e.id for e in events.events_of(db, a)] == [new.id, old.id, undated.id]
    assert [e.id for e in events.events_of(db, b)] == [new.id]
    assert _error(events.events_of, db, 999).status == 404
    with db.transaction() as conn:
        conn.execute("DELETE FROM contacts WHERE id = ?", (a,))
    assert events.get_event(db, new.id).people_count == 1


def test_list_pages_filters_and_ordering(db):
    made = [events.create_event(db, {"name": f"Meetup {i}", "kind": "meetup",
                                     "starts_on": f"2026-0{1 + i % 9}-1{i % 10}"})
            for i in range(7)]
    events.create_event(db, {"name": "Berlin Summit", "kind": "conference",
                             "place": "Berlin"})
    seen, before = [], None
    while True:
        page = events.list_events(db, limit=3, before=before)
        seen += [e.id for e in page.events]
        before = page.next_before
        if before is None:
            break
    everything = events.list_events(db, limit=200).events
    assert seen == [e.id for e in everything] and len(seen) == 8
    dated = [e.starts_on for e in everything if e.starts_on]
    assert dated == sorted(dated, reverse=True) and everything[-1].starts_on is None
    assert [e.name for e in events.list_events(db, q="berlin").events] == ["Berlin Summit"]
    assert len(events.list_events(db, kind="meetup").events) == len(made)
    assert events.list_events(db, kind="meetup").events[0].people is None
    for kwargs, field in (({"limit": 0}, "limit"), ({"kind": "gala"}, "kind"),
                          ({"before": "yesterday"}, "before")):
        assert _error(events.list_events, db, **kwargs).details == {"field": field}
