"""What a suggestion is: who, why now, the facts it rests on, what to do, and a draft or what is
missing. Plain dataclasses; ``companion.model.to_dict`` turns them into the API's JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

# FactRef, FactSource and ContactRef use slots: today's list holds tens of thousands of them at
# once at 10,000 contacts, and an instance without a __dict__ is about half the size
# (bench/bench_memory.py). https://docs.python.org/3/library/dataclasses.html#dataclasses.dataclass


@dataclass(slots=True)
class FactSource:
    """Where a fact was said: a message or logged meeting (``interaction``), a note, or a
    change between two captures (``capture``, the newer one)."""

    type: str                     # interaction | note | capture
    id: int | None
    occurred_at: str | None = None


@dataclass(slots=True)
class FactRef:
    """A fact as a suggestion shows it: enough to quote it and to link to its source."""

    id: int
    contact_id: int
    kind: str                     # promise | question | event | change | interest
    whose: str                    # me | them
    label: str
    lang: str | None
    span: str                     # the text the fact rests on ('' for a change)
    due: str | None
    event_date: str | None
    stated_at: str
    status: str
    source: FactSource
    detail: dict = field(default_factory=dict)   # terms; field/old/new for a change
    said_in: str | None = None    # the message's direction (in / out / both); None: note, capture

    @property
    def terms(self) -> list[str]:
        terms = self.detail.get("terms") if isinstance(self.detail, dict) else None
        return [t for t in terms if isinstance(t, str)] if isinstance(terms, list) else []


@dataclass(slots=True)
class ContactRef:
    id: int
    name: str


@dataclass
class Draft:
    """A short message to ``contact_id`` in ``lang``, built from ``fact_ids``."""

    contact_id: int
    lang: str
    text: str
    fact_ids: list[int]


@dataclass
class Suggestion:
    key: str                      # stable across recomputation: done / snooze / dismiss use it
    contact: ContactRef
    reason: str                   # why-now kind, reasons.REASONS
    why: dict                     # {"ja": …, "en": …}
    action: str                   # reasons.ACTIONS
    score: float
    facts: list[FactRef]
    drafts: list[Draft]           # empty when nothing is known to write from: see ``missing``
    missing: dict | None          # {"ja", "en"}: what to add so that a draft can be written
    when: str | None = None       # the date that makes it "now" (due, event, cadence date)
    other: ContactRef | None = None   # introductions: the second person
