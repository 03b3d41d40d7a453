"""Career lists as profile pages write them: periods of jobs and schools.

Shared by the site adapters that read positions and education (Wantedly's 職歴/学歴, Eight's
career list). Dates are kept as the page writes them ("2021年4月", "Oct 2019"): they are shown
back to the user, never computed with.
"""

from __future__ import annotations

import re

from . import generic

_CURRENT = re.compile(r"^(現在|在籍中|現職|present|current|now)$", re.IGNORECASE)
_MONTHS = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# one date as a period line writes it: "2021年4月", "2021/04", "Oct 2019", "2013", or 「現在」
_DATE = re.compile(r"^(" + _MONTHS + r"\s*)?(19|20)\d{2}(\s*年)?(\s*[/.\-]?\s*\d{1,2}\s*月?)?"
                   r"(\s*\d{1,2}\s*日)?$|^(現在|在籍中|現職|present|current|now)$", re.IGNORECASE)
# every date _DATE accepts has "19"/"20" or one of the words that mean "now": a line with
# neither is no period (most lines are not; this spares them the splitting below)
_MAY_BE_PERIOD = re.compile(r"[0-9]|現在|在籍中|現職|present|current|now", re.IGNORECASE)
_RANGE = re.compile(r"\s*[〜～~–—―]\s*|\s+[-ー]\s+")
_DURATION = re.compile(r"\s*[(（・][^()（）]*[)）]?\s*$")  # "(3年2ヶ月)", "・3 yrs" after a period


def read_period(text: str | None) -> tuple[str | None, str | None, bool] | None:
    """(start, end, current) of a period line ("2021年4月 - 現在", "Oct 2019 - Dec 2024",
    "2013 - 2017"), the dates as written; None when the text is not a period. An end that says
    the entry goes on (「現在」/"Present") is no date: end None, current True."""
    text = generic.clean_text(text)
    if not text or len(text) > 60 or not _MAY_BE_PERIOD.search(text):
        return None
    # the line as it is, else without a duration after the period
    return _period(text) or _period(_DURATION.sub("", text))


def _period(candidate: str) -> tuple[str | None, str | None, bool] | None:
    parts = [generic.clean_text(p) or "" for p in _RANGE.split(candidate)]
    if len(parts) == 1 and "-" in candidate:
        parts = [generic.clean_text(p) or "" for p in candidate.split("-")]
    parts = [p for p in parts if p] if len(parts) == 2 else parts
    if not 1 <= len(parts) <= 2 or not all(_DATE.match(p) for p in parts):
        return None
    if len(parts) == 1 and _CURRENT.match(parts[0]):
        return None, None, True  # "- 現在" alone: the start is on another line
    start = None if _CURRENT.match(parts[0]) else parts[0]
    end = parts[1] if len(parts) == 2 else None
    if end is not None and _CURRENT.match(end):
        return start, None, True
    return start, end, False
