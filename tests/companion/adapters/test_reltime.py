"""Site time texts resolved against a capture made on Thursday 2026-11-26 09:30 in Tokyo."""

import pytest
from hypothesis import given, strategies as st

from companion.adapters.reltime import combine_day_and_time, resolve_time

TOKYO = "2026-11-26T09:30:00+09:00"


@pytest.mark.parametrize("text, expected", [
    ("3h", "2026-11-25T21:30:00.000Z"), ("3時間", "2026-11-25T21:30:00.000Z"),
    ("3時間前", "2026-11-25T21:30:00.000Z"), ("1 hour ago", "2026-11-25T23:30:00.000Z"),
    ("5m", "2026-11-26T00:25:00.000Z"), ("5分前", "2026-11-26T00:25:00.000Z"),
    ("2w", "2026-11-12T00:30:00.000Z"), ("3日前", "2026-11-23T00:30:00.000Z"),
    ("たった今", "2026-11-26T00:30:00.000Z"), ("now", "2026-11-26T00:30:00.000Z"),
    # local days: "yesterday" is Tokyo's yesterday, starting at 15:00 UTC the day before
    ("Yesterday", "2026-11-24T15:00:00.000Z"), ("昨日", "2026-11-24T15:00:00.000Z"),
    ("今日", "2026-11-25T15:00:00.000Z"), ("昨日 10:42", "2026-11-25T01:42:00.000Z"),
    ("Yesterday at 10:42 PM", "2026-11-25T13:42:00.000Z"),
    ("Sat 10:42", "2026-11-21T01:42:00.000Z"), ("Nov 20 · 10:42", "2026-11-20T01:42:00.000Z"),
    # a time alone is today's unless still to come
    ("9:00", "2026-11-26T00:00:00.000Z"), ("10:42", "2026-11-25T01:42:00.000Z"),
    ("10:42 AM", "2026-11-25T01:42:00.000Z"), ("午後3:04", "2026-11-25T06:04:00.000Z"),
    # weekdays: the most recent past one ("Thu" on a Thursday is last week's)
    ("月曜日", "2026-11-22T15:00:00.000Z"), ("Monday", "2026-11-22T15:00:00.000Z"),
    ("Thu", "2026-11-18T15:00:00.000Z"), ("(木)", "2026-11-18T15:00:00.000Z"),
    # dates without a year are the most recent such date
    ("11月20日", "2026-11-19T15:00:00.000Z"), ("Nov 20", "2026-11-19T15:00:00.000Z"),
    ("12/24", "2025-12-23T15:00:00.000Z"), ("2025年3月4日", "2025-03-03T15:00:00.000Z"),
    ("Mar 4, 2025", "2025-03-03T15:00:00.000Z"), ("Nov 20, 10:42 AM", "2026-11-20T01:42:00.000Z"),
    ("2026-11-20T10:00:00Z", "2026-11-20T10:00:00.000Z"),
    ("ＮＯＶ　２０", "2026-11-19T15:00:00.000Z"),  # full-width forms
])
def test_resolve_time(text, expected):
    assert resolve_time(text, TOKYO) == expected


@pytest.mark.parametrize("text", ["garbage", "25:99", "2月30日", "", "   ", "x" * 500])
def test_unreadable_gives_none(text):
    assert resolve_time(text, TOKYO) is None


def test_capture_time_in_utc_moves_the_day_boundary():
    # 2026-11-25T23:30Z is already the 26th in Tokyo but the 25th in UTC
    assert resolve_time("昨日", "2026-11-25T23:30:00Z") == "2026-11-24T00:00:00.000Z"
    assert resolve_time("昨日", "2026-11-26T08:30:00+09:00") == "2026-11-24T15:00:00.000Z"


@pytest.mark.parametrize("day, at, expected", [
    ("昨日", "10:42", "2026-11-25T01:42:00.000Z"),
    ("November 20", "3:04 PM", "2026-11-20T06:04:00.000Z"),
    ("月曜日", "午後3時04分", "2026-11-23T06:04:00.000Z"),
    ("Today", "9:00 AM", "2026-11-26T00:00:00.000Z"),
    ("11月20日(金)", "10:00", "2026-11-20T01:00:00.000Z"),
])
def test_combine_day_heading_and_message_time(day, at, expected):
    assert combine_day_and_time(day, at, TOKYO) == expected


def test_bad_capture_time_gives_none():
    assert resolve_time("3h", "not a time") is None
    assert combine_day_and_time("Today", "10:00", None) is None


@given(st.text(max_size=60), st.text(max_size=20))
def test_never_raises(text, other):
    resolve_time(text, TOKYO)
    combine_day_and_time(text, other, TOKYO)
