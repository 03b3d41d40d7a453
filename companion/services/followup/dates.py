"""Date expressions in a sentence ("明日中", "来週の金曜日", "来月末", "12月3日", "next Friday",
"by the 15th", "end of the month", "Dec 30"), read as a period of days relative to the day the
message was sent, in the sender's own time zone.

Conventions (also in the package README):

* Weeks run Monday to Sunday; "this week" / "来週" as a deadline is the working week, Monday to
  Friday. "next Friday" / "来週の金曜" is the Friday of next week; a bare "Friday" / "金曜日" is
  the first Friday after today (for something that already happened: the last one before).
* Months and years are whole periods: "来月" is the 1st to the last day of next month;
  上旬/early = 1st–10th, 中旬/mid = 11th–20th, 下旬/late = 21st–end, 末/end of = the last day.
  年末 / "end of the year" = 21–31 December; 年明け = 1–15 January; 年内 = today to 31 December.
* A date without a year ("12月3日", "Dec 3", "the 15th", "March") is the next such date for
  promises and questions. For events it follows the tense: the next one for the future
  (転職することになりました reads as future), the last one for the past unless one starts within
  a month ("2月1日付で昇進いたしました", written on 29 January, is 1 February coming), and the
  nearest one when the tense is unclear.
* Vague words ("soon", "後ほど", "近いうちに", "in the new year", "next spring") give no date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from companion.services.followup import dates_en as en
from companion.services.followup import dates_ja as ja
from companion.services.followup.periods import Resolver, monday_of


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    resolve: Resolver     # (today, prefer, tense) → (first, last) or None; prefer is "future",
                          # "recent" or "nearest"; tense ("past" / "future") steers weekdays


_WEEK_OF = re.compile(r"(?:the\s+)?week\s+of\s+(?:the\s+)?$", re.I)


def _week_of(resolver: Resolver) -> Resolver:
    """"the week of June 28": the working week that day falls in."""
    def resolve(today: date, prefer: str, tense: str | None):
        found = resolver(today, prefer, tense)
        if found is None:
            return None
        monday = monday_of(found[0])
        return monday, monday + timedelta(days=4)
    return resolve


def find_dates(text: str, lang: str) -> list[DateMention]:
    """Date expressions in ``text`` (offsets into it), left to right."""
    pattern, reader = (ja.PATTERN, ja.resolver) if lang == "ja" else (en.PATTERN, en.resolver)
    english_possible = en.MAY_HOLD_A_DATE.search(text) is not None
    if lang != "ja" and not english_possible:
        return []
    out = []
    for match in pattern.finditer(text):
        resolver = reader(match)
        if resolver is None:
            continue
        start = match.start()
        week_of = _WEEK_OF.search(text[max(0, start - 20):start])
        if week_of and match.lastgroup != "week":
            start -= len(week_of.group(0))
            resolver = _week_of(resolver)
        out.append(DateMention(start, match.end(), resolver))
    if lang == "ja" and english_possible:   # English dates in Japanese text ("Dec 3") too
        taken = [(m.start, m.end) for m in out]
        for match in en.PATTERN.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            resolver = en.resolver(match)
            if resolver is not None:
                out.append(DateMention(match.start(), match.end(), resolver))
        out.sort(key=lambda m: m.start)
    return out


def resolve(mention: DateMention, today: date, prefer: str, tense: str | None = None
            ) -> tuple[date, date] | None:
    try:
        period = mention.resolve(today, prefer, tense)
    except (ValueError, OverflowError):   # dates beyond year 1..9999
        return None
    if period is None:
        return None
    first, last = period
    return (last, last) if first > last else (first, last)
