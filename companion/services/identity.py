"""Find or create the contact behind a profile, without ever duplicating a person.

A person is found by the canonical URL of the profile (companion.urls), so every variant of the
URL leads to the same contact. rel=me links are certain evidence too: a page that links to an
identity we know with rel=me belongs to that identity's contact, and the other rel=me profiles
are recorded as further identities of the person. Fuzzy matching and merge proposals across
sites are issue 9's; here only certain evidence is used.

All functions take an open write transaction's connection.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sqlite3
from dataclasses import dataclass

from companion.adapters.base import Profile
from companion.services.contacts import sort_key, write_fields
from companion.services.followup.changes import record_changes
from companion.services.followup.relationship import NEW_CONTACT_TIER
from companion.urls import CanonicalUrl, InvalidUrl, canonical_profile_url

# Fields copied from a captured Profile onto the contact, unless the user locked them.
PROFILE_FIELDS = ("display_name", "family_name", "given_name", "reading", "headline",
                  "organisation", "title", "location", "bio", "avatar_url")


@dataclass(frozen=True)
class Resolved:
    contact_id: int
    created: bool
    identity: CanonicalUrl


# Pure and often asked again for the same URL (an import canonicalises each row's URL in the
# importer and again here; a thread names the same participants in every message).
@functools.lru_cache(maxsize=1 << 14)
def canonical_or_none(url: str | None) -> CanonicalUrl | None:
    if not url:
        return None
    try:
        return canonical_profile_url(url)
    except InvalidUrl:
        return None


def profile_identity(profile: Profile, page_url: str | None) -> CanonicalUrl | None:
    """The identity a profile stands for: the URL the page states for the person, else the page's
    own URL. A URL that names a handle on a known site wins over a generic one."""
    candidates = [c for c in (canonical_or_none(profile.url), canonical_or_none(page_url)) if c]
    for candidate in candidates:
        if candidate.handle:
            return candidate
    return candidates[0] if candidates else None


def _find(conn: sqlite3.Connection, identity: CanonicalUrl) -> int | None:
    row = conn.execute("SELECT contact_id FROM identities WHERE platform = ? AND url = ?",
                       (identity.platform, identity.url)).fetchone()
    return row[0] if row else None


def career_json(profile: Profile) -> str | None:
    """The profile's positions, education and skills as stored, or None when it lists none."""
    if not (profile.positions or profile.education or profile.skills):
        return None
    return json.dumps({"positions": [dataclasses.asdict(p) for p in profile.positions],
                       "education": [dataclasses.asdict(e) for e in profile.education],
                       "skills": list(profile.skills)}, ensure_ascii=False)


def _create_contact(conn: sqlite3.Connection, profile: Profile, now: str,
                    captured_at: str | None = None) -> int:
    values = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    # A new contact starts in the proposed "wide" tier (followup/relationship.py) until the
    # interactions say more.
    cur = conn.execute(
        "INSERT INTO contacts (display_name, family_name, given_name, reading, headline,"
        " organisation, title, location, bio, avatar_url, career, sort_key, tier, tier_source,"
        " fields_captured_at, created_at, updated_at) VALUES (:display_name, :family_name,"
        " :given_name, :reading, :headline, :organisation, :title, :location, :bio, :avatar_url,"
        " :career, :sort_key, :tier, 'proposed', :captured_at, :now, :now)",
        {**values, "career": career_json(profile), "tier": NEW_CONTACT_TIER,
         "sort_key": sort_key(profile.display_name, profile.reading), "now": now,
         "captured_at": captured_at})
    return cur.lastrowid


def _update_contact(conn: sqlite3.Connection, contact_id: int, profile: Profile,
                    now: str, captured_at: str | None, capture_id: int | None = None) -> None:
    """Newer captures win, field by field, except where the page has nothing or the user
    edited the field by hand. An older capture read later only fills empty fields. A capture
    that replaces a title, organisation or location records a change fact
    (followup/changes.py)."""
    row = conn.execute("SELECT * FROM contacts WHERE id = ?", (contact_id,)).fetchone()
    locked = set(json.loads(row["locked_fields"]))
    older = bool(captured_at and row["fields_captured_at"]
                 and captured_at < row["fields_captured_at"])
    changes = {}
    for name in PROFILE_FIELDS:
        value = getattr(profile, name)
        if value and name not in locked and value != row[name] and not (older and row[name]):
            changes[name] = value
    career = career_json(profile)
    if career and career != row["career"] and not (older and row["career"]):
        changes["career"] = career
    if changes:
        write_fields(conn, row, changes, now, lock=False)
        if capture_id is not None:
            record_changes(conn, contact_id, capture_id, row, changes, captured_at)
    if captured_at and not older:
        conn.execute("UPDATE contacts SET fields_captured_at = ? WHERE id = ?",
                     (captured_at, contact_id))


def _record_identity(conn: sqlite3.Connection, contact_id: int, identity: CanonicalUrl,
                     display_name: str | None, now: str) -> None:
    conn.execute(
        "INSERT INTO identities (contact_id, platform, url, handle, display_name, first_seen_at,"
        " last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (platform, url) DO UPDATE SET last_seen_at = excluded.last_seen_at,"
        " display_name = COALESCE(excluded.display_name, identities.display_name),"
        " handle = COALESCE(excluded.handle, identities.handle)"
        " WHERE identities.contact_id = excluded.contact_id",
        (contact_id, identity.platform, identity.url, identity.handle, display_name, now, now))


def resolve_profile(conn: sqlite3.Connection, profile: Profile, page_url: str | None,
                    now: str, captured_at: str | None = None, *,
                    capture_id: int | None = None) -> Resolved:
    """The contact for this profile: found by its identity or a rel=me link, else created.
    ``capture_id``: the profile capture this comes from, for change facts (none for the
    participants of a thread, whose pages show little)."""
    identity = profile_identity(profile, page_url)
    if identity is None:
        raise InvalidUrl("the profile has no http(s) URL to know the person by")
    me_links = [c for c in map(canonical_or_none, profile.me_links) if c and c != identity]
    contact_id = _find(conn, identity)
    if contact_id is None:
        contact_id = next((cid for cid in (_find(conn, c) for c in me_links) if cid), None)
    created = contact_id is None
    if created:
        contact_id = _create_contact(conn, profile, now, captured_at)
    else:
        _update_contact(conn, contact_id, profile, now, captured_at, capture_id)
    _record_identity(conn, contact_id, identity, profile.display_name, now)
    for other in me_links:
        # Only claims not yet held by another contact: a claim held by someone else is a merge
        # question (issue 9). The link is kept as one of this person's web pages, so that the
        # duplicate pass (services/matching/proposals.py) sees two contacts sharing a profile
        # and merges them (or proposes it, when their names clearly differ).
        claimed = conn.execute(
            "INSERT INTO identities (contact_id, platform, url, handle, first_seen_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, url) DO NOTHING",
            (contact_id, other.platform, other.url, other.handle, now, now)).rowcount
        if not claimed and _find(conn, other) != contact_id:
            conn.execute(
                "INSERT INTO contact_details (contact_id, kind, value, value_norm, label, source,"
                " created_at) VALUES (?, 'url', ?, ?, 'rel=me', 'capture', ?)"
                " ON CONFLICT (contact_id, kind, value_norm) DO NOTHING",
                (contact_id, other.url, other.url, now))
    return Resolved(contact_id, created, identity)
