"""Suggestions (issue 6): whom to write to today, why now, the facts it rests on, what to do,
and a draft built from those facts (or what is missing to write one).

    suggestions_for_today(db, today, limit)        ranked, at most one per person
    suggestions_for_contact(db, contact_id, today) everything for one person, ranked
    next_followup(db, contact_id, today)           the first of those, for the popup

Nothing is stored but what the user does with a suggestion (suggest_actions.py); everything
else is computed from facts, contacts and interactions each time, so it is never stale.

Why now (``reason``), its key (stable across recomputation) → the action:

* ``promise_due`` (``promise:<fact>``) → keep_promise: an open promise of mine due within a
  week or overdue up to 30 days, or undated and said in the last three weeks; a plan either
  side proposed, when it is time (``_proposal_due``).
* ``question_waiting`` (``question:<fact>``) → answer: their question of the last 30 days with
  no message of mine after it.
* ``change_to_congratulate`` (``change:<fact>`` / ``event:<fact>``) → congratulate: a new
  title, organisation or location between captures, or news of theirs said in the last 30 days
  or dated in the last 14.
* ``event_upcoming`` (``event:<fact>``) → congratulate: an event of theirs in the next 30 days.
* ``met_recently`` (``met-recently:<contact>:<date>``) → reconnect or share_interest: a
  meeting, call or event logged in the last 14 days, or saved in the last 14 days with nothing
  exchanged yet, and nothing written to them since.
* ``overdue_by_cadence`` (``cadence:<contact>:<due date>``) → reconnect or share_interest: the
  last two-way exchange is longer ago than the tier's cadence (settings ``cadence_<tier>_days``;
  defaults inner 14, close 30, active 90, wide 180, dormant 365); never for someone with no
  exchange yet.
* ``dormant_with_news`` (``dormant:<contact>:<fact>``) → reconnect: a dormant tie with news.
* ``introduction`` (``intro:<need contact>:<offer contact>``) → introduce: their need ("looking
  for…", 「…を探しています」) that someone else's title, skills, bio or interests meet
  (suggest_intro.py); it replaces the question it answers.

Their news in a message of mine ("congrats on the new role!") is already acknowledged and makes
no suggestion. The ranking formula is in suggest_rank.py; drafts in drafts.py.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Callable

from companion import memory
from companion.db import Database
from companion.services.followup import drafts, morph, reasons, suggest_rank as rank
from companion.services.followup.suggest_intro import need_of, need_phrase, offer_index
from companion.services.followup.suggest_load import (CONTACT_WINDOWS, TODAY_WINDOWS, Action,
                                                      ContactState, Windows, actions,
                                                      candidate_facts,
                                                      contact_states, first_interaction,
                                                      hydrate, wrote_since)
from companion.services.followup.suggest_model import ContactRef, FactRef, Suggestion

DEFAULT_LIMIT = 20
CONTACT_LIMIT = 10     # one person's list: the strongest ten (a busy tie can have hundreds)
MAX_LIMIT = 200
CHANGE_FIELDS = ("title", "organisation", "location")


def cadences(settings=None) -> dict[str, int]:
    """Days per tier: ``cadence_<tier>_days`` from settings where there is one."""
    return {tier: int(getattr(settings, f"cadence_{tier}_days", days) or days)
            for tier, days in reasons.DEFAULT_CADENCE_DAYS.items()}


class _Candidate:
    """A possible suggestion, cheap to make: there is one per open fact in the windows (tens of
    thousands on a large network); the Suggestion itself is built only for those kept."""

    __slots__ = ("key", "state", "reason", "action", "facts", "when", "score", "why",
                 "context", "people", "other", "_built")

    def __init__(self, key: str, state: ContactState, reason: str, action: str,
                 facts: list[FactRef], when: str | None, score: float,
                 why: Callable[[], dict]):
        self.key, self.state, self.reason, self.action = key, state, reason, action
        self.facts, self.when, self.score, self.why = facts, when, score, why
        self.context: dict = {}                    # what drafts.write needs besides facts
        self.people: tuple[int, ...] = (state.id,)  # every contact it involves
        self.other: ContactRef | None = None
        self._built: Suggestion | None = None

    @property
    def suggestion(self) -> Suggestion:
        if self._built is None:
            self._built = Suggestion(self.key, ContactRef(self.state.id, self.state.name),
                                     self.reason, self.why(), self.action, self.score,
                                     self.facts, [], None, self.when, self.other)
        return self._built


def _today(today: date | str | None) -> date:
    if today is None:
        return date.today()
    return today if isinstance(today, date) else date.fromisoformat(str(today)[:10])


day_of = _today   # "today" as the public functions take it: a date, an ISO string or None


# -- candidates -----------------------------------------------------------------------------------

def _new(key: str, state: ContactState, reason: str, action: str, facts: list[FactRef],
         why: Callable[[], dict], when: str | None, u: float, r: float,
         dismissed: dict[str, int], proposal: bool = False) -> _Candidate:
    """A candidate; ``why`` is written only for the suggestions that are kept."""
    return _Candidate(key, state, reason, action, facts, when,
                      rank.score(reason, state.tier, u, r,
                                 rank.dismissal_penalty(reason, dismissed), proposal), why)


def _from_fact(db: Database, fact: FactRef, state: ContactState, today: date, w: Windows,
               dismissed: dict[str, int], cadence: dict[str, int]) -> _Candidate | None:
    said = fact.stated_at
    if fact.kind == "promise":
        proposal = fact.label == "proposal"
        if proposal and not _proposal_due(fact, state, today):
            return None
        return _new(f"promise:{fact.id}", state, "promise_due", "keep_promise", [fact],
                    lambda: reasons.why_promise(state.name, fact, today), fact.due,
                    rank.urgency("promise_due", today, due=fact.due, stated=said),
                    rank.recency(today, said), dismissed, proposal)
    if fact.kind == "question":
        if (state.last_out or "") > said:   # I wrote to them after it: answered
            return None
        return _new(f"question:{fact.id}", state, "question_waiting", "answer", [fact],
                    lambda: reasons.why_question(state.name, fact, today), said[:10],
                    rank.urgency("question_waiting", today, stated=said),
                    rank.recency(today, said), dismissed)
    if fact.kind == "change" and (fact.detail.get("field") or fact.label) not in CHANGE_FIELDS:
        return None
    if fact.said_in == "out":   # their news, in a message of mine: already acknowledged
        return None
    event_day = reasons.as_date(fact.event_date)
    fresh = reasons.as_date(said) >= today - timedelta(days=w.news)
    if event_day is not None and today <= event_day <= today + timedelta(days=w.event_ahead):
        if state.tier == "dormant":
            return _dormant(fact, state, today, dismissed)
        return _new(f"event:{fact.id}", state, "event_upcoming", "congratulate", [fact],
                    lambda: reasons.why_event(state.name, fact, today), fact.event_date,
                    rank.urgency("event_upcoming", today, stated=said, event=fact.event_date),
                    rank.recency(today, said), dismissed)
    recent_event = event_day is not None and today - timedelta(days=w.event_past) <= event_day
    if not (fresh or recent_event) or (event_day is not None and event_day > today):
        return None
    if state.tier == "dormant":
        return _dormant(fact, state, today, dismissed)
    prefix = "change" if fact.kind == "change" else "event"
    return _new(f"{prefix}:{fact.id}", state, "change_to_congratulate", "congratulate", [fact],
                lambda: reasons.why_change(state.name, fact, today), fact.event_date or said[:10],
                rank.urgency("change_to_congratulate", today, stated=said),
                rank.recency(today, said), dismissed)


PROPOSAL_WAIT_DAYS = 7     # a plan of mine: give them a week to answer
AGREED_PLAN_DAYS = 14      # a plan both agreed, with no date: check after two weeks


def _proposal_due(fact: FactRef, state: ContactState, today: date) -> bool:
    """Is a proposed plan ("let's get coffee next week") worth a suggestion today?

    A plan is kept when a meeting is logged (the store's rule). Until then: a plan they
    proposed and I have not answered, yes; one I proposed, once they had a week to answer;
    one already answered (agreed, probably), only once its date has passed without a meeting
    logged, or two weeks on when it had no date."""
    due = reasons.as_date(fact.due)
    waited = (today - reasons.as_date(fact.stated_at)).days
    answered = ((state.last_in if fact.whose == "me" else state.last_out) or "") > \
        fact.stated_at
    if answered:
        return due < today if due is not None else waited >= AGREED_PLAN_DAYS
    if fact.whose == "me":
        return waited >= PROPOSAL_WAIT_DAYS or (due is not None and due < today)
    return True


def _dormant(fact: FactRef, state: ContactState, today: date, dismissed: dict[str, int]
             ) -> _Candidate:
    news = (reasons.why_change if fact.kind == "change" or not fact.event_date
            or reasons.as_date(fact.event_date) <= today else reasons.why_event)
    c = _new(f"dormant:{state.id}:{fact.id}", state, "dormant_with_news", "reconnect", [fact],
             lambda: reasons.why_dormant(state.name, state.last_two_way_at,
                                         news(state.name, fact, today), today),
             fact.stated_at[:10], rank.urgency("dormant_with_news", today, stated=fact.stated_at),
             rank.recency(today, fact.stated_at), dismissed)
    c.context["last"] = state.last_two_way_at
    return c


def _met(db: Database, state: ContactState, today: date, w: Windows,
         dismissed: dict[str, int]) -> _Candidate | None:
    since = (today - timedelta(days=w.met)).isoformat()
    met = None
    if state.last_met:
        met = state.last_met
    elif since <= state.created_at < (today + timedelta(days=1)).isoformat() \
            and state.last_two_way_at is None:
        # saved lately and nothing exchanged yet: a new acquaintance, not an old conversation
        first = first_interaction(db, state.id)
        saved = reasons.as_date(state.created_at)
        if first is None or reasons.as_date(first) >= saved - timedelta(days=30):
            met = (state.created_at, "saved")
    if met is None or wrote_since(db, state.id, met[0]):
        return None
    day = met[0][:10]
    c = _new(f"met-recently:{state.id}:{day}", state, "met_recently", "reconnect", [],
             lambda: reasons.why_met(state.name, met[0], met[1], today), day,
             rank.urgency("met_recently", today, stated=met[0]), 1.0, dismissed)
    c.context["met"] = met
    return c


def _cadence(state: ContactState, today: date, cadence: dict[str, int],
             dismissed: dict[str, int]) -> _Candidate | None:
    # a cadence keeps a tie alive: someone never exchanged with is not a tie yet (a new
    # contact is "met recently" instead)
    if state.tier not in cadence or state.last_two_way_at is None:
        return None
    days = cadence[state.tier]
    start = reasons.as_date(state.last_two_way_at or state.created_at)
    due = start + timedelta(days=days)
    if today <= due:
        return None
    ratio = ((today - start).days - days) / days
    c = _new(f"cadence:{state.id}:{due.isoformat()}", state, "overdue_by_cadence", "reconnect",
             [], lambda: reasons.why_cadence(state.name, state.last_two_way_at, state.tier, days, today),
             due.isoformat(), rank.urgency("overdue_by_cadence", today, overdue_ratio=ratio),
             1.0, dismissed)
    c.context["last"] = state.last_two_way_at
    return c


def _intros(db: Database, needs: list[tuple[FactRef, str]], states: dict[int, ContactState],
            today: date, interests: list[tuple] | None, acted: dict[str, Action],
            dismissed_by: dict[int, dict[str, int]]) -> list[_Candidate]:
    if not needs:
        return []
    index = offer_index(db, today, interests)
    out, seen = [], set()
    for fact, need in needs:
        state = states.get(fact.contact_id)
        if state is None or fact.contact_id in seen:
            continue
        for offer in index.match(need, {fact.contact_id}):
            key = f"intro:{fact.contact_id}:{offer.contact_id}"
            if key in acted:
                continue
            other = index.people[offer.contact_id]
            phrases = {lang: need_phrase(need, lang) for lang in ("ja", "en")}
            c = _new(key, state, "introduction", "introduce", [fact],
                     lambda name=state.name, phrases=phrases, other=other,
                     offer=offer,
                     said=fact.stated_at: reasons.why_intro(name, phrases, other.name,
                                                           offer.source, offer.text, today,
                                                           said),
                     fact.stated_at[:10],
                     rank.urgency("introduction", today, stated=fact.stated_at) * offer.strength,
                     rank.recency(today, fact.stated_at),
                     dismissed_by.get(fact.contact_id, {}))
            c.other = ContactRef(other.id, other.name)
            c.context.update(need=need, offer=offer.text, offer_source=offer.source,
                             offer_fact=offer.fact_id)
            c.people = (fact.contact_id, offer.contact_id)
            out.append(c)
            seen.add(fact.contact_id)
            break
    return out


def _candidates(db: Database, today: date, w: Windows, settings, contact_id: int | None
                ) -> tuple[list[_Candidate], dict[str, Action], bool]:
    """The candidates, what the user did with suggestions, and whether anyone stated a need
    (then other people's profiles and interests bear on the answer: introductions)."""
    cadence = cadences(settings)
    states = contact_states(db, today, w, contact_id)
    acted = actions(db, contact_id)
    dismissed_by: dict[int, Counter] = defaultdict(Counter)
    for a in acted.values():
        if a.action == "dismissed" and a.contact_id is not None:
            dismissed_by[a.contact_id][a.reason] += 1
    facts = candidate_facts(db, today, w, contact_id)
    out = _Kept(acted, today) if contact_id is None else []
    needs: list[tuple[FactRef, str]] = []
    interests: list[tuple] = []   # (contact, fact id, detail): the offer index's rows
    need_since = (today - timedelta(days=w.need)).isoformat()
    for fact in facts:
        state = states.get(fact.contact_id)
        if state is None:
            continue
        if fact.kind in ("question", "event", "interest") and fact.whose == "them" \
                and fact.stated_at >= need_since:
            need = need_of(fact)
            if need:
                needs.append((fact, need))
        if fact.kind == "interest":
            if fact.label != "need":   # a need is not something they can offer
                interests.append((fact.contact_id, fact.id, fact.detail))
            continue
        found = _from_fact(db, fact, state, today, w, dismissed_by.get(state.id, {}), cadence)
        if found is not None:
            out.append(found)
    for state in states.values():
        dismissed = dismissed_by.get(state.id, {})
        for found in (_met(db, state, today, w, dismissed),
                      _cadence(state, today, cadence, dismissed)):
            if found is not None:
                out.append(found)
    # one person's list reads only their facts: then the offer index reads everyone's interests
    intros = _intros(db, needs, states, today, interests if contact_id is None else None,
                     acted, dismissed_by)
    return _answer_by_introduction(out, intros), acted, bool(needs)


class _Kept:
    """Today's list takes one suggestion per person, so of each person's candidates only the
    strongest visible ones are kept while the facts stream past (two: an introduction may
    take the place of the first), not the tens of thousands a large network has."""

    PER_PERSON = 2

    def __init__(self, acted: dict[str, Action], today: date):
        self.acted, self.today = acted, today
        self.best: dict[int, list[_Candidate]] = {}

    def append(self, c: _Candidate) -> None:
        if not _visible(c, self.acted, self.today):
            return
        held = self.best.setdefault(c.people[0], [])
        held.append(c)
        if len(held) > self.PER_PERSON:
            held.sort(key=lambda k: (-k.score, k.key))
            del held[self.PER_PERSON:]

    def __iter__(self):
        return (c for held in self.best.values() for c in held)


def _answer_by_introduction(out: list[_Candidate], intros: list[_Candidate]
                            ) -> list[_Candidate]:
    """"Do you know anyone who…?" is answered by an introduction: when a waiting question is a
    need someone can meet, the introduction takes its place (and at least its rank)."""
    by_fact = {c.facts[0].id: c for c in intros}
    kept = []
    for c in out:
        intro = by_fact.get(c.facts[0].id) if c.facts else None
        if intro is not None and c.reason == "question_waiting":
            intro.score = max(intro.score, c.score)
            continue
        kept.append(c)
    return kept + intros


def _visible(c: _Candidate, acted: dict[str, Action], today: date) -> bool:
    """Done and dismissed suggestions are gone; snoozed ones come back on their date."""
    a = acted.get(c.key)
    if a is None:
        return True
    if a.action == "snoozed":
        return a.until is not None and a.until[:10] <= today.isoformat()
    return False


def _ranked(cands: list[_Candidate]) -> list[_Candidate]:
    return sorted(cands, key=lambda c: (-c.score, c.key))


def _draft(db: Database, chosen: list[_Candidate], today: date, user_lang: str,
           settings=None) -> list[Suggestion]:
    people = drafts.People(db, user_lang, getattr(settings, "my_profiles", ()))
    for c in chosen:
        for fact in c.facts:
            hydrate(fact)
        drafts.write(db, people, c.suggestion, today, c.context)
    return [c.suggestion for c in chosen]


# -- the public functions -------------------------------------------------------------------------

_GC_LOCK = threading.Lock()
_GC_PAUSES = 0
_GC_WAS_ON = True


@contextlib.contextmanager
def _gc_paused():
    """Pause Python's cycle collector while a list is computed.

    Today's list on a large network reads tens of thousands of facts; the objects that makes
    trigger full collections, which walk every object in the process again and again (about
    half the time of the whole list at 10,000 contacts, bench/bench_followup.py). Nothing
    made here forms reference cycles that must be freed early, and reference counting still
    frees everything; the collector is switched back on when the last computation in any
    thread ends. https://docs.python.org/3/library/gc.html#gc.disable
    """
    global _GC_PAUSES, _GC_WAS_ON
    with _GC_LOCK:
        if _GC_PAUSES == 0:
            _GC_WAS_ON = gc.isenabled()
            gc.disable()
        _GC_PAUSES += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSES -= 1
            if _GC_PAUSES == 0 and _GC_WAS_ON:
                gc.enable()


def suggestions_for_today(db: Database, today: date | str | None = None,
                          limit: int = DEFAULT_LIMIT, *, settings=None,
                          user_lang: str = "ja") -> list[Suggestion]:
    """Today's list: the strongest suggestion of each person (the sincerity rule: one message
    per person a day), ranked, at most ``limit``."""
    day = _today(today)
    with _gc_paused(), morph.eager_release():
        cands, acted, _ = _candidates(db, day, TODAY_WINDOWS, settings, None)
        chosen, used = [], set()
        for c in _ranked([c for c in cands if _visible(c, acted, day)]):
            if used.intersection(c.people):
                continue
            used.update(c.people)
            chosen.append(c)
            if len(chosen) >= limit:
                break
        del cands
        try:
            return _draft(db, chosen, day, user_lang, settings)
        finally:
            release_batch_memory()


def release_batch_memory() -> None:
    """After a list of the whole network: give back the dictionary pages and the free heap it
    leaves behind (companion/memory.py; ~60 MB at 10,000 contacts, bench/bench_memory.py)."""
    morph.release_pages()
    memory.trim_heap()


def suggestions_for_contact(db: Database, contact_id: int, today: date | str | None = None,
                            limit: int = CONTACT_LIMIT, *, settings=None,
                            user_lang: str = "ja") -> list[Suggestion]:
    """One person's open suggestions, ranked, at most ``limit`` (introductions they would
    receive as the one asked to help are in the other person's list)."""
    return _for_contact(db, contact_id, today, limit, settings, user_lang)[0]


def _for_contact(db: Database, contact_id: int, today, limit: int, settings, user_lang: str
                 ) -> tuple[list[Suggestion], bool]:
    day = _today(today)
    # the popup's one suggestion (limit 1) runs with the collector on: switching it back on
    # after a short computation costs more than it saves; a whole list of a busy tie reads
    # thousands of facts, like today's list
    with _gc_paused() if limit > 1 else contextlib.nullcontext():
        cands, acted, had_needs = _candidates(db, day, CONTACT_WINDOWS, settings, contact_id)
        chosen = _ranked([c for c in cands if _visible(c, acted, day)])[:limit]
        return _draft(db, chosen, day, user_lang, settings), had_needs


def next_followup(db: Database, contact_id: int, today: date | str | None = None, *,
                  settings=None, user_lang: str = "ja") -> dict | None:
    """The contact's strongest suggestion, as the popup's summary shows it: ``{"key",
    "reason", "action", "why": {"ja", "en"}, "when", "draft": {"lang", "text"} | None,
    "missing": {"ja", "en"} | None}``; None when there is nothing to suggest. (next_kept.py
    keeps it between lookups.)"""
    return next_followup_and_needs(db, contact_id, today, settings=settings,
                                   user_lang=user_lang)[0]


def next_followup_and_needs(db: Database, contact_id: int, today: date | str | None = None, *,
                            settings=None, user_lang: str = "ja") -> tuple[dict | None, bool]:
    """``next_followup``, and whether the person stated a need (introductions then depend on
    other people's profiles too)."""
    found, had_needs = _for_contact(db, contact_id, today, 1, settings, user_lang)
    if not found:
        return None, had_needs
    first = found[0]
    draft = first.drafts[0] if first.drafts else None
    return ({"key": first.key, "reason": first.reason, "action": first.action,
             "why": first.why, "when": first.when,
             "draft": {"lang": draft.lang, "text": draft.text} if draft else None,
             "missing": first.missing}, had_needs)
