"""The body of ``POST /api/v1/analyze`` (and the arguments of ``goen analyze``), checked.

Errors are ``ApiError`` 400s naming the field (companion.errors' one shape), so the CLI and the
API say the same thing about the same mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from companion.errors import bad_request
from companion.services.followup.facts import DIRECTIONS
from companion.services.followup.lang import LANGS
from companion.services.timeparse import EARLIEST_YEAR, LATEST_YEAR

MAX_TEXT_CHARS = 20_000


@dataclass(frozen=True)
class AnalyzeRequest:
    text: str
    direction: str
    sent_at: str        # ISO 8601 with the sender's UTC offset
    lang: str | None


def now_local() -> str:
    """Now, with this computer's UTC offset: the user's own day decides what "tomorrow" is."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def parse_sent_at(value: object) -> str:
    if value is None:
        return now_local()
    if not isinstance(value, str) or len(value) > 64:
        raise bad_request("sent_at must be an ISO 8601 timestamp string.", "sent_at")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise bad_request(f"sent_at is not an ISO 8601 timestamp: {value!r}.", "sent_at") from None
    if moment.tzinfo is None:
        raise bad_request("sent_at needs a UTC offset (for example +09:00 or Z): the sender's "
                          "own day decides what 明日 or \"tomorrow\" means.", "sent_at")
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise bad_request(f"sent_at is out of range: {value!r}.", "sent_at")
    return moment.isoformat()


def parse_analyze_request(data: object) -> AnalyzeRequest:
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.")
    text = data.get("text")
    if not isinstance(text, str) or not text:
        raise bad_request("text is required: the message, as a string.", "text")
    if len(text) > MAX_TEXT_CHARS:
        raise bad_request(f"text is too long ({MAX_TEXT_CHARS:,} characters at most).", "text")
    direction = data.get("direction")
    if direction not in DIRECTIONS:
        raise bad_request("direction must be \"in\" (they wrote it) or \"out\" (you wrote it).",
                          "direction")
    lang = data.get("lang")
    if lang is not None and lang not in LANGS:
        raise bad_request("lang must be \"ja\", \"en\" or left out (read from the script).",
                          "lang")
    return AnalyzeRequest(text, direction, parse_sent_at(data.get("sent_at")), lang)
