"""Japanese date expressions: 明日中, 来週の金曜日, 週明け, 来月末, 12月3日(木), 15日まで, 年明け,
3日以内, GW. ``PATTERN`` finds them; ``resolver(match)`` says what period each one means."""

from __future__ import annotations

import re
from datetime import date

from companion.services.followup.periods import (
    Resolver, after, choose, day_of_month_periods, day_periods, fixed, month_end,
    month_periods, part_of_month, safe_date, shift_month, week_period, weekday_near,
    year_period)

_JA_WEEKDAYS = "月火水木金土日"
_JA_PART = r"上旬|中旬|下旬|初旬|初め|頭|末|中|内|いっぱい|前半|後半"
_JA_BRACKET_WD = r"(?:\s*[(（][月火水木金土日][)）])?"
PATTERN = re.compile("|".join([
    rf"(?P<ymd>(?:(?P<ymd_y>\d{{4}})年\s*)?(?P<ymd_m>\d{{1,2}})月\s*(?P<ymd_d>\d{{1,2}})日)"
    rf"(?![間後前以]){_JA_BRACKET_WD}",
    r"(?P<iso>\d{4}-\d{1,2}-\d{1,2})(?!\d)",
    rf"(?P<slash>(?<![\d/.:])(?:(?P<sl_y>\d{{4}})/)?(?P<sl_m>\d{{1,2}})/(?P<sl_d>\d{{1,2}})"
    rf"(?![\d/])){_JA_BRACKET_WD}",
    r"(?P<reln>(?P<rn_n>\d{1,3})\s*(?P<rn_unit>日|週間|か月|ヶ月|ヵ月|カ月|ケ月)(?P<rn_dir>以内|後|前))",
    r"(?P<week>(?P<wk_rel>再来週|来週|今週|先週)の?(?:(?P<wk_wd>[月火水木金土日])曜日?"
    r"|(?P<wk_part>末|中|明け|頭|前半|後半))?)",
    r"(?P<weekstart>週明け)",
    r"(?P<weekend>(?<!毎)週末)",
    rf"(?P<month>(?P<mo_rel>再来月|来月|今月|先月)の?(?P<mo_part>{_JA_PART})?)",
    rf"(?P<mon>(?:(?P<mn_yrel>再来年|来年|今年)の?|(?P<mn_y>\d{{4}})年\s*)?(?<![\d.])"
    rf"(?P<mn_m>\d{{1,2}})月(?:の)?(?P<mn_part>{_JA_PART})?)(?!\s*\d)",
    r"(?P<monthend>(?<![来今先\d])月末)",
    r"(?P<monthin>(?<![来今先\d])月内)",
    r"(?P<year>(?P<yr_rel>再来年|来年|今年)(?!度)(?P<yr_part>中|内|いっぱい|の?(?:前半|後半|初め|頭|末))?)",
    r"(?P<season>ゴールデンウィーク|ゴールデンウイーク|GW|お盆|年末年始)",
    r"(?P<yearword>(?<![昨去前今来\d])(?:年内|年末|年明け|年始|年度内|年度末))",
    r"(?P<dayword>一昨日|明後日|あさって|おととい|本日|今日|明日|あした|昨日|今夜|今晩|今夕|今朝)",
    r"(?P<wd>(?<!毎週)(?<!毎週の)(?P<wd_c>[月火水木金土日])曜日?)",
    r"(?P<dom>(?<![\d月/年.])(?P<dom_d>\d{1,2})日(?![間後前以]))",
]))
_JA_DAY_WORDS = {"一昨日": -2, "おととい": -2, "昨日": -1, "本日": 0, "今日": 0, "今夜": 0,
                 "今晩": 0, "今夕": 0, "今朝": 0, "明日": 1, "あした": 1, "明後日": 2, "あさって": 2}
_JA_REL = {"先": -1, "今": 0, "来": 1, "再来": 2}
_JA_UNIT = {"日": "day", "週間": "week"}


def resolver(m: re.Match) -> Resolver | None:
    kind = next((k for k in _JA_KINDS if m.group(k) is not None), None)
    g = m.group
    if kind in ("ymd", "slash"):
        p = "ymd" if kind == "ymd" else "sl"
        year, month, day = g(f"{p}_y"), int(g(f"{p}_m")), int(g(f"{p}_d"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        if year:
            found = safe_date(int(year), month, day)
            return (lambda t, p_, ts: (found, found)) if found else None
        return lambda t, prefer, ts: choose(day_periods(month, day, t), t, prefer)
    if kind == "iso":
        y, mo, d = (int(x) for x in g("iso").split("-"))
        found = safe_date(y, mo, d)
        return (lambda t, p_, ts: (found, found)) if found else None
    if kind == "reln":
        unit = _JA_UNIT.get(g("rn_unit"), "month")
        return after(int(g("rn_n")), unit, g("rn_dir") == "以内", g("rn_dir") == "前")
    if kind == "week":
        offset = _JA_REL[g("wk_rel")[:-1]]
        weekday = _JA_WEEKDAYS.index(g("wk_wd")) if g("wk_wd") else None
        return lambda t, p_, ts: week_period(offset, t, g("wk_part"), weekday)
    if kind == "weekstart":
        return lambda t, p_, ts: week_period(1, t, "明け")
    if kind == "weekend":
        return lambda t, p_, ts: (max(t, week_period(0, t, "末")[0]), week_period(0, t, "末")[1])
    if kind == "month":
        offset = _JA_REL[g("mo_rel")[:-1]]

        def resolve(t, p_, ts, offset=offset, part=g("mo_part")):
            year, month = shift_month(t.year, t.month, offset)
            return part_of_month(year, month, part, t)
        return resolve
    if kind == "mon":
        month = int(g("mn_m"))
        if not 1 <= month <= 12:
            return None
        part = g("mn_part")
        if g("mn_y") or g("mn_yrel"):
            def resolve(t, p_, ts):
                year = int(g("mn_y")) if g("mn_y") else t.year + _JA_REL[g("mn_yrel")[:-1]]
                return part_of_month(year, month, part, t)
            return resolve
        return lambda t, prefer, ts: choose(month_periods(month, part, t), t, prefer)
    if kind == "monthend":
        return lambda t, p_, ts: part_of_month(t.year, t.month, "末")
    if kind == "monthin":
        return lambda t, p_, ts: (t, month_end(t.year, t.month))
    if kind == "year":
        offset = _JA_REL[g("yr_rel")[:-1]]
        part = (g("yr_part") or "").lstrip("の") or None
        return lambda t, p_, ts: year_period(t.year + offset, t, part)
    if kind == "season":
        word = g("season")
        return lambda t, prefer, ts: _season(word, t, prefer)
    if kind == "yearword":
        word = g("yearword")
        return lambda t, p_, ts: _ja_year_word(word, t)
    if kind == "dayword":
        return fixed(_JA_DAY_WORDS[g("dayword")])
    if kind == "wd":
        target = _JA_WEEKDAYS.index(g("wd_c"))
        return lambda t, prefer, tense: weekday_near(target, t, prefer, tense)
    if kind == "dom":
        day = int(g("dom_d"))
        if not 1 <= day <= 31:
            return None
        return lambda t, prefer, ts: choose(day_of_month_periods(day, t), t, prefer)
    return None


_JA_KINDS = ("ymd", "iso", "slash", "reln", "week", "weekstart", "weekend", "month", "mon",
             "monthend", "monthin", "year", "season", "yearword", "dayword", "wd", "dom")
# Holidays every Japanese business calendar has: (first month, day), (last month, day).
_SEASONS = {"ゴールデンウィーク": ((4, 29), (5, 5)), "ゴールデンウイーク": ((4, 29), (5, 5)),
            "GW": ((4, 29), (5, 5)), "お盆": ((8, 13), (8, 16)), "年末年始": ((12, 28), (1, 3))}


def _season(word: str, today: date, prefer: str) -> tuple[date, date] | None:
    (m1, d1), (m2, d2) = _SEASONS[word]
    periods = [(date(y, m1, d1), date(y + (1 if m2 < m1 else 0), m2, d2))
               for y in (today.year - 1, today.year, today.year + 1)]
    return choose(periods, today, prefer)


def _ja_year_word(word: str, today: date) -> tuple[date, date]:
    if word == "年内":
        return today, date(today.year, 12, 31)
    if word == "年末":
        return date(today.year, 12, 21), date(today.year, 12, 31)
    if word in ("年明け", "年始"):
        year = today.year if (today.month, today.day) <= (1, 15) else today.year + 1
        return date(year, 1, 1), date(year, 1, 15)
    fiscal_end = today.year if today.month <= 3 else today.year + 1   # April–March
    if word == "年度内":
        return today, date(fiscal_end, 3, 31)
    return date(fiscal_end, 3, 1), date(fiscal_end, 3, 31)           # 年度末
