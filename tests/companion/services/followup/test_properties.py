"""Property: analyze_message never raises, and every span lies within the text and is its
slice, for any Unicode text (surrogates, controls, emoji, mixed scripts included)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.services.followup import analyze_message

# Arbitrary characters, mixed with pieces the rules react to, so that rules fire on odd input.
PIECES = ["。", "？", "?", "！", "「", "」", '"', "“", "”", "> ", "\n", "来週", "月", "日", "金曜",
          "明日", "末", "までに", "送ります", "しましょう", "ませんか", "転職", "I'll send ",
          "let's meet ", "next Friday", "by the 15th", "12/3", "Dec 3", "https://x.com/?a",
          "興味があります", "interested in ", "week of ", "GW", "  "]
texts = st.lists(st.one_of(st.characters(), st.sampled_from(PIECES)), max_size=80).map("".join)
moments = st.datetimes(timezones=st.timezones()).filter(lambda d: d.utcoffset() is not None)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, direction=st.sampled_from(["in", "out"]), sent_at=moments,
       lang=st.sampled_from([None, "ja", "en"]))
def test_never_raises_and_spans_are_slices(text, direction, sent_at, lang):
    for fact in analyze_message(text, direction, sent_at.isoformat(), lang):
        assert 0 <= fact.span.start <= fact.span.end <= len(text)
        assert text[fact.span.start:fact.span.end] == fact.span.text
        assert fact.whose in ("me", "them") and fact.lang in ("ja", "en")
        if fact.period is not None:
            p = fact.period.span
            assert 0 <= p.start <= p.end <= len(text) and text[p.start:p.end] == p.text
            assert fact.period.first <= fact.period.last


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_plain_arbitrary_unicode(text):
    for fact in analyze_message(text, "in", "2026-11-18T10:00:00+09:00"):
        assert text[fact.span.start:fact.span.end] == fact.span.text
