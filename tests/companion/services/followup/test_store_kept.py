"""When is a promise kept? A later message from the same side that reports it done and is about
the same thing (kept.py), in Japanese and English; and the cases that must not count."""

from __future__ import annotations

import pytest

from companion.services.followup.kept import content_terms, done_reports, keeps, ledger_kind
from tests.companion.services.followup.store_helpers import (  # noqa: F401  (fixtures)
    facts_of, frozen_clock, log, me_app, me_client, me_db, person)

KEPT = [
    # (the promise, the later message of the same side)
    ("提案書は来週お送りします。", "先日お話しした提案書を送付いたしました。"),
    ("資料を共有しますね。", "資料を共有しました！ご確認ください。"),
    ("お見積もりを明日までにお送りします。", "お見積書を添付いたします。"),
    ("スライドは後ほどお送りします。", "資料はこちらです。"),
    ("鈴木さんをご紹介しますね。", "鈴木さんにご紹介しておきました。"),
    ("I'll send you the deck tomorrow.", "Here's the deck from yesterday's call."),
    ("I'll share the slides after the talk.", "Sent! The slides are in the shared folder."),
    ("I will send the contract by Friday.", "Please find the contract attached."),
    ("I'll forward the recording tonight.", "Just forwarded the video to you."),
]
NOT_KEPT = [
    ("資料を送ります。", "資料をお送りします。"),                  # still only a promise
    ("資料を送ります。", "資料はまだ送れていません。"),            # negated
    ("資料を送ります。", "資料って送りましたか？"),                # asked, not reported
    ("資料を送ります。", "議事録を共有しました。"),                # done, but something else
    ("I'll send you the deck.", "I haven't sent the deck yet, sorry!"),
    ("I'll send you the deck.", "Sent you the invite for Tuesday."),
    ("I'll send you the deck.", "I'll send it later with the deck attached."),
    ("I'll send you the deck.", "Did you get the deck I sent?"),
]


@pytest.mark.parametrize("promise, later", KEPT)
def test_a_later_report_of_the_same_thing_keeps_my_promise(me_client, me_db, frozen_clock,
                                                          promise, later):
    contact = person(me_client)
    log(me_client, contact, promise, at="2026-11-20T10:00:00Z")
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert fact["status"] == "open"
    done = log(me_client, contact, later, kind="email", at="2026-11-22T10:00:00Z")
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert (fact["status"], fact["status_source"]) == ("kept", f"interaction:{done['id']}")
    assert fact["status_at"] == "2026-11-22T10:00:00.000Z"
    entry = me_db.query_one("SELECT flow, kind, fact_id FROM ledger")
    assert (entry["flow"], entry["fact_id"]) == ("given", fact["id"])


@pytest.mark.parametrize("promise, later", NOT_KEPT)
def test_what_does_not_keep_a_promise(me_client, me_db, frozen_clock, promise, later):
    contact = person(me_client)
    first = log(me_client, contact, promise, at="2026-11-20T10:00:00Z")
    log(me_client, contact, later, kind="email", at="2026-11-22T10:00:00Z")
    [fact] = [f for f in facts_of(me_db, contact)
              if f["kind"] == "promise" and f["interaction_id"] == first["id"]]
    assert fact["status"] == "open", later
    assert me_db.query_one("SELECT COUNT(*) FROM ledger")[0] == 0


def test_the_report_must_come_from_the_same_side_and_later(me_client, me_db, frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "Here's the deck, by the way.", at="2026-11-19T10:00:00Z")
    log(me_client, contact, "I'll send you the deck tomorrow.", at="2026-11-20T10:00:00Z")
    log(me_client, contact, "Here's my deck too!", direction="in", at="2026-11-21T10:00:00Z")
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert fact["status"] == "open"    # one before it, one from them: neither keeps it


def test_their_promise_is_kept_by_their_later_message(me_client, me_db, frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "来週、鈴木さんをご紹介しますね。", direction="in",
        at="2026-11-20T10:00:00Z")
    log(me_client, contact, "鈴木さんをご紹介しました！", direction="out",
        at="2026-11-21T10:00:00Z")   # my message: not theirs to keep
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert (fact["whose"], fact["status"]) == ("them", "open")
    done = log(me_client, contact, "鈴木さんをご紹介しました。", direction="in",
               at="2026-11-23T10:00:00Z")
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert fact["status_source"] == f"interaction:{done['id']}"
    entry = me_db.query_one("SELECT flow, kind FROM ledger")
    assert (entry["flow"], entry["kind"]) == ("received", "introduction")


def test_as_promised_keeps_the_only_open_commitment(me_client, me_db, frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "I'll send the figures on Monday.", at="2026-11-20T10:00:00Z")
    log(me_client, contact, "As promised, attached.", at="2026-11-23T10:00:00Z")
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert fact["status"] == "kept"


def test_as_promised_is_not_enough_with_two_open_commitments(me_client, me_db, frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "I'll send the figures on Monday.", at="2026-11-20T10:00:00Z")
    log(me_client, contact, "I'll also call the venue tomorrow.", at="2026-11-20T10:05:00Z")
    log(me_client, contact, "As promised, attached.", at="2026-11-23T10:00:00Z")
    promises = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert len(promises) == 2 and {f["status"] for f in promises} == {"open"}


def test_a_promise_without_an_object_takes_it_from_the_request_it_answers(
        me_client, me_db, frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "先日のスライドを共有していただけますか？", direction="in",
        at="2026-11-20T09:00:00Z")
    log(me_client, contact, "もちろんです。明日お送りしますね。", at="2026-11-20T10:00:00Z")
    log(me_client, contact, "議事録をお送りしました。", at="2026-11-21T10:00:00Z")
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert fact["status"] == "open"          # minutes are not the slides
    log(me_client, contact, "資料をお送りしました。", at="2026-11-21T11:00:00Z")
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert fact["status"] == "kept"          # 資料 and スライド are one group


def test_a_promise_in_a_note_is_kept_by_a_later_message(me_client, me_db, frozen_clock):
    contact = person(me_client)
    note = me_client.post(f"/api/v1/contacts/{contact}/notes",
                          json={"body": "懇親会で話した。提案書をお送りします、と約束。"}).json
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert (fact["source"], fact["whose"]) == (f"note:{note['id']}", "me")
    later = note["created_at"][:4] + "-12-31T10:00:00Z"
    log(me_client, contact, "提案書を送付いたしました。", kind="email", at=later)
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert fact["status"] == "kept"


# -- the pieces on their own ---------------------------------------------------------------------

def test_content_terms_meet_across_languages_and_words():
    assert content_terms("資料") & content_terms("the slides")
    assert content_terms("the deck") & content_terms("スライド")
    assert not content_terms("明日お送りしますね。")
    assert not content_terms("I'll send it tomorrow.") & content_terms("Sent you the invite")


def test_done_reports_name_what_was_done():
    [report] = done_reports("ありがとうございます。資料をお送りしました📎")
    assert "資料" in report.terms
    assert done_reports("Sent! The slides are in the folder.")[0].terms >= {"slide"}
    assert done_reports("I'll send it tomorrow.") == ()
    assert keeps(content_terms("the deck"), "Here is the deck.", False)
    assert not keeps(content_terms("the deck"), "Here is the invite.", False)


@pytest.mark.parametrize("text, kind", [
    ("鈴木さんをご紹介します", "introduction"), ("I'll introduce you to Ken", "introduction"),
    ("資料をお送りします", "information"), ("I'll share the deck", "information"),
    ("引っ越しを手伝います", "help"), ("I'll help you move", "help"),
])
def test_ledger_kind_of_a_kept_promise(text, kind):
    assert ledger_kind(text) == kind


def test_a_report_long_after_the_promise_is_about_something_else(me_client, me_db,
                                                                frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "I'll send you the deck.", at="2026-01-05T10:00:00Z")
    log(me_client, contact, "Here's the deck from our offsite.", at="2026-06-01T10:00:00Z")
    [fact] = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"]
    assert fact["status"] == "open"     # 147 days on, with no due date: not this promise
    log(me_client, contact, "I'll send the deck by the end of March.",
        at="2026-01-06T10:00:00Z")
    log(me_client, contact, "Here's the deck, sorry it took so long!", at="2026-04-20T10:00:00Z")
    dated = [f for f in facts_of(me_db, contact) if f["kind"] == "promise"][1]
    assert (dated["due"], dated["status"]) == ("2026-03-31", "kept")   # within 30 days of due
