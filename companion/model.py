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
