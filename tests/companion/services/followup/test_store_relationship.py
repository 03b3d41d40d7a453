"""Relationship state: the last two-way exchange (an unanswered message of mine does not count)
and the tier proposed from the pattern of exchanges, which never overrides the user's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.services.followup import relationship
from tests.companion.services.followup.store_helpers import (  # noqa: F401  (fixtures)
    CAPTURED, frozen_clock, log, me_app, me_client, me_db, person, post_page)


def state(db, contact_id: int) -> tuple:
    row = db.query_one("SELECT tier, tier_source, last_two_way_at FROM contacts WHERE id = ?",
                       (contact_id,))
    return tuple(row)


def days_ago(n: float, hour: int = 10) -> str:
    moment = (CAPTURED - timedelta(days=n)).replace(hour=hour, minute=0, second=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def exchange(client, contact: int, n: float) -> None:
    """They write, I answer, n days ago."""
    log(client, contact, None, direction="in", at=days_ago(n, 9))
    log(client, contact, None, direction="out", at=days_ago(n, 10))


def test_an_unanswered_message_of_mine_does_not_reset_the_clock(me_client, me_db,
                                                                frozen_clock):
    contact = person(me_client)
    assert state(me_db, contact) == ("wide", "proposed", None)
    log(me_client, contact, "Great to meet you!", direction="out", at="2026-11-01T10:00:00Z")
    assert state(me_db, contact)[2] is None               # nobody answered yet
    log(me_client, contact, "Likewise!", direction="in", at="2026-11-02T10:00:00Z")
    assert state(me_db, contact)[2] == "2026-11-02T10:00:00.000Z"
    log(me_client, contact, "Any news?", direction="out", at="2026-11-20T10:00:00Z")
    assert state(me_db, contact)[2] == "2026-11-02T10:00:00.000Z"   # still no answer
    log(me_client, contact, "Sorry, busy!", direction="in", at="2026-11-22T10:00:00Z")
    assert state(me_db, contact)[2] == "2026-11-22T10:00:00.000Z"
    log(me_client, contact, None, kind="meeting", direction="both", at="2026-11-24T10:00:00Z")
    assert state(me_db, contact)[2] == "2026-11-24T10:00:00.000Z"   # a meeting is two-way


def test_their_message_counts_when_i_answered_it(me_client, me_db, frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "Hello from the conference!", direction="in",
        at="2026-11-01T10:00:00Z")
    assert state(me_db, contact)[2] is None               # not answered (yet)
    log(me_client, contact, "Thanks, you too", direction="out", at="2026-11-03T10:00:00Z")
    # my answer got no answer, so the exchange is their message
    assert state(me_db, contact)[2] == "2026-11-01T10:00:00.000Z"


def test_last_two_way_of_a_captured_thread(me_client, me_db, frozen_clock):
    result = post_page(me_client, "x/dm-ja")
    # the user's last message (ぜひ！火曜の午後3時は…) has no answer yet: their invitation
    # before it is the last exchange
    assert result["contact"]["last_two_way_at"] == "2026-11-25T13:02:00.000Z"
    assert result["contact"]["tier"] == "active"


@pytest.mark.parametrize("pattern, tier", [
    ([], "dormant"),                           # added long ago, nothing exchanged
    ([200], "wide"),                           # one exchange this year, none lately
    ([100, 200, 300], "active"),               # three this year: about quarterly
    ([30], "active"),                          # one lately
    ([5, 35, 65], "close"),                    # about monthly
    ([2, 10, 20, 30, 45, 60], "inner"),        # about every two weeks
    ([400, 500], "dormant"),                   # nothing for more than a year
])
def test_the_proposed_tier_follows_the_exchanges(me_client, me_db, frozen_clock, pattern, tier):
    contact = person(me_client)
    with me_db.transaction() as conn:   # added long ago, so that only exchanges count
        conn.execute("UPDATE contacts SET created_at = '2024-01-01T00:00:00.000Z'")
    for n in pattern:
        exchange(me_client, contact, n)
    with me_db.transaction() as conn:
        relationship.refresh_relationship(conn, contact)
    assert state(me_db, contact)[:2] == (tier, "proposed")


def test_one_way_messages_are_not_exchanges(me_client, me_db, frozen_clock):
    contact = person(me_client)
    for n in (2, 10, 20, 30, 45, 60, 70):
        log(me_client, contact, None, direction="out", at=days_ago(n))
    assert state(me_db, contact)[:2] == ("wide", "proposed")


def test_the_users_tier_is_never_overridden(me_client, me_db, frozen_clock):
    contact = person(me_client)
    answer = me_client.patch(f"/api/v1/contacts/{contact}",
                             json={"tier": "inner", "purpose": "大学の恩師。研究の相談相手",
                                   "offer": "Intros to Japanese payment startups"})
    assert answer.status_code == 200
    body = answer.json
    assert (body["tier"], body["tier_source"]) == ("inner", "user")
    assert body["purpose"] == "大学の恩師。研究の相談相手"
    assert body["offer"] == "Intros to Japanese payment startups"
    assert body["locked_fields"] == []                    # not profile fields
    for n in (400, 500):                                   # the pattern says dormant…
        exchange(me_client, contact, n)
    assert state(me_db, contact)[:2] == ("inner", "user")  # …the user said inner
    with me_db.transaction() as conn:
        relationship.refresh_relationship(conn, contact)
    assert state(me_db, contact)[:2] == ("inner", "user")
    # null hands the tier back to the proposal
    body = me_client.patch(f"/api/v1/contacts/{contact}", json={"tier": None}).json
    assert (body["tier"], body["tier_source"]) == ("wide", "proposed")


def test_time_passing_moves_people_outward(me_client, me_db, frozen_clock, monkeypatch):
    contact = person(me_client)
    with me_db.transaction() as conn:
        conn.execute("UPDATE contacts SET created_at = '2026-01-01T00:00:00.000Z'")
    for n in (5, 35, 65):
        exchange(me_client, contact, n)
    assert state(me_db, contact)[0] == "close"
    monkeypatch.setattr(relationship, "clock", lambda: CAPTURED + timedelta(days=200))
    assert relationship.refresh_all(me_db) == 1
    assert state(me_db, contact)[0] == "active"
    monkeypatch.setattr(relationship, "clock", lambda: CAPTURED + timedelta(days=800))
    relationship.refresh_all(me_db)
    assert state(me_db, contact)[0] == "dormant"


@pytest.mark.parametrize("body, field", [
    ({"tier": "bestie"}, "tier"), ({"tier": 3}, "tier"), ({"purpose": 5}, "purpose"),
    ({"offer": "x" * 2001}, "offer"),
])
def test_bad_relationship_fields_are_refused(me_client, body, field):
    contact = person(me_client)
    answer = me_client.patch(f"/api/v1/contacts/{contact}", json=body)
    assert answer.status_code == 400
    assert answer.json["error"]["details"]["field"] == field
