"""The ranking formula (documented in README.md, "Ranking").

    score = 100 × W(reason) × U × T(tier) × R × P

* W, the weight of the reason: a promise of mine (1.0) first, an unanswered question (0.95),
  news to congratulate (0.85), an event coming up (0.8), a proposal to take up (0.85), someone
  met recently (0.75), a dormant tie with news (0.7), an introduction (0.6), a tie overdue by
  its cadence (0.55).
* U, due-ness, 0.3–1: how pressing it is today (overdue promise, days a question has waited,
  days until an event, how far past its cadence a tie is); see ``urgency``.
* T, the tier: inner 1.0, close 0.9, active 0.8, wide 0.7, dormant 0.6, none yet 0.75.
* R, recency of what it rests on: 0.6 + 0.4·e^(−age/30), age in days since it was said.
* P, what the user keeps dismissing for this person: 0.5 per dismissed suggestion of the same
  reason, 0.85 per dismissed suggestion of another reason.
"""

from __future__ import annotations

import math
from datetime import date

from companion.services.followup.reasons import as_date

REASON_WEIGHT = {"promise_due": 1.0, "question_waiting": 0.95, "change_to_congratulate": 0.85,
                 "event_upcoming": 0.8, "met_recently": 0.75, "dormant_with_news": 0.7,
                 "introduction": 0.6, "overdue_by_cadence": 0.55}
PROPOSAL_WEIGHT = 0.85
TIER_WEIGHT = {"inner": 1.0, "close": 0.9, "active": 0.8, "wide": 0.7, "dormant": 0.6}
NO_TIER_WEIGHT = 0.75
SAME_REASON_DISMISSED = 0.5
OTHER_REASON_DISMISSED = 0.85


def _days(later: date | None, earlier: date | None) -> int:
    return (later - earlier).days if later and earlier else 0


def urgency(reason: str, today: date, *, due: str | None = None, stated: str | None = None,
            event: str | None = None, overdue_ratio: float = 0.0) -> float:
    """U: 1 is "today, no later"."""
    said = as_date(stated)
    if reason == "promise_due":
        day = as_date(due)
        if day is None:
            return 0.6
        left = _days(day, today)
        if left < 0:   # overdue: most pressing for two weeks, then slowly stale
            return 1.0 if -left <= 14 else max(0.5, 1 - (-left - 14) / 60)
        return max(0.4, 1 - 0.06 * left)
    if reason == "question_waiting":
        waited = _days(today, said)
        return min(1.0, 0.7 + 0.1 * waited) if waited <= 14 else max(0.4, 1 - (waited - 14) / 40)
    if reason == "event_upcoming":
        day = as_date(event)
        if day is None:
            return max(0.3, 1 - _days(today, said) / 45)
        left = _days(day, today)
        return max(0.3, 1 - left / 30) if left >= 0 else max(0.3, 0.8 + left / 20)
    if reason == "met_recently":
        return max(0.3, 1 - _days(today, said) / 21)
    if reason == "overdue_by_cadence":
        return min(1.0, 0.5 + 0.5 * overdue_ratio)
    # change_to_congratulate, dormant_with_news, introduction: fresh news first
    return max(0.3, 1 - _days(today, said) / 45)


def recency(today: date, stated: str | None) -> float:
    said = as_date(stated)
    if said is None:
        return 1.0
    return 0.6 + 0.4 * math.exp(-max(0, _days(today, said)) / 30)


def dismissal_penalty(reason: str, dismissed: dict[str, int]) -> float:
    """``dismissed``: this person's dismissed suggestions, counted by reason."""
    if not dismissed:
        return 1.0
    same = dismissed.get(reason, 0)
    other = sum(n for r, n in dismissed.items() if r != reason)
    return SAME_REASON_DISMISSED ** same * OTHER_REASON_DISMISSED ** other


def score(reason: str, tier: str | None, u: float, r: float, penalty: float,
          proposal: bool = False) -> float:
    weight = PROPOSAL_WEIGHT if proposal else REASON_WEIGHT[reason]
    t = TIER_WEIGHT.get(tier or "", NO_TIER_WEIGHT)
    return round(100 * weight * u * t * r * penalty, 2)
