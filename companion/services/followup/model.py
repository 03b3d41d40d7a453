"""What the follow-up engine reads out of one message: facts, each resting on a span of text.

A fact's ``span`` is offsets into the original text (Python string indices, i.e. code points)
plus the text itself, so ``text[span.start:span.end] == span.text`` always holds.

Dates (docs in companion/services/followup/README.md):

* ``period`` is the stretch of days a date expression stands for ("来月" → the whole of next
  month, "next week" → next Monday..Friday, "Dec 3" → that one day), with the expression's span.
* ``due`` (promises and questions) is the period's *last* day: "来月飲みに行きましょう" is kept
  if it happens by the end of next month.
* ``event_date`` (events) is the period's *first* day: "来月から転職" starts on the 1st.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("promise", "question", "event", "interest")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Period:
    first: str          # ISO date
    last: str           # ISO date
    span: Span          # the date expression itself ("来週の金曜日までに" → "来週の金曜日")


@dataclass
class Fact:
    kind: str                       # promise | question | event | interest
    whose: str                      # me | them
    lang: str                       # ja | en
    span: Span
    label: str | None = None        # promise: commitment | proposal; question: question |
                                    # request; event: new_job, move, …; interest: None
    due: str | None = None          # promise / question: ISO date (the period's last day)
    event_date: str | None = None   # event: ISO date (the period's first day)
    period: Period | None = None
    terms: list[str] = field(default_factory=list)   # interest: topic terms
