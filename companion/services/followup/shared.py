"""Interests shared with the user: what the user and a contact both care about.

The user's own side is read from what Goen knows of the user: interest facts of messages the
user wrote ("I've been into bouldering", ``whose = 'me'``), and the headline, bio and career
skills of the user's own profiles when they were saved as contacts (``GOEN_MY_PROFILES``
names them). The contact's side: their interest facts (not needs) and career skills.
Terms are compared NFKC-normalised and case-folded, whole.

A shared interest is the first thing a reconnecting draft recalls (drafts.pick_memory), and
the contact's page lists them (``shared_interests``).
"""

from __future__ import annotations

import json
import weakref

from companion.db import Database
from companion.services.followup.drafts_things import good_term, norm
from companion.services.followup.interests import topic_terms
from companion.services.followup.lang import detect_lang
from companion.urls import InvalidUrl, canonical_profile_url

MY_FACTS_READ = 2000   # the user's newest interest statements: plenty, and bounded


def _fact_terms(rows) -> list[str]:
    terms: list[str] = []
    for (detail,) in rows:
        try:
            found = json.loads(detail or "{}").get("terms") or []
        except (ValueError, AttributeError):
            found = []
        terms += [t for t in found if isinstance(t, str)]
    return terms


def _skills(career: str | None) -> list[str]:
    try:
        data = json.loads(career) if career else {}
    except ValueError:
        return []
    skills = data.get("skills") if isinstance(data, dict) else None
    return [s for s in skills or [] if isinstance(s, str)]


def my_contact_ids(db: Database, my_profiles) -> list[int]:
    """Contacts that are the user (their profile URL is one of ``my_profiles``)."""
    urls = []
    for url in my_profiles or ():
        try:
            urls.append(canonical_profile_url(url).url)
        except InvalidUrl:
            continue
    if not urls:
        return []
    marks = ",".join("?" * len(urls))
    return [r[0] for r in db.query_all(
        f"SELECT DISTINCT contact_id FROM identities WHERE url IN ({marks})", urls)]


_CACHE: "weakref.WeakKeyDictionary[Database, tuple[tuple, dict[str, str]]]" = \
    weakref.WeakKeyDictionary()


def my_interests(db: Database, my_profiles=()) -> dict[str, str]:
    """The user's interest terms: normalised → as written. Kept per database until the user
    states a new interest or their own profile changes (every draft computation asks)."""
    mine = my_contact_ids(db, my_profiles)
    stamp = _stamp(db, mine, my_profiles)
    cached = _CACHE.get(db)
    if cached and cached[0] == stamp:
        return cached[1]
    found = _read_my_interests(db, mine)
    _CACHE[db] = (stamp, found)
    return found


def _stamp(db: Database, mine: list[int], my_profiles) -> tuple:
    marks = ",".join("?" * len(mine)) or "NULL"
    return tuple(db.query_one(
        "SELECT (SELECT MAX(id) FROM facts WHERE kind = 'interest' AND whose = 'me'),"
        " (SELECT COUNT(*) FROM facts WHERE kind = 'interest' AND whose = 'me'"
        "  AND status = 'dismissed'),"
        f" (SELECT MAX(updated_at) FROM contacts WHERE id IN ({marks}))", mine)) + (
        tuple(my_profiles or ()),)


def my_interests_stamp(db: Database, my_profiles=()) -> list:
    """What the user's interests were read from (changes when they change)."""
    found = _stamp(db, my_contact_ids(db, my_profiles), my_profiles)
    return [*found[:3], list(found[3])]   # as JSON gives it back: lists, not tuples


def _read_my_interests(db: Database, mine: list[int]) -> dict[str, str]:
    terms = _fact_terms(db.query_all(
        "SELECT detail FROM facts WHERE kind = 'interest' AND whose = 'me'"
        " AND label IS NOT 'need' AND status != 'dismissed' ORDER BY id DESC LIMIT ?",
        (MY_FACTS_READ,)))
    for contact_id in mine:
        row = db.query_one("SELECT headline, bio, career FROM contacts WHERE id = ?",
                           (contact_id,))
        for text in (row["headline"], row["bio"]):
            if text:
                terms += topic_terms(text, detect_lang(text))
        terms += _skills(row["career"])
    # only terms worth naming: "good" or "know anyone" read out of a sentence is no interest
    return {norm(t): t for t in reversed(terms) if len(norm(t)) >= 2 and good_term(t)}


def their_interests(db: Database, contact_id: int) -> list[str]:
    terms = _fact_terms(db.query_all(
        "SELECT detail FROM facts WHERE contact_id = ? AND kind = 'interest' AND whose = 'them'"
        " AND label IS NOT 'need' AND status != 'dismissed' ORDER BY stated_at DESC",
        (contact_id,)))
    row = db.query_one("SELECT career FROM contacts WHERE id = ?", (contact_id,))
    return terms + (_skills(row["career"]) if row else [])


def shared_interests(db: Database, contact_id: int, my_profiles=(),
                     mine: dict[str, str] | None = None) -> list[str]:
    """Their interest terms the user shares, as they wrote them, newest first, each once."""
    if contact_id in my_contact_ids(db, my_profiles):
        return []
    mine = my_interests(db, my_profiles) if mine is None else mine
    found: dict[str, str] = {}
    for term in their_interests(db, contact_id):
        key = norm(term)
        if key in mine and key not in found:
            found[key] = term
    return list(found.values())
