"""Dataclasses the services return and every layer (API, CLI, web view, native host) shares.

What adapters return (Profile, Thread, …) lives in companion/adapters/base.py.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


def to_dict(obj: Any) -> Any:
    return dataclasses.asdict(obj) if dataclasses.is_dataclass(obj) else obj


@dataclass
class IdentityInfo:
    platform: str
    url: str
    handle: str | None


@dataclass
class LastInteraction:
    occurred_at: str
    platform: str
    direction: str          # in | out | both
    kind: str
    snippet: str | None


@dataclass
class OpenPromise:
    """An open promise as the popup lists it (issue 6)."""

    id: int                 # the fact's id (PATCH /api/v1/facts/<id>)
    text: str               # the span it rests on
    whose: str              # me | them
    due: str | None         # ISO date, or None when no date was stated


@dataclass
class ContactSummary:
    """What the popup shows for a person."""

    id: int
    display_name: str
    reading: str | None
    headline: str | None
    organisation: str | None
    avatar_url: str | None
    identities: list[IdentityInfo]
    last_interaction: LastInteraction | None
    note_count: int
    tags: list[str]
    # the relationship (issue 6): open promises (mine first, soonest due first, at most 3),
    # the tier (inner / close / active / wide / dormant) and the last exchange that got an answer
    open_promises: list[OpenPromise] = field(default_factory=list)
    tier: str | None = None
    last_two_way_at: str | None = None
    # the strongest suggestion (followup.suggest.next_followup); filled by lookup and the
    # contact's own page only: a list of 200 summaries does not draft 200 messages
    next_followup: dict | None = None


@dataclass
class ContactDetail(ContactSummary):
    family_name: str | None = None
    given_name: str | None = None
    title: str | None = None
    location: str | None = None
    bio: str | None = None
    locked_fields: list[str] = field(default_factory=list)
    career: dict | None = None       # {"positions": [...], "education": [...], "skills": [...]}
    interaction_count: int = 0
    created_at: str = ""
    updated_at: str = ""
    tier_source: str | None = None   # proposed (from the interaction pattern) | user
    purpose: str | None = None       # why this relationship matters to the user
    offer: str | None = None         # what the user can offer them
    shared_interests: list[str] = field(default_factory=list)   # theirs the user shares too


@dataclass
class ContactPage:
    contacts: list[ContactSummary]
    next_cursor: str | None


@dataclass
class Lookup:
    known: bool
    contact: ContactSummary | None
    canonical_url: str
    platform: str


@dataclass
class Note:
    id: int
    contact_id: int
    body: str
    created_at: str
    updated_at: str


@dataclass
class Interaction:
    id: int
    contact_id: int
    platform: str
    kind: str
    direction: str
    occurred_at: str
    text: str | None
    thread_key: str | None
    external_id: str | None
    created_at: str


@dataclass
class CaptureResult:
    """The answer to one capture. ``status`` is parsed or needs_attention."""

    capture_id: int
    status: str
    kind: str | None
    adapter: str | None
    contact: ContactSummary | None
    new_interactions: int = 0
    duplicate: bool = False          # the very same page was saved before
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    people: int = 0                  # contacts read from a list page (kind "people")


@dataclass
class CaptureInfo:
    """A kept capture, for the capture-health list (never its HTML)."""

    id: int
    url: str
    kind: str
    title: str | None
    captured_at: str
    status: str
    adapter_id: str | None
    adapter_version: str | None
    error: str | None
    warnings: list[str]
    contact_id: int | None


@dataclass
class CaptureList:
    captures: list[CaptureInfo]
    next_before: int | None          # pass as ?before= for the next page


# -- the follow-up engine's store (issue 6) --------------------------------------------------------

@dataclass
class FactSpan:
    start: int
    end: int
    text: str


@dataclass
class FactSource:
    """Where a fact comes from: a message or hand-logged interaction, a note, or a capture that
    changed a profile field."""

    type: str                   # interaction | note | capture
    id: int | None              # the interaction's, note's or capture's id
    occurred_at: str | None     # when it was said / written / captured
    platform: str | None        # the interaction's platform, the capture's adapter; None: note
    snippet: str | None         # the text around the span, at most 140 characters


@dataclass
class FactInfo:
    id: int
    contact_id: int
    kind: str                   # promise | question | event | change | interest
    whose: str                  # me | them
    label: str | None           # commitment / proposal / question / request / new_job / title…
    lang: str | None
    span: FactSpan | None       # None for a change between captures
    due: str | None
    event_date: str | None
    detail: dict                # terms, period, or field / old / new for a change
    status: str                 # open | kept | answered | done | dismissed
    status_at: str | None
    status_source: str | None   # user, or interaction:<id> that kept or answered it
    stated_at: str
    source: FactSource


@dataclass
class LedgerEntry:
    id: int
    contact_id: int
    flow: str                   # given | received
    kind: str                   # help | introduction | information | other
    text: str | None
    fact_id: int | None         # the kept promise it was recorded from
    note_id: int | None         # the note it was read from (source note), or the user named
    occurred_at: str
    created_at: str
    source: str = "user"        # user (by hand) | promise (fact_id) | note (read from note_id)


@dataclass
class Ledger:
    entries: list[LedgerEntry]  # newest first
    given: int
    received: int
