"""Today's list kept for the web view (today_kept.py): reused while nothing changed, computed
again when something did; on a large network the kept list answers at once, less what the user
acted on, while the new one is computed in the background."""

from __future__ import annotations

import time

import pytest

from companion.services.followup import suggest, suggest_actions, today_kept
from tests.companion.services.followup.test_suggest_support import (TODAY, add_contact,
                                                                    message_with_facts)

ASKED = "2026-11-24T01:00:00.000Z"


@pytest.fixture
def computed(monkeypatch):
    today_kept.forget()
    calls = []
    real = suggest.suggestions_for_today

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(suggest, "suggestions_for_today", counted)
    yield calls
    today_kept.forget()


def keys(found) -> list[str]:
    return [s.key for s in found]


def test_kept_while_nothing_changes_and_computed_again_when_something_does(app, db, computed):
    emily = add_contact(db, "Emily Carter", given="Emily", tier="close")
    message_with_facts(db, emily, "in", "Could you share the slides from the panel?", ASKED)
    first = today_kept.todays_list(db, TODAY, 20)
    assert keys(first) == keys(suggest.suggestions_for_today(db, TODAY, 20)) and first
    computed.clear()
    assert today_kept.todays_list(db, TODAY, 20) is first and computed == []
    ken = add_contact(db, "Ken Walker", given="Ken", tier="close")
    message_with_facts(db, ken, "in", "Would you send me the pricing sheet?", ASKED)
    again = today_kept.todays_list(db, TODAY, 20)
    assert computed == [1] and len(again) == len(first) + 1
    # another language or length is another list
    today_kept.todays_list(db, TODAY, 20, user_lang="en")
    assert computed == [1, 1]


def test_a_large_network_answers_at_once_and_catches_up_in_the_background(app, db, computed,
                                                                         monkeypatch):
    monkeypatch.setattr(today_kept, "STALE_OK_CONTACTS", 1)
    emily = add_contact(db, "Emily Carter", given="Emily", tier="close")
    message_with_facts(db, emily, "in", "Could you share the slides from the panel?", ASKED)
    today_kept.warm(db, TODAY, 20)
    first = today_kept.todays_list(db, TODAY, 20)
    assert len(computed) == 1 and first
    # the user dismisses it and a new question comes in: at once, the kept list less the
    # dismissed one; then the new list
    suggest_actions.record_action(db, first[0].key, "dismiss", {}, TODAY)
    ken = add_contact(db, "Ken Walker", given="Ken", tier="close")
    message_with_facts(db, ken, "in", "Would you send me the pricing sheet?", ASKED)
    at_once = today_kept.todays_list(db, TODAY, 20)
    assert first[0].key not in keys(at_once) and len(at_once) == len(first) - 1
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        later = today_kept.todays_list(db, TODAY, 20)
        if any(s.contact.id == ken for s in later):
            break
        time.sleep(0.05)
    assert any(s.contact.id == ken for s in later)
    assert first[0].key not in keys(later)


def test_lists_of_other_days_are_forgotten(app, db, computed):
    from datetime import timedelta
    add_contact(db, "Emily Carter", given="Emily", tier="close")
    today_kept.todays_list(db, TODAY, 20)
    today_kept.todays_list(db, TODAY, 5)
    assert len(today_kept._KEPT) == 2
    today_kept.todays_list(db, TODAY + timedelta(days=1), 20)
    assert [k[1] for k in today_kept._KEPT] == [(TODAY + timedelta(days=1)).isoformat()]
