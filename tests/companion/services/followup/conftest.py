"""``analyze``: analyze_message with every fact's spans checked against the text."""

from __future__ import annotations

import pytest

from companion.services.followup import analyze_message

WED = "2026-11-18T10:00:00+09:00"      # a Wednesday in Tokyo


def check_spans(text: str, facts) -> None:
    for fact in facts:
        span = fact.span
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start:span.end] == span.text
        if fact.period:
            assert text[fact.period.span.start:fact.period.span.end] == fact.period.span.text
            assert fact.period.first <= fact.period.last
            assert span.start <= fact.period.span.start < fact.period.span.end <= span.end


@pytest.fixture
def analyze():
    def run(text: str, direction: str = "out", sent_at: str = WED, lang: str | None = None,
            kind: str | None = None):
        facts = analyze_message(text, direction, sent_at, lang)
        check_spans(text, facts)
        return [f for f in facts if kind is None or f.kind == kind]
    return run
