"""English date expressions: tomorrow, next Friday, by the 15th, end of the month, Dec 30,
3 December, 12/3 (month first), early next week, in two weeks. ``PATTERN`` finds them;
``resolver(match)`` says what period each one means."""

from __future__ import annotations

import re

from companion.services.followup.periods import (
    Resolver, after, choose, day_of_month_periods, day_periods, fixed, month_periods,
    part_of_month, safe_date, shift_month, week_period, weekday_near, year_period)

_EN_MONTHS = {name: i for i, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
_MON = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_EN_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
               "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_EN_PART = r"end\s+of|early|mid|late|later|beginning\s+of|start\s+of|middle\s+of"
PATTERN = re.compile("|".join([
    r"(?P<iso>\b\d{4}-\d{1,2}-\d{1,2}\b)",
    rf"(?P<md>\b(?P<md_mon>{_MON})\.?\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)"
    r"(?:,?\s+(?P<md_y>\d{4})\b)?)",
    rf"(?P<dm>\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_mon>{_MON})\b\.?"
    r"(?:,?\s+(?P<dm_y>\d{4})\b)?)",
    r"(?P<slash>(?<![\d/.:])(?P<sl_m>\d{1,2})/(?P<sl_d>\d{1,2})(?:/(?P<sl_y>\d{4}|\d{2}))?"
    r"(?![\d/]))",
    r"(?P<dat>\b(?:the\s+)?day\s+after\s+tomorrow\b)",
    r"(?P<tomorrow>\btomorrow\b)",
    r"(?P<today>\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|later\s+today"
    r"|end\s+of\s+(?:the\s+)?day|eod|cob|close\s+of\s+business)\b)",
    r"(?P<yesterday>\b(?:yesterday|last\s+night)\b)",
    r"(?P<weekafter>\bthe\s+week\s+after\s+next\b)",
    rf"(?P<week>\b(?:(?P<wk_part>{_EN_PART}|earlier)\s+)?(?:the\s+)?"
    r"(?P<wk_rel>this\s+coming|this|next|last|coming|following)\s+week(?P<wk_end>end)?\b)",
    r"(?P<eow>\b(?:end\s+of\s+(?:the\s+)?week|eow)\b)",
    r"(?P<theweekend>\b(?:over|on|at|for|by)\s+the\s+weekend\b)",
    r"(?P<wd>\b(?:(?P<wd_rel>this\s+coming|this|next|last|coming)\s+)?"
    r"(?P<wd_name>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?!s\b))",
    rf"(?P<month>\b(?:(?P<mo_part>{_EN_PART})[-\s]+)?(?:the\s+)?"
    r"(?P<mo_rel>this|next|last|following)\s+month\b)",
    r"(?P<eom>\b(?:end\s+of\s+(?:the\s+)?month|eom|month[-\s]end)\b)",
    rf"(?P<year>\b(?:(?P<yr_part>{_EN_PART})[-\s]+)?(?:the\s+)?(?P<yr_rel>this|next|last)"
    r"\s+year\b)",
    r"(?P<eoy>\b(?:end\s+of\s+(?:the\s+)?year|eoy|year[-\s]end)\b)",
    rf"(?P<relmon>\b(?P<rm_rel>this|next|last)\s+(?P<rm_mon>{_MON})\b)",
    rf"(?P<mon>\b(?:in|by|until|till|before|after|from|since|for|during|through|{_EN_PART})"
    rf"(?:[-\s]+(?P<mn_part>early|mid|late))?[-\s]+(?P<mn_mon>{_MON})\b"
    r"(?!\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?!\d))"   # "by Dec 30" is a day, read by md
    r"(?:\s+(?P<mn_y>\d{4})\b)?)",
    rf"(?P<nth>\bthe\s+(?P<nth_d>\d{{1,2}})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:{_MON})\b))",
    r"(?P<inn>\b(?P<in_kind>in|within)\s+(?P<in_n>\d{1,3}|an?|one|two|three|four|five|six|seven"
    r"|eight|nine|ten)\s+(?P<in_unit>day|week|month)s?\b)",
]), re.I)
# Something every alternative of PATTERN needs: a digit, or a word it is built on (the weekdays,
# today and yesterday end in "day"; the months start with their three letters). Most clauses
# have none, and this small search is far cheaper than PATTERN's; a clause without any cannot
# hold a date (tests/companion/services/followup/test_dates.py checks both agree on every text
# of the evaluation sets). Keep it in step when PATTERN gains an alternative.
MAY_HOLD_A_DATE = re.compile(
    r"\d|day|tomorrow|night|morning|afternoon|evening|eod|cob|business|week|eow|month|eom|year"
    r"|eoy|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.I)
_EN_KINDS = ("iso", "md", "dm", "slash", "dat", "tomorrow", "today", "yesterday", "weekafter",
             "week", "eow", "theweekend", "wd", "month", "eom", "year", "eoy", "relmon", "mon",
             "nth", "inn")
_EN_REL = {"last": -1, "this": 0, "next": 1, "following": 1, "coming": 1, "this coming": 1}


def _norm(text: str | None) -> str | None:
    return re.sub(r"\s+", " ", text.lower()) if text else None


def _year_of(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _exact_or_choose(month: int, day: int, year: int | None) -> Resolver | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year:
        found = safe_date(year, month, day)
        return (lambda t, p_, ts: (found, found)) if found else None
    return lambda t, prefer, ts: choose(day_periods(month, day, t), t, prefer)


def resolver(m: re.Match) -> Resolver | None:
    kind = next((k for k in _EN_KINDS if m.group(k) is not None), None)
    g = m.group
    if kind == "iso":
        y, mo, d = (int(x) for x in g("iso").split("-"))
        return _exact_or_choose(mo, d, y)
    if kind == "md":
        return _exact_or_choose(_EN_MONTHS[g("md_mon").lower()], int(g("md_d")),
                                _year_of(g("md_y")))
    if kind == "dm":
        return _exact_or_choose(_EN_MONTHS[g("dm_mon").lower()], int(g("dm_d")),
                                _year_of(g("dm_y")))
    if kind == "slash":   # month first, as US English writes it
        return _exact_or_choose(int(g("sl_m")), int(g("sl_d")), _year_of(g("sl_y")))
    if kind == "dat":
        return fixed(2)
    if kind == "tomorrow":
        return fixed(1)
    if kind == "today":
        return fixed(0)
    if kind == "yesterday":
        return fixed(-1)
    if kind == "weekafter":
        return lambda t, p_, ts: week_period(2, t, None)
    if kind == "week":
        offset = _EN_REL[_norm(g("wk_rel"))]
        part = _norm(g("wk_part"))
        if part == "earlier":
            part = "early"
        if g("wk_end"):
            part = "end" if part is None else part
            return lambda t, p_, ts: week_period(offset, t, "末")
        return lambda t, p_, ts: week_period(offset, t, part)
    if kind == "eow":
        return lambda t, p_, ts: week_period(0, t, "end of")
    if kind == "theweekend":
        return lambda t, p_, ts: (max(t, week_period(0, t, "末")[0]), week_period(0, t, "末")[1])
    if kind == "wd":
        target = _EN_WEEKDAYS.index(g("wd_name").lower())
        rel = _norm(g("wd_rel"))
        if rel in ("this", "next", "last"):
            return lambda t, p_, ts: week_period(_EN_REL[rel], t, None, target)
        if rel:   # "coming Friday"
            return lambda t, p_, ts: weekday_near(target, t, "future", "future")
        return lambda t, prefer, tense: weekday_near(target, t, prefer, tense)
    if kind == "month":
        offset = _EN_REL[_norm(g("mo_rel"))]

        def resolve(t, p_, ts, offset=offset, part=_norm(g("mo_part"))):
            year, month = shift_month(t.year, t.month, offset)
            return part_of_month(year, month, part, t)
        return resolve
    if kind == "eom":
        return lambda t, p_, ts: part_of_month(t.year, t.month, "end of")
    if kind == "year":
        offset = _EN_REL[_norm(g("yr_rel"))]
        part = _norm(g("yr_part"))
        return lambda t, p_, ts: year_period(t.year + offset, t, part)
    if kind == "eoy":
        return lambda t, p_, ts: year_period(t.year, t, "end of")
    if kind == "relmon":
        month = _EN_MONTHS[g("rm_mon").lower()]
        rel = g("rm_rel").lower()

        def resolve(t, p_, ts):
            if rel == "this":
                return part_of_month(t.year, month, None)
            year = t.year + (1 if month <= t.month else 0) if rel == "next" else \
                t.year - (1 if month >= t.month else 0)
            return part_of_month(year, month, None)
        return resolve
    if kind == "mon":
        month = _EN_MONTHS[g("mn_mon").lower()]
        lead = _norm(re.match(rf"({_EN_PART}|\w+)", g("mon"), re.I).group(1))
        part = _norm(g("mn_part")) or (lead if lead in ("early", "mid", "late", "end of",
                                                         "beginning of", "start of",
                                                         "middle of") else None)
        year = _year_of(g("mn_y"))
        if year:
            return lambda t, p_, ts: part_of_month(year, month, part)
        return lambda t, prefer, ts: choose(month_periods(month, part, t), t, prefer)
    if kind == "nth":
        day = int(g("nth_d"))
        if not 1 <= day <= 31:
            return None
        return lambda t, prefer, ts: choose(day_of_month_periods(day, t), t, prefer)
    if kind == "inn":
        raw = g("in_n").lower()
        count = int(raw) if raw.isdigit() else _EN_NUMBERS[raw]
        return after(count, g("in_unit").lower(), g("in_kind").lower() == "within")
    return None
