"""The follow-up engine (issue 6). This package reads facts out of one message:
``analyze_message(text, direction, sent_at, lang=None) -> list[Fact]``. See README.md."""

from companion.services.followup.facts import analyze_message
from companion.services.followup.interests import topic_terms
from companion.services.followup.model import Fact, Period, Span

__all__ = ["analyze_message", "topic_terms", "Fact", "Period", "Span"]
