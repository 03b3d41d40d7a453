"""Times as sites show them ("3h", "Yesterday", "昨日 10:42", "3日前", "Nov 20", "月曜日"),
resolved against the moment of capture.

The capture time carries the user's UTC offset (docs/CAPTURE.md), so "yesterday" is the user's
local yesterday. Results are ISO 8601 UTC text, as every table stores times. The common forms
are read here with small regular expressions (fast, and exact about a year-less date meaning
the most recent such date, which dateparser gets wrong for 「11月20日」); anything else falls back to
dateparser. A text that cannot be read gives None, never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone

from companion.services.timeparse import format_utc

_UNIT_SECONDS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "秒": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "分": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600, "時間": 3600,
    "d": 86400, "day": 86400, "days": 86400, "日": 86400,
    "w": 604800, "wk": 604800, "wks": 604800, "week": 604800, "weeks": 604800, "週": 604800,
    "週間": 604800,
    "mo": 2592000, "month": 2592000, "months": 2592000, "か月": 2592000, "ヶ月": 2592000,
    "ヵ月": 2592000, "カ月": 2592000,
    "y": 31536000, "yr": 31536000, "yrs": 31536000, "year": 31536000, "years": 31536000,
    "年": 31536000,
}
_RELATIVE = re.compile(
    r"^(\d{1,4})\s*(" + "|".join(sorted(map(re.escape, _UNIT_SECONDS), key=len, reverse=True))
    + r")\.?\s*(ago|前)?$")
_NOW = {"now", "just now", "たった今", "今", "いま", "just"}
_DAY_WORDS = {"today": 0, "今日": 0, "本日": 0, "yesterday": 1, "昨日": 1, "一昨日": 2,
              "おととい": 2}
_WEEKDAYS = {
    **{name: i for i, names in enumerate([
        ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed", "weds"),
        ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"),
        ("sunday", "sun")]) for name in names},
    **{name + suffix: i for i, name in enumerate("月火水木金土日")
       for suffix in ("曜日", "曜", "")},
}
_MONTHS = {name: i for i, names in enumerate([
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_FORMS = [
    # 2026年11月20日 / 11月20日 (and a weekday in brackets after it, ignored)
    re.compile(r"^(?:(?P<y>\d{4})年\s*)?(?P<m>\d{1,2})月\s*(?P<d>\d{1,2})日(?:\s*\(.\))?$"),
    # 2026/11/20, 2026-11-20, 2026.11.20
    re.compile(r"^(?P<y>\d{4})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})(?:\s*\(.\))?$"),
    # 11/20 and 11/20/2026 (month first, as both English and Japanese sites write it)
    re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}))?$"),
    # Nov 20 / November 20, 2026
    re.compile(rf"^(?P<mn>{_MONTH_NAME})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s+(?P<y>\d{{4}}))?$"),
    # 20 Nov / 20 November 2026
    re.compile(rf"^(?P<d>\d{{1,2}})\s+(?P<mn>{_MONTH_NAME})\.?,?(?:\s+(?P<y>\d{{4}}))?$"),
]
_TIME = re.compile(
    r"(?:(?P<jp>午前|午後)\s*)?(?P<h>\d{1,2})[:時](?P<mi>\d{2})分?(?::(?P<s>\d{2}))?"
    r"\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"\s+", " ", text.replace("･", " ").replace("・", " ")).strip(" ,·•-")


def _base(captured_at: str) -> datetime | None:
    try:
        base = datetime.fromisoformat(captured_at.strip())
    except (AttributeError, ValueError):
        return None
    return base if base.tzinfo else base.replace(tzinfo=timezone.utc)


def _read_time(text: str) -> time | None:
    match = _TIME.fullmatch(text)
    if not match:
        return None
    hour, minute = int(match["h"]), int(match["mi"])
    second = int(match["s"] or 0)
    ampm = (match["ampm"] or "").replace(".", "")
    if ampm == "pm" or match["jp"] == "午後":
        hour = hour % 12 + 12
    elif ampm == "am" or match["jp"] == "午前":
        hour = hour % 12
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _latest_on_or_before(month: int, day: int, year: int | None, today: date) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        return candidate if candidate <= today else date(today.year - 1, month, day)
    except ValueError:
        return None


def _read_day(text: str, today: date) -> date | None:
    if text in _DAY_WORDS:
        return today - timedelta(days=_DAY_WORDS[text])
    weekday = _WEEKDAYS.get(text.strip("()（）"))
    if weekday is not None:
        back = (today.weekday() - weekday) % 7 or 7  # "Monday" on a Monday is last week's
        return today - timedelta(days=back)
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            groups = match.groupdict()
            month = _MONTHS[groups["mn"]] if groups.get("mn") else int(groups["m"])
            year = int(groups["y"]) if groups.get("y") else None
            return _latest_on_or_before(month, int(groups["d"]), year, today)
    return None


def _split_day_and_time(text: str) -> tuple[str, str | None]:
    """'昨日 10:42' → ('昨日', '10:42'); 'nov 20, 10:42 am' → ('nov 20', '10:42 am')."""
    match = re.search(r"(?:(?:午前|午後)\s*)?\d{1,2}[:時]\d{2}分?(?::\d{2})?"
                      r"(?:\s*(?:am|pm|a\.m\.|p\.m\.))?$", text)
    if not match:
        return text, None
    day = re.sub(r"(?:\s+at|\s*[,·•-])\s*$", "", text[:match.start()].strip())
    return day, match.group(0)


def _local(base: datetime, day: date, at: time) -> str:
    return format_utc(datetime.combine(day, at, tzinfo=base.tzinfo))


def resolve_time(text: str, captured_at: str) -> str | None:
    """The moment a site's time text stands for, as ISO 8601 UTC; None if unreadable."""
    base = _base(captured_at)
    if base is None or not isinstance(text, str) or not text.strip() or len(text) > 100:
        return None
    raw = text.strip()
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=base.tzinfo)
        return format_utc(moment)
    except ValueError:
        pass
    norm = _normalise(raw)
    if norm in _NOW:
        return format_utc(base)
    match = _RELATIVE.match(norm)
    if match:
        return format_utc(base - timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2]]))
    today = base.date()
    day_text, time_text = _split_day_and_time(norm)
    at = _read_time(time_text) if time_text else None
    if time_text and at is None:
        return None
    if not day_text:
        if at is None:
            return None
        # a time alone is today's, unless that is still to come: then it was yesterday's
        day = today if at <= base.timetz().replace(tzinfo=None) else today - timedelta(days=1)
        return _local(base, day, at)
    day = _read_day(day_text, today)
    if day is not None:
        return _local(base, day, at or time(0, 0))
    return _dateparser_fallback(raw, base)


def combine_day_and_time(day_text: str, time_text: str, captured_at: str) -> str | None:
    """A date heading ("Today", "昨日", "Nov 20", "11月20日") plus a message's time ("10:42 AM")."""
    base = _base(captured_at)
    if base is None or not isinstance(day_text, str) or not isinstance(time_text, str):
        return None
    at = _read_time(_normalise(time_text))
    day = _read_day(_normalise(day_text), base.date())
    if day is None or at is None:
        whole = resolve_time(f"{day_text} {time_text}", captured_at)
        return whole
    return _local(base, day, at)


def _dateparser_fallback(text: str, base: datetime) -> str | None:
    import dateparser  # imported only for the rare forms the rules above do not read

    settings = {"RELATIVE_BASE": base.replace(tzinfo=None), "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        moment = dateparser.parse(text, languages=["en", "ja"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if moment is None:
        return None
    return format_utc(moment.replace(tzinfo=base.tzinfo))
