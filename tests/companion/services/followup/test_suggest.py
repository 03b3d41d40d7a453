"""Suggestions: why now, the facts they rest on, drafts built from those facts, and what the
user did with them. Real data first (site fixtures captured through the API, notes and
interactions through the API, the facts store reading them); facts written by SQL
(``insert_fact_by_sql``) only where a test needs one precise fact."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from companion.services.followup import suggest, suggest_actions
from companion.services.followup.suggest_rank import SAME_REASON_DISMISSED
from tests.companion.services.followup.store_helpers import (  # noqa: F401  (fixtures)
    frozen_clock, log, me_app, me_client, me_db, person, post_page)
from tests.companion.services.followup.test_suggest_support import (
    TODAY, add_contact, add_message, insert_fact_by_sql, message_with_facts)

ASKED_AT = "2026-11-24T01:00:00.000Z"


def by_key(found):
    return {s.key: s for s in found}


def only(found, reason):
    matches = [s for s in found if s.reason == reason]
    assert matches, [(s.key, s.reason) for s in found]
    return matches[0]


# -- real captures -------------------------------------------------------------------------------

def test_a_question_in_a_captured_thread_gets_an_answer_draft_that_quotes_it(
        me_client, me_db, frozen_clock):
    # the user is 佐藤 美咲 on X; 山本 陽介 asked for the slides and was answered, then invited
    # her to tea and she agreed: nothing is waiting for her today
    post_page(me_client, "x/dm-ja")
    assert suggest.suggestions_for_today(me_db, TODAY) == []
    # the same conversation before her replies: his question waits, and the draft names it
    yamamoto = me_db.query_one("SELECT id FROM contacts WHERE display_name = '山本 陽介'")[0]
    me_db.execute("DELETE FROM interactions WHERE direction = 'out'")
    me_db.execute("UPDATE facts SET status = 'open', status_source = NULL")
    found = suggest.suggestions_for_today(me_db, TODAY)
    assert [s.contact.id for s in found] == [yamamoto]   # one per person
    mine = suggest.suggestions_for_contact(me_db, yamamoto, TODAY)
    question = next(s for s in mine if s.reason == "question_waiting"
                    and "スライド" in s.facts[0].span)
    assert question.action == "answer"
    fact = question.facts[0]
    assert fact.source.type == "interaction" and fact.source.id is not None
    stored = me_db.query_one("SELECT text FROM interactions WHERE id = ?", (fact.source.id,))
    assert fact.span in stored[0]
    draft = question.drafts[0]
    assert draft.lang == "ja" and "スライド" in draft.text and fact.id in draft.fact_ids
    assert "11月24日" in question.why["ja"] and "Nov 24" in question.why["en"]


def test_a_changed_title_between_two_captures_is_news_to_congratulate(me_client, me_db,
                                                                       frozen_clock):
    url = "https://x.com/hanako_mori"
    person(me_client, "Hanako Mori", url, "2026-10-01T09:00:00+09:00", job_title="Engineer",
           org="Acme Labs")
    person(me_client, "Hanako Mori", url, "2026-11-24T09:00:00+09:00",
           job_title="Head of Platform", org="Acme Labs")
    contact = me_db.query_one("SELECT id FROM contacts")[0]
    news = only(suggest.suggestions_for_contact(me_db, contact, TODAY), "change_to_congratulate")
    assert news.key.startswith("change:") and news.action == "congratulate"
    assert news.facts[0].source.type == "capture"
    assert "Head of Platform" in news.why["en"] and "Engineer" in news.why["en"]
    assert "Head of Platform" in news.drafts[0].text


def test_a_note_after_a_meeting_turns_missing_into_a_draft(me_client, me_db, frozen_clock):
    contact = person(me_client, "Hanako Mori", "https://x.com/hanako_mori",
                     "2025-06-01T09:00:00+09:00")
    log(me_client, contact, None, direction="both", kind="meeting", at="2026-11-20T05:00:00Z")
    met = only(suggest.suggestions_for_contact(me_db, contact, TODAY), "met_recently")
    assert met.drafts == [] and met.missing is not None
    assert "Nov 20" in met.missing["en"] and "11月20日" in met.missing["ja"]
    assert "note" in met.missing["en"] and "メモ" in met.missing["ja"]
    me_client.post(f"/api/v1/contacts/{contact}/notes",
                   json={"body": "She is really into trail running these days."})
    met = only(suggest.suggestions_for_contact(me_db, contact, TODAY), "met_recently")
    assert met.missing is None and "trail running" in met.drafts[0].text
    assert met.action == "share_interest"
    assert met.facts[0].source.type == "note"


def test_an_event_with_a_date_is_upcoming_and_its_draft_names_it(me_client, me_db,
                                                                 frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "12月5日の物流DXサミットで登壇します。", direction="in",
        at="2026-11-20T05:00:00Z")
    event = only(suggest.suggestions_for_contact(me_db, contact, TODAY), "event_upcoming")
    assert event.when == "2026-12-05" and event.key.startswith("event:")
    assert "物流DXサミット" in event.drafts[0].text and "12月5日" in event.drafts[0].text
    assert "in 9 days" in event.why["en"] and "9日後" in event.why["ja"]


def test_a_dormant_tie_with_news_is_reconnected_through_it(me_client, me_db, frozen_clock):
    contact = person(me_client)
    me_client.patch(f"/api/v1/contacts/{contact}", json={"tier": "dormant"})
    log(me_client, contact, "Thanks for the intro back then!", direction="in",
        at="2024-05-01T05:00:00Z")
    log(me_client, contact, "Glad it worked out.", direction="out", at="2024-05-02T05:00:00Z")
    log(me_client, contact, "We're launching Kanade Board on Dec 10.", direction="in",
        at="2026-11-22T05:00:00Z")
    found = suggest.suggestions_for_contact(me_db, contact, TODAY)
    dormant = only(found, "dormant_with_news")
    assert dormant.key.startswith(f"dormant:{contact}:")
    assert "Kanade Board" in dormant.drafts[0].text


# -- facts written directly ----------------------------------------------------------------------

def test_no_fact_no_draft_for_a_tie_overdue_by_its_cadence(app, db):
    quiet = add_contact(db, "Kenji Sato", given="Kenji", tier="close",
                        last_two_way_at="2026-09-01T00:00:00.000Z")
    known = add_contact(db, "Emily Carter", given="Emily", tier="close",
                        last_two_way_at="2026-09-01T00:00:00.000Z")
    insert_fact_by_sql(db, known, "interest", "them", "I'm really into sourdough baking.",
                       stated_at="2026-08-20T00:00:00Z", detail={"terms": ["sourdough baking"]})
    found = by_key(suggest.suggestions_for_today(db, TODAY))
    quiet_s = found[f"cadence:{quiet}:2026-10-01"]
    assert quiet_s.reason == "overdue_by_cadence" and quiet_s.drafts == []
    assert "Kenji Sato" in quiet_s.missing["en"] and "メモ" in quiet_s.missing["ja"]
    known_s = found[f"cadence:{known}:2026-10-01"]
    assert known_s.action == "share_interest"
    assert "sourdough baking" in known_s.drafts[0].text
    assert "86 days ago" in known_s.why["en"] and "30 days" in known_s.why["en"]


def test_cadences_come_from_settings_with_defaults(app, db, settings):
    contact = add_contact(db, "Kenji Sato", tier="close",
                          last_two_way_at="2026-11-01T00:00:00.000Z")
    assert suggest.cadences(None)["close"] == 30
    assert not suggest.suggestions_for_today(db, TODAY, settings=settings)
    quick = dataclasses.replace(settings, cadence_close_days=7) if hasattr(
        settings, "cadence_close_days") else type("S", (), {"cadence_close_days": 7})()
    found = suggest.suggestions_for_today(db, TODAY, settings=quick)
    assert [s.key for s in found] == [f"cadence:{contact}:2026-11-08"]


def test_a_promise_draft_names_the_thing_and_the_day_in_their_language(app, db):
    ja = add_contact(db, "高橋 美咲", family="高橋", tier="active")
    en = add_contact(db, "Emily Carter", given="Emily", tier="active")
    add_message(db, ja, "in", "よろしくお願いします。", "2026-11-19T00:00:00.000Z")
    add_message(db, en, "in", "Thanks!", "2026-11-19T00:00:00.000Z")
    for contact, text in ((ja, "明日までに見積もりをお送りします。"),
                          (en, "I'll send you the pricing deck by Friday.")):
        message_with_facts(db, contact, "out", text, "2026-11-20T01:00:00.000Z")
    found = by_key(suggest.suggestions_for_today(db, TODAY))
    drafts = {s.contact.id: s.drafts[0] for s in found.values()}
    assert drafts[ja].lang == "ja" and "見積もり" in drafts[ja].text
    assert "11月20日" in drafts[ja].text and drafts[ja].text.startswith("高橋さ")
    assert drafts[en].lang == "en" and "the pricing deck" in drafts[en].text.lower()
    assert "Nov 20" in drafts[en].text and "Emily" in drafts[en].text
    for s in found.values():
        assert s.reason == "promise_due" and s.action == "keep_promise"


def test_the_draft_follows_the_language_they_write_in(app, db):
    contact = add_contact(db, "佐藤 健二", family="佐藤", tier="active")
    add_message(db, contact, "in", "Happy to help with the migration plan.",
                "2026-11-10T00:00:00.000Z")
    message_with_facts(db, contact, "out", "I'll send you the migration checklist tomorrow.",
                       "2026-11-24T01:00:00.000Z")
    draft = suggest.suggestions_for_today(db, TODAY)[0].drafts[0]
    assert draft.lang == "en" and "the migration checklist" in draft.text.lower()


def test_one_suggestion_per_person_today_and_all_of_them_in_their_own_list(app, db):
    contact = add_contact(db, "Emily Carter", given="Emily", tier="close")
    other = add_contact(db, "Kenji Sato", given="Kenji", tier="close")
    for text in ("Could you share the slides from the panel?",
                 "Do you have the notes from the budget review?"):
        message_with_facts(db, contact, "in", text, ASKED_AT)
    message_with_facts(db, other, "in", "Could you send the onboarding checklist?", ASKED_AT)
    today = suggest.suggestions_for_today(db, TODAY)
    assert sorted(s.contact.id for s in today) == sorted([contact, other])
    own = suggest.suggestions_for_contact(db, contact, TODAY)
    assert len([s for s in own if s.reason == "question_waiting"]) == 2
    assert own[0].score >= own[1].score


def test_keys_are_stable_across_recomputation(app, db):
    contact = add_contact(db, "Emily Carter", tier="close",
                          last_two_way_at="2026-09-01T00:00:00.000Z")
    message_with_facts(db, contact, "in", "Could you share the slides from the panel?",
                       ASKED_AT)
    first = [s.key for s in suggest.suggestions_for_contact(db, contact, TODAY)]
    again = [s.key for s in suggest.suggestions_for_contact(db, contact, TODAY)]
    assert first == again and first


def test_an_introduction_asks_each_side_first_and_cites_a_fact_of_each(app, db):
    need = add_contact(db, "Emily Carter", given="Emily", tier="active")
    helper = add_contact(db, "佐藤 健二", family="佐藤", tier="close", title="Rustエンジニア",
                         career={"skills": ["Rust", "Kubernetes"]})
    add_contact(db, "Unrelated Person", tier="close", title="Sales Director")
    message_with_facts(db, need, "in",
                       "Do you know anyone who is good at Rust? An intro would mean a lot.",
                       ASKED_AT)
    interest = insert_fact_by_sql(db, helper, "interest", "them", "最近は登山にハマっています。",
                                  stated_at="2026-10-01T00:00:00Z", detail={"terms": ["登山"]})
    intro = only(suggest.suggestions_for_today(db, TODAY), "introduction")
    assert intro.key == f"intro:{need}:{helper}" and intro.other.id == helper
    assert intro.action == "introduce"
    to_need, to_helper = intro.drafts
    assert (to_need.contact_id, to_need.lang) == (need, "en")
    assert (to_helper.contact_id, to_helper.lang) == (helper, "ja")
    assert "Rust" in to_need.text and "佐藤 健二" in to_need.text
    assert "check with" in to_need.text or "ask" in to_need.text     # ask the other side first
    assert "Emily Carter" in to_helper.text
    assert "了承" in to_helper.text or "無理に" in to_helper.text    # only if both agree
    assert intro.facts[0].id in to_need.fact_ids and interest in to_helper.fact_ids
    # the question it answers is not a second suggestion for her
    assert not [s for s in suggest.suggestions_for_contact(db, need, TODAY)
                if s.reason == "question_waiting"]


def test_no_introduction_to_someone_nothing_is_known_about(app, db):
    need = add_contact(db, "Emily Carter", tier="active")
    add_contact(db, "Ken Rust", tier="close", title="Rust engineer")   # a title, no fact
    message_with_facts(db, need, "in", "Do you know anyone who is good at Rust?", ASKED_AT)
    found = suggest.suggestions_for_contact(db, need, TODAY)
    assert [s.reason for s in found] == ["question_waiting"]


# -- done, snooze, dismiss -----------------------------------------------------------------------

def test_done_hides_the_suggestion_and_marks_the_promise_done(app, db):
    contact = add_contact(db, "Emily Carter", tier="close")
    message_with_facts(db, contact, "out", "I'll send you the pricing deck tomorrow.",
                       "2026-11-24T01:00:00.000Z")
    key = suggest.suggestions_for_today(db, TODAY)[0].key
    answer = suggest_actions.record_action(db, key, "done", {}, TODAY)
    assert answer["reason"] == "promise_due" and answer["contact_id"] == contact
    assert suggest.suggestions_for_today(db, TODAY) == []
    fact_id = int(key.split(":")[1])
    row = db.query_one("SELECT status, status_source FROM facts WHERE id = ?", (fact_id,))
    assert tuple(row) == ("done", "user")


def test_snooze_hides_until_its_date(app, db):
    contact = add_contact(db, "Emily Carter", tier="close")
    message_with_facts(db, contact, "in", "Could you share the slides from the panel?",
                       ASKED_AT)
    key = suggest.suggestions_for_today(db, TODAY)[0].key
    answer = suggest_actions.record_action(db, key, "snooze", {"until": "2026-11-29"}, TODAY)
    assert answer["until"] == "2026-11-29"
    assert suggest.suggestions_for_today(db, TODAY) == []
    assert suggest.suggestions_for_today(db, date(2026, 11, 28)) == []
    assert [s.key for s in suggest.suggestions_for_today(db, date(2026, 11, 29))] == [key]
    default = suggest_actions.record_action(db, key, "snooze", {}, TODAY)
    assert default["until"] == (TODAY + timedelta(days=7)).isoformat()


def test_dismissing_lowers_the_rank_of_that_reason_for_that_person(app, db):
    emily = add_contact(db, "Emily Carter", tier="close")
    kenji = add_contact(db, "Kenji Sato", tier="close")
    for contact in (emily, kenji):
        for text in ("Could you share the slides from the panel?",
                     "Do you have the notes from the budget review?"):
            message_with_facts(db, contact, "in", text, ASKED_AT)
    before = {s.contact.id: s for s in suggest.suggestions_for_today(db, TODAY)}
    assert before[emily].score == before[kenji].score
    suggest_actions.record_action(db, before[emily].key, "dismiss", {}, TODAY)
    after = suggest.suggestions_for_today(db, TODAY)
    assert [s.contact.id for s in after] == [kenji, emily]      # Emily's other one, lower
    assert after[1].key != before[emily].key
    assert after[1].score == pytest.approx(before[emily].score * SAME_REASON_DISMISSED, abs=0.02)
    assert after[0].score == before[kenji].score                 # nobody else is affected


def test_an_action_on_an_unknown_key_is_not_found(app, db):
    from companion.errors import ApiError
    for key in ("promise:999", "nonsense", "cadence:1:2026-01-01", "intro:1:2"):
        with pytest.raises(ApiError) as raised:
            suggest_actions.record_action(db, key, "done", {}, TODAY)
        assert raised.value.status == 404


def test_next_followup_is_the_first_of_the_persons_list(app, db):
    contact = add_contact(db, "Emily Carter", given="Emily", tier="close")
    assert suggest.next_followup(db, contact, TODAY) is None
    message_with_facts(db, contact, "in", "Could you share the slides from the panel?",
                       ASKED_AT)
    summary = suggest.next_followup(db, contact, TODAY)
    first = suggest.suggestions_for_contact(db, contact, TODAY)[0]
    assert summary["key"] == first.key and summary["reason"] == "question_waiting"
    assert summary["why"] == first.why and summary["action"] == "answer"
    assert summary["missing"] is None
    assert "the slides from the panel" in summary["draft"]["text"].lower()


def test_the_offer_index_follows_changes_without_a_rebuild(app, db):
    """The cached index, brought up to date after contacts are added, changed and given
    interests, matches exactly what a fresh build finds; a deletion rebuilds it."""
    from companion.services.followup import suggest_intro

    def matches(need):
        return [(o.contact_id, o.text, o.source) for o in
                suggest_intro.offer_index(db, TODAY).match(need, set(), limit=10)]

    def fresh(need):
        suggest_intro._CACHE.pop(db, None)
        return matches(need)

    helper = add_contact(db, "Ken Sato", tier="close", title="Rust engineer")
    insert_fact_by_sql(db, helper, "interest", "them", "Into bouldering lately.",
                       stated_at="2026-11-01T00:00:00Z", detail={"terms": ["bouldering"]})
    first = suggest_intro.offer_index(db, TODAY)
    assert matches("a Rust engineer") == [(helper, "Rust engineer", "title")]
    later = add_contact(db, "Mia Chen", tier="inner", title="Senior Rust engineer",
                        created_at="2026-11-20T00:00:00.000Z")
    insert_fact_by_sql(db, later, "interest", "them", "Learning Go and Rust.",
                       stated_at="2026-11-21T00:00:00Z", detail={"terms": ["Go"]})
    db.execute("UPDATE contacts SET title = 'Product designer',"
               " updated_at = '2026-11-25T00:00:00.000Z' WHERE id = ?", (helper,))
    for need in ("a Rust engineer", "a product designer", "Go"):
        kept = matches(need)
        assert suggest_intro.offer_index(db, TODAY) is first      # brought up to date
        assert kept == fresh(need), need
        suggest_intro._CACHE[db] = (suggest_intro._CACHE[db][0], first)
    assert [c for c, _, _ in matches("a Rust engineer")] == [later]
    assert matches("a product designer") == [(helper, "Product designer", "title")]
    db.execute("DELETE FROM contacts WHERE id = ?", (later,))
    assert suggest_intro.offer_index(db, TODAY) is not first          # rebuilt
    assert matches("a Rust engineer") == []


def test_a_need_stated_outright_leads_to_an_introduction(app, db):
    need = add_contact(db, "Emily Carter", given="Emily", tier="active")
    helper = add_contact(db, "Mia Chen", given="Mia", tier="close", title="Product Designer")
    insert_fact_by_sql(db, helper, "interest", "them", "I'm really into type design lately.",
                       stated_at="2026-10-01T00:00:00Z", detail={"terms": ["type design"]})
    message_with_facts(db, need, "in",
                       "We're looking for a product designer for the Osaka booking app.",
                       ASKED_AT)
    [fact] = [f for f in db.query_all("SELECT kind, label, detail FROM facts WHERE contact_id = ?",
                                      (need,))]
    assert (fact["kind"], fact["label"]) == ("interest", "need")
    intro = only(suggest.suggestions_for_contact(db, need, TODAY), "introduction")
    assert intro.other.id == helper and "product designer" in intro.drafts[0].text
    # her need is not an interest of hers to ask her about, nor something she offers
    for s in suggest.suggestions_for_today(db, TODAY):
        for draft in s.drafts:
            assert "how's the product designer" not in draft.text.lower()
    from companion.services.followup import suggest_intro
    suggest_intro._CACHE.pop(db, None)
    offers = suggest_intro.offer_index(db, TODAY).match("product designer", set(), limit=5)
    assert [o.contact_id for o in offers] == [helper]


def test_an_interest_the_user_shares_is_recalled_first_and_listed(me_client, me_db):
    from companion.services.followup import shared
    friend = add_contact(me_db, "Ken Ito", given="Ken", tier="close",
                         last_two_way_at="2026-09-01T10:00:00.000Z")
    other = add_contact(me_db, "Mia Chen", given="Mia", tier="close",
                        last_two_way_at="2026-09-01T10:00:00.000Z")
    message_with_facts(me_db, other, "out", "I've been really into bouldering lately.",
                       "2026-08-01T10:00:00.000Z")           # the user says so, to someone
    message_with_facts(me_db, friend, "in", "I'm really into bouldering these days.",
                       "2026-08-20T10:00:00.000Z")
    message_with_facts(me_db, friend, "in", "Lately I'm into jazz piano.",
                       "2026-08-30T10:00:00.000Z")          # newer, but not shared
    assert shared.shared_interests(me_db, friend) == ["bouldering"]
    assert shared.shared_interests(me_db, other) == []
    cadence = only(suggest.suggestions_for_contact(me_db, friend, TODAY), "overdue_by_cadence")
    assert "bouldering" in cadence.facts[0].span          # the memory recalled: shared first
    assert cadence.action == "share_interest" and "bouldering" in cadence.drafts[0].text
    detail = me_client.get(f"/api/v1/contacts/{friend}").json
    assert detail["shared_interests"] == ["bouldering"]


def test_a_sentence_sent_to_many_people_is_not_quoted_back(app, db):
    """「また連絡しますね。」 to three people is a stock phrase: no draft quotes it or recalls it;
    a sentence written to one person only is quoted."""
    from companion.services.followup import common
    stock = "I'll get it to you by Thursday for sure."
    people = [add_contact(db, f"Person {k}", given=f"P{k}", tier="close",
                          organisation=f"Org {k}") for k in range(3)]
    for k, contact in enumerate(people):
        message_with_facts(db, contact, "out", stock, "2026-11-24T01:00:00.000Z")
    own = add_contact(db, "Emily Carter", given="Emily", tier="close", organisation="Kestrel")
    message_with_facts(db, own, "out", "I'll get the Osaka pricing sheet to you by Thursday "
                       "for sure.", "2026-11-24T01:00:00.000Z")
    assert common.refresh_stock(db) == 1                   # the daily job (companion/jobs.py)
    assert stock in common.stock_spans(db)
    found = {s.contact.id: s for s in suggest.suggestions_for_today(db, TODAY)}
    for contact in people:
        s = found[contact]
        assert s.reason == "promise_due" and s.drafts, s
        assert "for sure" not in s.drafts[0].text          # the stock sentence is not quoted
        assert "Nov 24" in s.drafts[0].text                 # the day it was promised is
    assert "Osaka pricing sheet" in found[own].drafts[0].text


def test_after_the_warm_up_today_s_list_finds_needs_without_tagging_them(app, db, monkeypatch):
    """Finding a Japanese need tags it (dictionary pages mapped at the list's peak): the daily
    warm-up finds every open need first, and the list asks the remembered answer."""
    from companion import jobs
    from companion.services.followup import needs

    need = add_contact(db, "山田 花子", family="山田", given="花子", tier="active")
    helper = add_contact(db, "佐藤 健二", family="佐藤", tier="close", title="プロダクトデザイナー")
    insert_fact_by_sql(db, helper, "interest", "them", "Lately into sourdough baking.",
                       stated_at="2026-10-01T00:00:00Z", detail={"terms": ["sourdough"]})
    message_with_facts(db, need, "in", "新しいプロダクトのためにデザイナーを探しています。", ASKED_AT)
    needs.need_in.cache_clear()
    jobs.warm_caches(db, TODAY)

    def no_tagging(*args, **kwargs):
        raise AssertionError("a need was tagged during today's list")
    monkeypatch.setattr(needs, "topic_terms", no_tagging)
    intro = only(suggest.suggestions_for_today(db, TODAY), "introduction")
    assert intro.other.id == helper
    # without the warm-up the list would have tagged it
    needs.need_in.cache_clear()
    with pytest.raises(AssertionError, match="tagged"):
        suggest.suggestions_for_today(db, TODAY)
