"""Calendar arithmetic for date expressions: the periods "next week", "来月末", "the 15th" or
"Friday" stand for, relative to the day a message was sent (conventions: dates.py)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Callable

# (today, prefer, tense) → (first, last) or None. prefer: "future", "recent" or "nearest".
Resolver = Callable[[date, str, "str | None"], "tuple[date, date] | None"]
RECENT_AHEAD_DAYS = 31


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def choose(candidates: list[tuple[date, date]], today: date, prefer: str
            ) -> tuple[date, date] | None:
    """The candidate period a year-less (or month-less) expression means."""
    candidates = sorted(candidates)
    if not candidates:
        return None
    if prefer == "future":
        return next((c for c in candidates if c[1] >= today), None)
    if prefer == "recent":
        # Said in the past tense: the last one, unless one is about to start (an announcement
        # made days before it takes effect: 2月1日付で昇進いたしました, written on 29 January).
        current = [c for c in candidates if c[0] <= today <= c[1]]
        soon = [c for c in candidates if today < c[0] <= today + timedelta(days=RECENT_AHEAD_DAYS)]
        past = [c for c in candidates if c[1] < today]
        return (current or soon or past[::-1] or [None])[0]

    def distance(c: tuple[date, date]) -> tuple[int, int]:
        if c[0] <= today <= c[1]:
            return (0, 0)
        gap = (c[0] - today).days if c[0] > today else (today - c[1]).days
        return (gap, 0 if c[0] > today else 1)   # a tie goes to the future
    return min(candidates, key=distance)


def part_of_month(year: int, month: int, part: str | None, today: date | None = None
                   ) -> tuple[date, date]:
    end = month_end(year, month)
    first, last = date(year, month, 1), end
    if part in ("上旬", "初旬", "初め", "頭", "前半", "early", "beginning of", "start of"):
        last = date(year, month, 10)
    elif part in ("中旬", "mid", "middle of"):
        first, last = date(year, month, 11), date(year, month, 20)
    elif part in ("下旬", "後半", "late", "later"):
        first = date(year, month, 21)
    elif part in ("末", "end of"):
        first = end
    elif part in ("中", "内", "いっぱい") and today is not None and first <= today <= end:
        first = today
    return first, last


def month_periods(month: int, part: str | None, today: date) -> list[tuple[date, date]]:
    return [part_of_month(y, month, part) for y in (today.year - 1, today.year, today.year + 1)]


def day_periods(month: int, day: int, today: date) -> list[tuple[date, date]]:
    out = []
    for year in (today.year - 1, today.year, today.year + 1):
        found = safe_date(year, month, day)
        if found:
            out.append((found, found))
    return out


def day_of_month_periods(day: int, today: date) -> list[tuple[date, date]]:
    out = []
    for by in (-1, 0, 1, 2):
        year, month = shift_month(today.year, today.month, by)
        found = safe_date(year, month, day)
        if found:
            out.append((found, found))
    return out


def weekday_near(target: int, today: date, prefer: str, tense: str | None) -> tuple[date, date]:
    ahead = today + timedelta(days=(target - today.weekday() - 1) % 7 + 1)
    behind = today - timedelta(days=(today.weekday() - target - 1) % 7 + 1)
    if tense == "past" or (tense is None and prefer == "recent"):
        return behind, behind
    if tense == "future" or prefer == "future":
        return ahead, ahead
    pick = ahead if (ahead - today) <= (today - behind) else behind
    return pick, pick


def week_period(offset: int, today: date, part: str | None, weekday: int | None = None
          ) -> tuple[date, date]:
    monday = monday_of(today) + timedelta(weeks=offset)
    if weekday is not None:
        day = monday + timedelta(days=weekday)
        return day, day
    friday = monday + timedelta(days=4)
    if part in ("末", "end"):                       # the weekend
        return monday + timedelta(days=5), monday + timedelta(days=6)
    if part in ("end of",):
        return friday, friday
    if part in ("明け",):
        return monday, monday
    if part in ("頭", "前半", "early", "beginning of", "start of"):
        return monday, monday + timedelta(days=1)
    if part in ("mid", "middle of"):
        return monday + timedelta(days=1), monday + timedelta(days=3)
    if part in ("後半", "later", "late"):
        return monday + timedelta(days=3), friday
    first = max(monday, today) if offset == 0 else monday
    return min(first, friday), friday


def year_period(year: int, today: date, part: str | None) -> tuple[date, date]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    if part in ("中", "内", "いっぱい", "later") and year == today.year:
        first = today
    elif part in ("前半",):
        last = date(year, 6, 30)
    elif part in ("後半",):
        first = date(year, 7, 1)
    elif part in ("初め", "頭", "early", "beginning of", "start of"):
        last = date(year, 3, 31) if part in ("early", "beginning of", "start of") else \
            date(year, 1, 31)
    elif part in ("mid", "middle of"):
        first, last = date(year, 4, 1), date(year, 9, 30)
    elif part in ("late",):
        first = date(year, 10, 1)
    elif part in ("末", "end of"):
        first = date(year, 12, 21)
    return first, last


def fixed(first_offset: int, last_offset: int | None = None) -> Resolver:
    def resolve(today: date, prefer: str, tense: str | None):
        last = last_offset if last_offset is not None else first_offset
        return today + timedelta(days=first_offset), today + timedelta(days=last)
    return resolve


def after(count: int, unit: str, within: bool, backwards: bool = False) -> Resolver:
    def resolve(today: date, prefer: str, tense: str | None):
        if unit == "month":
            year, month = shift_month(today.year, today.month, -count if backwards else count)
            target = safe_date(year, month, today.day) or month_end(year, month)
        else:
            days = count * (7 if unit == "week" else 1)
            target = today + timedelta(days=-days if backwards else days)
        return (today, target) if within else (target, target)
    return resolve
