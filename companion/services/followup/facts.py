"""``analyze_message``: the facts one message states, each with the span it rests on.

The message is read sentence by sentence, each with the Japanese or the English rules (by its
script, unless ``lang`` is given). ``change`` facts are not read here: a change is found by
comparing successive captures of a profile, not from one message.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from companion.services.followup import events, interests, needs, promises, questions
from companion.services.followup.dates import DateMention, find_dates, resolve
from companion.services.followup.hits import Hit
from companion.services.followup.lang import LANGS
from companion.services.followup.model import Fact, Period, Span
from companion.services.followup.morph import tokens
from companion.services.followup.text import Sentence, en_clauses, sentences, working_copy

DIRECTIONS = ("in", "out")


def local_day(sent_at: str | datetime) -> date:
    """The calendar day the message was sent on, in the sender's own time zone (the offset of
    ``sent_at``; a time without one is taken as UTC)."""
    moment = datetime.fromisoformat(sent_at.strip()) if isinstance(sent_at, str) else sent_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.date()


def analyze_message(text: str, direction: str, sent_at: str | datetime,
                    lang: str | None = None) -> list[Fact]:
    """Promises, questions, events and interests in one message, in text order.

    ``direction`` is ``out`` when the user wrote the message (its promises and questions are the
    user's, ``whose = "me"``) and ``in`` when the contact did (``whose = "them"``).
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be 'in' or 'out', not {direction!r}")
    if lang is not None and lang not in LANGS:
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    today = local_day(sent_at)
    writer, reader = ("me", "them") if direction == "out" else ("them", "me")
    work = working_copy(text)
    found = sentences(work, lang)
    facts: list[Fact] = []
    for sentence in found:
        read = _read_ja if sentence.lang == "ja" else _read_en
        memo: dict = {}   # dates and tense per scope, read once however many facts share it
        for kind, hit in read(sentence):
            facts.append(_fact(kind, hit, text, sentence, today,
                               reader if hit.other else writer, memo))
    open_copy: str | None = None   # interests read quoted titles too: a copy that keeps quotes
    asked = [f.span for f in facts if f.kind == "question"]
    for sentence in found:
        if open_copy is None:
            open_copy = working_copy(text, mask_quotes=False)
        for fact in _interest(sentence, open_copy, text, writer):
            # "Do you know anyone good at Rust?": the question carries the need already
            if fact.label == "need" and any(q.start < fact.span.end and fact.span.start < q.end
                                            for q in asked):
                continue
            facts.append(fact)
    facts.sort(key=lambda f: (f.span.start, _KIND_ORDER[f.kind]))
    return _unique(facts)


def _unique(facts: list[Fact]) -> list[Fact]:
    """One fact per kind, whose, label and span (two rules may find the same promise)."""
    seen, out = set(), []
    for fact in facts:
        key = (fact.kind, fact.whose, fact.label, fact.span.start, fact.span.end)
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out


_KIND_ORDER = {"question": 0, "promise": 1, "event": 2, "interest": 3}


# -- per language ---------------------------------------------------------------------------------

def _read_ja(sentence: Sentence):
    toks = tokens(sentence.text)
    whole = (sentence.start, sentence.end)
    label = questions.ja_question(sentence.text, toks)
    if label:
        yield "question", Hit(*whole, sentence.start, label, whole)
    for offset, label in promises.ja_promises(sentence, toks):
        yield "promise", Hit(*whole, sentence.start + offset, label, whole)
    if label:   # ランチでもいかがですか: an invitation without a verb
        noun = promises.ja_invitation_by_noun(sentence.text)
        if noun is not None:
            yield "promise", Hit(*whole, sentence.start + noun, "proposal", whole)
    for offset, label, other in events.ja_events(sentence.text):
        yield "event", Hit(*whole, sentence.start + offset, label, whole, other)


def _read_en(sentence: Sentence):
    whole = (sentence.start, sentence.end)
    question = questions.en_question(sentence.text)
    if question:
        yield "question", Hit(*whole, sentence.start, question, whole)
    for start, end in en_clauses(sentence):
        clause = sentence.text[start - sentence.start:end - sentence.start]
        has_date = bool(find_dates(clause, "en"))
        for offset, label in promises.en_promises(clause, has_date, bool(question)):
            yield "promise", Hit(start, end, start + offset, label, (start, end))
        for offset, label, other in events.en_events(clause):
            yield "event", Hit(start, end, start + offset, label, (start, end), other)


def _interest(sentence: Sentence, open_copy: str, text: str, writer: str) -> list[Fact]:
    body = open_copy[sentence.start:sentence.end]
    need = needs.need_in(body)
    if need:   # "we're looking for a designer": an interest in finding one (needs.py)
        return [Fact("interest", writer, sentence.lang,
                     _span(text, sentence.start, sentence.end), label="need", terms=[need])]
    if sentence.lang == "ja":
        if not interests.JA_CUE.search(body):
            return []
        found = interests.ja_interest(body, tokens(body))
    else:
        found = interests.en_interest(body)
    if not found:
        return []
    _, terms = found
    return [Fact("interest", writer, sentence.lang, _span(text, sentence.start, sentence.end),
                 terms=terms)]


# -- building a fact ------------------------------------------------------------------------------

_PAST_EN = re.compile(r"\b(?:was|were|got|had|did|went|came|gave|spoke|welcomed)\b"
                      r"|(?<!\bis )(?<!\bare )(?<!\bam )(?<!\bbe )(?<!\bbeen )(?<!'s )(?<!'re )"
                      r"\b\w+ed\b", re.I)
_FUTURE_EN = re.compile(r"\b(?:will|'ll|going\s+to|gonna|next|coming|upcoming|planned|scheduled"
                        r"|expected|due|comes?\s+out|starts?|begins?|kicks?\s+off|goes\s+live)\b"
                        r"|\b(?:'re|are|am|'m|is)\s+\w+ing\b", re.I)
_PAST_JA = re.compile(r"(?:ました|でした|た)(?:[。！!]|よ|ね|$)")
_FUTURE_JA = re.compile(r"ことにな|こととな|予定|決ま|ます(?:[。！!]|よ|ね|$)|する(?:[。！!]|よ|ね|$)")


def _tense(text: str, lang: str) -> str | None:
    """Future or past, roughly, for choosing between the last and the next "Tuesday" or
    "October" of an event. Japanese announcements use the past for decided future events
    (転職することになりました), so those read as future."""
    if lang == "ja":
        if _FUTURE_JA.search(text):
            return "future"
        return "past" if _PAST_JA.search(text) else None
    if _FUTURE_EN.search(text):
        return "future"
    return "past" if _PAST_EN.search(text) else None


def _scope(hit: Hit, sentence: Sentence, memo: dict) -> tuple[list[DateMention], str | None]:
    if hit.scope not in memo:
        scope_text = sentence.text[hit.scope[0] - sentence.start:hit.scope[1] - sentence.start]
        mentions = [DateMention(m.start + hit.scope[0], m.end + hit.scope[0], m.resolve)
                    for m in find_dates(scope_text, sentence.lang)]
        memo[hit.scope] = (mentions, _tense(scope_text, sentence.lang) if mentions else None)
    return memo[hit.scope]


def _period(kind: str, hit: Hit, sentence: Sentence, text: str, today: date, memo: dict
            ) -> tuple[Period, date, date] | None:
    mentions, scope_tense = _scope(hit, sentence, memo)
    if not mentions:
        return None
    before = [m for m in mentions if m.end <= hit.anchor]
    after = [m for m in mentions if m.start >= hit.anchor]
    across = [m for m in mentions if m.start < hit.anchor < m.end]
    # Japanese puts the date before the verb, English after it (the last one: "review it tonight
    # and send comments tomorrow" is due tomorrow).
    if sentence.lang == "ja":
        order = before[::-1] + after + across
    else:
        order = after[::-1] + before[::-1] + across
    tense = scope_tense if kind == "event" else None
    # Events follow the tense (dates.py): the next date for the future, the last one (or one
    # starting within a month) for the past, else the nearest.
    if kind != "event" or tense == "future":
        prefer = "future"
    else:
        prefer = "recent" if tense == "past" else "nearest"
    for mention in order:
        found = resolve(mention, today, prefer, tense)
        if found is None:
            continue
        first, last = found
        if kind != "event" and last < today:   # a promise is not due in the past
            continue
        return Period(first.isoformat(), last.isoformat(),
                      _span(text, mention.start, mention.end)), first, last
    return None


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _fact(kind: str, hit: Hit, text: str, sentence: Sentence, today: date, whose: str,
          memo: dict) -> Fact:
    fact = Fact(kind, whose, sentence.lang, _span(text, hit.start, hit.end), label=hit.label)
    found = _period(kind, hit, sentence, text, today, memo)
    if found:
        fact.period, first, last = found
        if kind == "event":
            fact.event_date = first.isoformat()
        else:
            fact.due = last.isoformat()
    return fact
