"""Timestamps in and out: every stored time is ISO 8601 UTC with milliseconds and a Z."""

from __future__ import annotations

from datetime import datetime, timezone

from companion.db import utc_now
from companion.errors import bad_request

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def format_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def parse_timestamp(value: object, field: str, *, default_now: bool = False) -> str:
    """An ISO 8601 timestamp as stored text. A time without a zone is taken as UTC."""
    if value is None:
        if default_now:
            return utc_now()
        raise bad_request(f"{field} is required.", field)
    if not isinstance(value, str) or len(value) > 64:
        raise bad_request(f"{field} must be an ISO 8601 timestamp string.", field)
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise bad_request(f"{field} is not an ISO 8601 timestamp: {value!r}.", field) from None
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise bad_request(f"{field} is out of range: {value!r}.", field)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return format_utc(moment)
