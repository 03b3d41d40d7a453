"""The next follow-up kept between lookups (next_kept.py): the same answer as drafting it
again, drafted again exactly when something it rests on changes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.services.followup import next_kept, suggest, suggest_actions
from tests.companion.services.followup.test_suggest_support import (
    TODAY, add_contact, insert_fact_by_sql, message_with_facts)

ASKED = "2026-11-24T01:00:00.000Z"


@pytest.fixture
def drafts(monkeypatch):
    """How many times the person's suggestion was drafted."""
    calls = []
    real = suggest.next_followup_and_needs

    def counted(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(suggest, "next_followup_and_needs", counted)
    return calls


def kept(db, contact, day=TODAY, lang="ja"):
    return next_kept.next_followup(db, contact, day, user_lang=lang)


def test_the_kept_answer_is_the_drafted_one_and_is_reused(app, db, drafts):
    contact = add_contact(db, "Emily Carter", given="Emily", tier="close")
    message_with_facts(db, contact, "in", "Could you share the slides from the panel?", ASKED)
    first = kept(db, contact)
    assert first["reason"] == "question_waiting"
    assert kept(db, contact) == first and kept(db, contact) == first
    assert drafts == [contact]                        # drafted once, read twice
    kept(db, contact, lang="en")
    kept(db, contact, day=TODAY + timedelta(days=1))
    assert len(drafts) == 3                           # another language, another day
    assert first == suggest.next_followup(db, contact, TODAY)   # what drafting gives


def test_each_thing_it_rests_on_drafts_it_again(app, db, drafts):
    contact = add_contact(db, "Emily Carter", given="Emily", tier="close")
    message_with_facts(db, contact, "in", "Could you share the slides from the panel?", ASKED)
    question = kept(db, contact)
    steps = [
        # their new message
        lambda: message_with_facts(db, contact, "in", "Also, I'm into bouldering lately.",
                                   "2026-11-24T02:00:00.000Z"),
        # the user marks the question done (the open count changes)
        lambda: db.execute("UPDATE facts SET status = 'done' WHERE contact_id = ?"
                           " AND kind = 'question'", (contact,)),
        # a note
        lambda: db.execute("INSERT INTO notes (contact_id, body, created_at, updated_at)"
                           " VALUES (?, 'met at PyCon', ?, ?)", (contact, ASKED, ASKED)),
        # the user chose a tier
        lambda: db.execute("UPDATE contacts SET tier = 'inner' WHERE id = ?", (contact,)),
        # a site newly linked to them
        lambda: db.execute("INSERT INTO identities (contact_id, platform, url, first_seen_at,"
                           " last_seen_at) VALUES (?, 'github', 'https://github.com/ecarter',"
                           " ?, ?)", (contact, ASKED, ASKED)),
    ]
    for n, step in enumerate(steps, start=2):
        step()
        kept(db, contact)
        assert len(drafts) == n, n
        kept(db, contact)
        assert len(drafts) == n, n                    # and kept again
    after = kept(db, contact)
    assert after is None or after["key"] != question["key"]   # the question was done
    message_with_facts(db, contact, "in", "Could you also send the pricing sheet?",
                       "2026-11-24T03:00:00.000Z")
    answer = kept(db, contact)
    assert answer["reason"] == "question_waiting" and "pricing sheet" in answer["draft"]["text"]
    suggest_actions.record_action(db, answer["key"], "dismiss", {}, TODAY)
    again = kept(db, contact)
    assert again is None or again["key"] != answer["key"]    # a dismissal is seen at once


def test_someone_new_to_introduce_is_seen_only_by_a_person_with_a_need(app, db, drafts):
    need = add_contact(db, "Emily Carter", given="Emily", tier="active")
    other = add_contact(db, "Ken Ito", given="Ken", tier="active")
    message_with_facts(db, need, "in", "We're looking for a product designer for the Osaka "
                       "booking app.", ASKED)
    message_with_facts(db, other, "in", "Could you send the deck?", ASKED)
    before = kept(db, need)
    assert before is None or before["reason"] != "introduction"   # nobody to introduce yet
    kept(db, other)
    assert len(drafts) == 2
    helper = add_contact(db, "Mia Chen", given="Mia", tier="close", title="Product Designer",
                         created_at="2026-11-25T00:00:00.000Z")
    insert_fact_by_sql(db, helper, "interest", "them", "I'm into type design.",
                       stated_at="2026-11-01T00:00:00Z", detail={"terms": ["type design"]})
    assert kept(db, need)["reason"] == "introduction"   # drafted again: someone to introduce
    kept(db, other)
    assert drafts == [need, other, need]                # the other had no need: kept


def test_drafting_everyone_ahead_and_deleting_a_person(app, db, drafts):
    people = [add_contact(db, f"Person {k}", tier="close") for k in range(3)]
    message_with_facts(db, people[0], "in", "Could you share the agenda?", ASKED)
    assert next_kept.draft_everyone(db, TODAY) == 3
    assert next_kept.draft_everyone(db, TODAY) == 0     # all current
    assert kept(db, people[0])["reason"] == "question_waiting" and len(drafts) == 3
    db.execute("DELETE FROM contacts WHERE id = ?", (people[1],))
    assert db.query_one("SELECT COUNT(*) FROM next_followups")[0] == 2
    assert next_kept.next_followup(db, 999, TODAY) is None


def test_other_settings_draft_it_again(app, db, settings, drafts):
    import dataclasses
    contact = add_contact(db, "Emily Carter", given="Emily", tier="close")
    message_with_facts(db, contact, "in", "Could you share the slides from the panel?", ASKED)
    next_kept.next_followup(db, contact, TODAY, settings=settings)
    next_kept.next_followup(db, contact, TODAY, settings=settings)
    assert len(drafts) == 1
    shorter = dataclasses.replace(settings, cadence_close_days=7)
    next_kept.next_followup(db, contact, TODAY, settings=shorter)
    assert len(drafts) == 2                 # a cadence changed: drafted again


def test_a_status_swap_that_keeps_the_counts_drafts_it_again(app, db, drafts):
    """One question answered and another reopened: as many open as before, not the same."""
    contact = add_contact(db, "Emily Carter", given="Emily", tier="close")
    message_with_facts(db, contact, "in", "Could you share the slides from the panel?", ASKED)
    message_with_facts(db, contact, "in", "Could you also send the pricing sheet?",
                       "2026-11-24T03:00:00.000Z")
    slides, pricing = [r[0] for r in db.query_all(
        "SELECT id FROM facts WHERE contact_id = ? AND kind = 'question' ORDER BY id",
        (contact,))]
    db.execute("UPDATE facts SET status = 'answered', status_at = ? WHERE id = ?",
               ("2026-11-25T01:00:00.000Z", pricing))
    assert kept(db, contact)["key"] == f"question:{slides}"
    db.execute("UPDATE facts SET status = 'answered', status_at = ? WHERE id = ?",
               ("2026-11-25T02:00:00.000Z", slides))
    db.execute("UPDATE facts SET status = 'open', status_at = ? WHERE id = ?",
               ("2026-11-25T02:00:01.000Z", pricing))
    assert kept(db, contact)["key"] == f"question:{pricing}"   # drafted again
    assert len(drafts) == 2
