"""Due dates and event dates: relative to the day the message was sent, in the sender's own time
zone, across month, year and leap-day boundaries (conventions: services/followup/dates.py).
"""

from __future__ import annotations

import pytest

from companion.services.followup.facts import local_day


@pytest.mark.parametrize("text, sent_at, due", [
    # Japanese
    ("明日送ります。", "2026-11-30T23:30:00+09:00", "2026-12-01"),
    ("明日送ります。", "2026-12-31T20:00:00+09:00", "2027-01-01"),
    ("明後日までに修正いたします。", "2027-01-30T09:00:00+09:00", "2027-02-01"),
    ("来月末までにお送りします。", "2026-12-10T09:00:00+09:00", "2027-01-31"),
    ("来月中にご連絡します。", "2027-01-31T09:00:00+09:00", "2027-02-28"),
    ("来月中にご連絡します。", "2028-01-15T09:00:00+09:00", "2028-02-29"),
    ("来週の金曜日までに共有します。", "2026-12-30T09:00:00+09:00", "2027-01-08"),
    ("今週中に確認します。", "2026-11-18T09:00:00+09:00", "2026-11-20"),
    ("週明けにご連絡します。", "2026-11-27T18:00:00+09:00", "2026-11-30"),
    ("金曜日にお電話します。", "2026-11-27T18:00:00+09:00", "2026-12-04"),
    ("12月3日にお送りします。", "2026-11-18T09:00:00+09:00", "2026-12-03"),
    ("12月3日にお送りします。", "2026-12-10T09:00:00+09:00", "2027-12-03"),
    ("1月8日(金)に伺います。", "2026-12-22T09:00:00+09:00", "2027-01-08"),
    ("１２月３日にお送りします。", "2026-11-18T09:00:00+09:00", "2026-12-03"),
    ("15日までに提出します。", "2026-11-20T09:00:00+09:00", "2026-12-15"),
    ("15日までに提出します。", "2026-11-10T09:00:00+09:00", "2026-11-15"),
    ("年内にご連絡します。", "2026-11-18T09:00:00+09:00", "2026-12-31"),
    ("年明けにご挨拶に伺います。", "2026-12-22T09:00:00+09:00", "2027-01-15"),
    ("2027年3月5日までに提出します。", "2026-11-18T09:00:00+09:00", "2027-03-05"),
    ("3日以内にお返事します。", "2026-12-30T09:00:00+09:00", "2027-01-02"),
    ("来月上旬にお送りします。", "2026-12-20T09:00:00+09:00", "2027-01-10"),
    ("GW中に読んでおきます。", "2027-04-20T09:00:00+09:00", "2027-05-05"),
    ("本日中にお送りします。", "2026-11-18T23:59:00+09:00", "2026-11-18"),
    # English
    ("I'll send it tomorrow.", "2026-12-31T23:30:00-05:00", "2027-01-01"),
    ("I'll send it tomorrow.", "2027-01-01T04:30:00Z", "2027-01-02"),      # the same instant
    ("I'll follow up by Friday.", "2026-11-18T09:00:00-05:00", "2026-11-20"),
    ("I'll call you next Friday.", "2026-11-18T09:00:00-05:00", "2026-11-27"),
    ("I'll call you next Monday.", "2028-02-27T20:00:00+01:00", "2028-02-28"),   # on a Sunday
    ("I'll send the report by the 15th.", "2026-12-20T09:00:00Z", "2027-01-15"),
    ("I'll get the invoice to you by end of the month.", "2027-02-25T10:00:00-08:00",
     "2027-02-28"),
    ("I'll get the invoice to you by end of the month.", "2028-02-10T10:00:00-08:00",
     "2028-02-29"),
    ("Let's meet next month.", "2026-12-05T09:00:00Z", "2027-01-31"),
    ("I'll send it by Dec 3.", "2026-12-10T09:00:00Z", "2027-12-03"),
    ("I'll have it to you by December 3, 2027.", "2026-11-18T09:00:00Z", "2027-12-03"),
    ("I'll have it to you by the 3rd of January.", "2026-11-18T09:00:00Z", "2027-01-03"),
    ("I'll send it by 12/3.", "2026-11-18T09:00:00Z", "2026-12-03"),
    ("I'll send it in 3 days.", "2026-12-30T09:00:00Z", "2027-01-02"),
    ("I'll reply within two weeks.", "2026-12-30T09:00:00Z", "2027-01-13"),
    ("I'll send the deck this afternoon.", "2026-11-18T09:00:00-08:00", "2026-11-18"),
    ("I'll review it by EOW.", "2026-11-17T09:00:00Z", "2026-11-20"),
    ("I'll send it next week.", "2026-12-22T09:00:00Z", "2027-01-01"),
    ("Let's plan to meet in April.", "2027-02-25T10:00:00-08:00", "2027-04-30"),
    ("Let's catch up early next month.", "2026-12-22T09:00:00Z", "2027-01-10"),
    ("I'll be there the week of June 28.", "2027-06-14T08:00:00Z", "2027-07-02"),
])
def test_due_dates(analyze, text, sent_at, due):
    [promise] = analyze(text, sent_at=sent_at, kind="promise")
    assert promise.due == due
    assert promise.period.last == due


@pytest.mark.parametrize("text, sent_at, event_date", [
    ("I got promoted last week!", "2026-11-27T16:00:00Z", "2026-11-16"),
    ("Our baby was born on Tuesday.", "2026-11-27T16:00:00Z", "2026-11-24"),
    ("We're launching our app on Tuesday.", "2026-11-27T16:00:00Z", "2026-12-01"),
    ("来月から新しい会社に転職することになりました。", "2026-12-15T10:00:00+09:00", "2027-01-01"),
    ("3月に本を出版しました。", "2026-11-18T10:00:00+09:00", "2026-03-01"),
    ("3月に本を出版します。", "2026-11-18T10:00:00+09:00", "2027-03-01"),
    ("2月1日付で部長に昇進いたしました。", "2027-01-29T10:00:00+09:00", "2027-02-01"),
    ("先週、無事に引っ越しが終わりました。", "2026-12-01T07:00:00+09:00", "2026-11-23"),
    ("Thanks for speaking at our meetup last night!", "2026-10-05T09:00:00Z", "2026-10-04"),
    ("Wedding is planned for October.", "2028-02-27T20:00:00+01:00", "2028-10-01"),
])
def test_event_dates(analyze, text, sent_at, event_date):
    [event] = analyze(text, direction="in", sent_at=sent_at, kind="event")
    assert event.event_date == event_date
    assert event.due is None


def test_a_vague_time_gives_no_date(analyze):
    for text in ("後ほどお送りします。", "近いうちにご連絡します。", "I'll send it soon.",
                 "Let's catch up in the new year."):
        [promise] = analyze(text, kind="promise")
        assert promise.due is None and promise.period is None, text


def test_a_past_date_in_the_sentence_is_not_a_due_date(analyze):
    [promise] = analyze("As discussed yesterday, I'll send the contract.", kind="promise")
    assert promise.due is None


def test_the_local_day_is_the_senders():
    assert local_day("2026-12-31T23:30:00-05:00").isoformat() == "2026-12-31"
    assert local_day("2027-01-01T04:30:00Z").isoformat() == "2027-01-01"
    assert local_day("2027-01-01T13:00:00+14:00").isoformat() == "2027-01-01"
    assert local_day("2026-12-31T13:00:00").isoformat() == "2026-12-31"   # no offset: UTC


def test_the_date_span_is_the_expression(analyze):
    text = "ご依頼の件、来週の金曜日までにお送りします。"
    [promise] = analyze(text, kind="promise")
    assert promise.period.span.text == "来週の金曜日"
    assert (promise.period.first, promise.period.last) == ("2026-11-27", "2026-11-27")
    [promise] = analyze("来月飲みに行きましょう！", kind="promise")
    assert (promise.period.first, promise.period.last) == ("2026-12-01", "2026-12-31")


def test_the_cheap_guard_never_hides_a_date_the_full_pattern_finds():
    """dates_en.MAY_HOLD_A_DATE must be met by every text PATTERN matches: checked on every
    message and note of the evaluation sets, sentence by sentence, and on date words."""
    import json
    from pathlib import Path

    from companion.services.followup import dates_en
    root = Path(__file__).resolve().parents[4] / "tests" / "eval"
    texts = [json.loads(line)["text"] for name in ("messages.jsonl", "ledger_notes.jsonl")
             for line in (root / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["the day after tomorrow", "by EOD", "close of business", "last night", "EOW",
              "over the weekend", "next Friday", "end of the month", "EOM", "month-end",
              "next year", "EOY", "year-end", "next March", "in late Sept", "the 15th",
              "in a week", "within two months", "3/12", "2026-12-01", "Dec 3", "3rd of May",
              "１２月３日", "ＥＯＤ", "this morning", "ſept 3"]
    found = 0
    for text in texts:
        for part in [text, *text.split("。"), *text.split(". ")]:
            if dates_en.PATTERN.search(part):
                found += 1
                assert dates_en.MAY_HOLD_A_DATE.search(part), part
    assert found > 100     # the check saw many dates
