"""analyze_message as a whole: its arguments, facts in text order, one message in two
languages, the fact's JSON form."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from companion.model import to_dict
from companion.services.followup import analyze_message


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError):
        analyze_message("hi", "both", "2026-11-18T10:00:00Z")
    with pytest.raises(ValueError):
        analyze_message("hi", "in", "2026-11-18T10:00:00Z", lang="fr")
    with pytest.raises(ValueError):
        analyze_message("hi", "in", "last Tuesday")


def test_sent_at_may_be_a_datetime():
    tokyo = timezone(timedelta(hours=9))
    [fact] = analyze_message("明日送ります。", "out", datetime(2026, 12, 31, 23, 0, tzinfo=tokyo))
    assert fact.due == "2027-01-01"


def test_facts_come_in_text_order_in_both_languages(analyze):
    text = ("Thanks for today! 資料は明日お送りします。Are you free next week? "
            "来月から新しい会社に転職することになりました。")
    facts = analyze(text, direction="in")
    assert [(f.kind, f.lang) for f in facts] == [
        ("promise", "ja"), ("question", "en"), ("event", "ja")]
    assert [f.span.start for f in facts] == sorted(f.span.start for f in facts)


def test_lang_forces_the_rules(analyze):
    assert analyze("明日送ります。", lang="en") == []
    [fact] = analyze("明日送ります。", lang="ja")
    assert fact.lang == "ja"


def test_the_json_form():
    [fact] = analyze_message("I'll send the deck by Friday.", "out", "2026-11-18T09:00:00-05:00")
    assert to_dict(fact) == {
        "kind": "promise", "whose": "me", "lang": "en",
        "span": {"start": 0, "end": 29, "text": "I'll send the deck by Friday."},
        "label": "commitment", "due": "2026-11-20", "event_date": None,
        "period": {"first": "2026-11-20", "last": "2026-11-20",
                   "span": {"start": 22, "end": 28, "text": "Friday"}},
        "terms": []}


def test_empty_and_blank_messages_have_no_facts():
    for text in ("", "   ", "\n\n", "。。。", "???"[:0]):
        assert analyze_message(text, "in", "2026-11-18T09:00:00Z") == []


def test_a_long_message_is_read_in_linear_time():
    import time
    text = ("I will send it tomorrow and " * 700)[:20_000]
    started = time.perf_counter()
    facts = analyze_message(text, "out", "2026-11-18T09:00:00Z")
    assert time.perf_counter() - started < 5      # was minutes when dates were read per fact
    assert facts and all(f.due == "2026-11-19" for f in facts)
