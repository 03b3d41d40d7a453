"""Reading and editing contacts: summaries, lookup by URL, search with cursor paging, notes,
hand-logged interactions, the relationship (tier, purpose, offer), deletion."""

from __future__ import annotations

import base64
import json
import sqlite3
from dataclasses import dataclass

from companion.db import Database, utc_now
from companion.errors import bad_request, not_found
from companion.services.timeparse import parse_timestamp
from companion.model import (ContactDetail, ContactPage, ContactSummary, IdentityInfo,
                             Interaction, LastInteraction, Lookup, Note, OpenPromise)
from companion.services.followup import next_kept, relationship, updates as followup
from companion.urls import InvalidUrl, canonical_profile_url

SNIPPET_CHARS = 140
EDITABLE_FIELDS = ("display_name", "family_name", "given_name", "reading", "headline",
                   "organisation", "title", "location", "bio", "avatar_url")
FIELD_MAX_CHARS = {"bio": 5000, "text": 20_000, "purpose": 2000, "offer": 2000}
DEFAULT_FIELD_MAX_CHARS = 500
MAX_TAGS = 50
MAX_TAG_CHARS = 60
MAX_NOTE_CHARS = 20_000
MAX_PAGE = 200
RELATIONSHIP_FIELDS = ("tier", "purpose", "offer")
OPEN_PROMISES_SHOWN = 3


def sort_key(display_name: str, reading: str | None) -> str:
    return (reading or display_name).strip().casefold()


def snippet(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


# -- reading --------------------------------------------------------------------------------------

def open_promises(db: Database, contact_ids: list[int]) -> dict[int, list[OpenPromise]]:
    """Each contact's open promises as the summary shows them: mine first, then the soonest due
    (undated last), then the newest; at most three each. One query for a whole page."""
    if not contact_ids:
        return {}
    marks = ",".join("?" * len(contact_ids))
    rows = db.query_all(
        "SELECT contact_id, id, span_text, whose, due FROM ("
        " SELECT contact_id, id, span_text, whose, due, ROW_NUMBER() OVER ("
        "  PARTITION BY contact_id ORDER BY whose = 'me' DESC, due IS NULL, due,"
        "  stated_at DESC, id DESC) AS n"
        f" FROM facts WHERE contact_id IN ({marks}) AND status = 'open' AND kind = 'promise')"
        f" WHERE n <= {OPEN_PROMISES_SHOWN} ORDER BY contact_id, n", contact_ids)
    found: dict[int, list[OpenPromise]] = {}
    for r in rows:
        found.setdefault(r["contact_id"], []).append(
            OpenPromise(r["id"], r["span_text"] or "", r["whose"], r["due"]))
    return found


def _summary_fields(db: Database, row: sqlite3.Row,
                    promises: list[OpenPromise] | None = None) -> dict:
    contact_id = row["id"]
    identities = [IdentityInfo(r["platform"], r["url"], r["handle"]) for r in db.query_all(
        "SELECT platform, url, handle FROM identities WHERE contact_id = ? ORDER BY id",
        (contact_id,))]
    last = db.query_one(
        "SELECT occurred_at, platform, direction, kind, text FROM interactions"
        " WHERE contact_id = ? ORDER BY occurred_at DESC, id DESC LIMIT 1", (contact_id,))
    note_count = db.query_one("SELECT COUNT(*) FROM notes WHERE contact_id = ?",
                              (contact_id,))[0]
    tags = [r[0] for r in db.query_all(
        "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
        " WHERE ct.contact_id = ? ORDER BY t.name COLLATE NOCASE", (contact_id,))]
    return dict(
        id=contact_id, display_name=row["display_name"], reading=row["reading"],
        headline=row["headline"], organisation=row["organisation"],
        avatar_url=row["avatar_url"], identities=identities,
        last_interaction=LastInteraction(last["occurred_at"], last["platform"],
                                         last["direction"], last["kind"],
                                         snippet(last["text"])) if last else None,
        note_count=note_count, tags=tags,
        open_promises=(open_promises(db, [contact_id]).get(contact_id, []) if promises is None
                       else promises),
        tier=row["tier"], last_two_way_at=row["last_two_way_at"])


def _contact_row(db: Database, contact_id: int) -> sqlite3.Row:
    row = db.query_one("SELECT * FROM contacts WHERE id = ?", (contact_id,))
    if row is None:
        raise not_found(f"No contact with id {contact_id}.")
    return row


def get_summary(db: Database, contact_id: int) -> ContactSummary:
    return ContactSummary(**_summary_fields(db, _contact_row(db, contact_id)))


def get_detail(db: Database, contact_id: int) -> ContactDetail:
    row = _contact_row(db, contact_id)
    count = db.query_one("SELECT COUNT(*) FROM interactions WHERE contact_id = ?",
                         (contact_id,))[0]
    return ContactDetail(
        **_summary_fields(db, row), family_name=row["family_name"],
        given_name=row["given_name"], title=row["title"], location=row["location"],
        bio=row["bio"], locked_fields=json.loads(row["locked_fields"]),
        career=json.loads(row["career"]) if row["career"] else None,
        interaction_count=count, created_at=row["created_at"], updated_at=row["updated_at"],
        tier_source=row["tier_source"], purpose=row["purpose"], offer=row["offer"])


def with_next_followup(db: Database, contact: ContactSummary, *, today=None, settings=None,
                       user_lang: str = "ja") -> ContactSummary:
    """The summary with its strongest suggestion filled in (the popup and the person's page)."""
    contact.next_followup = next_kept.next_followup(db, contact.id, today, settings=settings,
                                                    user_lang=user_lang)
    return contact


def lookup(db: Database, url: str, *, with_followup: bool = False, today=None, settings=None,
           user_lang: str = "ja") -> Lookup:
    """Who is the person at this URL? Any variant of their profile URL finds them.
    ``with_followup``: also their next suggestion (``with_next_followup``)."""
    try:
        canonical = canonical_profile_url(url)
    except InvalidUrl as exc:
        raise bad_request(str(exc), "url") from None
    row = db.query_one("SELECT contact_id FROM identities WHERE platform = ? AND url = ?",
                       (canonical.platform, canonical.url))
    contact = get_summary(db, row["contact_id"]) if row else None
    if contact is not None and with_followup:
        with_next_followup(db, contact, today=today, settings=settings, user_lang=user_lang)
    return Lookup(known=contact is not None, contact=contact, canonical_url=canonical.url,
                  platform=canonical.platform)


@dataclass(frozen=True)
class _Cursor:
    sort_key: str
    id: int

    def encode(self) -> str:
        raw = json.dumps([self.sort_key, self.id], ensure_ascii=False).encode("utf-8")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "_Cursor":
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            key, ident = json.loads(raw)
            if not isinstance(key, str) or not isinstance(ident, int):
                raise ValueError
        except (ValueError, TypeError):
            raise bad_request("The cursor is not one this server gave out.", "cursor") from None
        return cls(key, ident)


def list_contacts(db: Database, query: str | None = None, cursor: str | None = None,
                  limit: int = 50) -> ContactPage:
    """Contacts in name order (by reading where known), ``limit`` at a time.

    ``query`` matches name, reading, headline, organisation and handles (substring, case-blind).
    Full-text search with FTS5 comes with the web view's contacts page.
    """
    if not 1 <= limit <= MAX_PAGE:
        raise bad_request(f"limit must be between 1 and {MAX_PAGE}.", "limit")
    where, params = [], []
    if query:
        if len(query) > 200:
            raise bad_request("The search text is too long (200 characters at most).", "q")
        like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            "(c.display_name LIKE ?1 ESCAPE '\\' OR c.reading LIKE ?1 ESCAPE '\\'"
            " OR c.headline LIKE ?1 ESCAPE '\\' OR c.organisation LIKE ?1 ESCAPE '\\'"
            " OR EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.id"
            "            AND i.handle LIKE ?1 ESCAPE '\\'))")
        params.append(like)
    if cursor:
        after = _Cursor.decode(cursor)
        n = len(params)
        where.append(f"(c.sort_key, c.id) > (?{n + 1}, ?{n + 2})")
        params += [after.sort_key, after.id]
    sql = "SELECT c.* FROM contacts c"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY c.sort_key, c.id LIMIT {limit + 1}"
    rows = db.query_all(sql, params)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _Cursor(rows[-1]["sort_key"], rows[-1]["id"]).encode() if more else None
    promises = open_promises(db, [r["id"] for r in rows])
    return ContactPage([ContactSummary(**_summary_fields(db, r, promises.get(r["id"], [])))
                        for r in rows], next_cursor)


# -- editing --------------------------------------------------------------------------------------

def _clean_text(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string or null.", name)
    value = value.strip()
    limit = FIELD_MAX_CHARS.get(name, DEFAULT_FIELD_MAX_CHARS)
    if len(value) > limit:
        raise bad_request(f"{name} is too long ({limit} characters at most).", name)
    return value or None


def _clean_tags(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise bad_request("tags must be a list of strings.", "tags")
    tags, seen = [], set()
    for tag in value:
        tag = " ".join(tag.split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_CHARS:
            raise bad_request(f"A tag is too long ({MAX_TAG_CHARS} characters at most).", "tags")
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise bad_request(f"Too many tags ({MAX_TAGS} at most).", "tags")
    return tags


def set_tags(db: Database, contact_id: int, tags: list[str]) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM contact_tags WHERE contact_id = ?", (contact_id,))
        for tag in tags:
            conn.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
                         (tag,))
            conn.execute(
                "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)"
                " SELECT ?, id FROM tags WHERE name = ?", (contact_id, tag))


def write_fields(conn: sqlite3.Connection, row: sqlite3.Row, values: dict, now: str, *,
                 lock: bool) -> None:
    """Write contact fields (keeping sort_key in step); ``lock`` marks them edited by hand."""
    merged = {**dict(row), **values}
    params = {**values, "sort_key": sort_key(merged["display_name"], merged["reading"]),
              "now": now, "id": row["id"]}
    assignments = [f"{name} = :{name}" for name in values] + ["sort_key = :sort_key",
                                                              "updated_at = :now"]
    if lock:
        params["locked"] = json.dumps(sorted(set(json.loads(row["locked_fields"])) | set(values)))
        assignments.append("locked_fields = :locked")
    conn.execute(f"UPDATE contacts SET {', '.join(assignments)} WHERE id = :id", params)


def _relationship_values(changes: dict) -> dict:
    """``tier`` (one of the tiers, or null to return to the proposed one), ``purpose`` and
    ``offer`` (text or null)."""
    values = {}
    if "tier" in changes:
        tier = changes["tier"]
        if tier is not None and tier not in relationship.TIERS:
            raise bad_request(f"tier must be one of {', '.join(relationship.TIERS)}, or null.",
                              "tier")
        values["tier"] = tier
    for name in ("purpose", "offer"):
        if name in changes:
            values[name] = _clean_text(name, changes[name])
    return values


def _write_relationship(conn: sqlite3.Connection, contact_id: int, values: dict) -> None:
    conn.execute("UPDATE contacts SET updated_at = ? WHERE id = ?", (utc_now(), contact_id))
    if "tier" in values:
        if values["tier"] is None:   # back to what the interactions propose
            conn.execute("UPDATE contacts SET tier_source = 'proposed' WHERE id = ?",
                         (contact_id,))
            relationship.refresh_relationship(conn, contact_id)
        else:
            conn.execute("UPDATE contacts SET tier = ?, tier_source = 'user' WHERE id = ?",
                         (values["tier"], contact_id))
    for name in ("purpose", "offer"):
        if name in values:
            conn.execute(f"UPDATE contacts SET {name} = ? WHERE id = ?",
                         (values[name], contact_id))


def update_contact(db: Database, contact_id: int, changes: object) -> ContactDetail:
    """Edit fields by hand. An edited field is locked: later captures no longer overwrite it.
    ``tier`` (null: back to the proposed tier), ``purpose`` and ``offer`` are the user's own."""
    if not isinstance(changes, dict) or not changes:
        raise bad_request("Send a JSON object with the fields to change.")
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"tags"} - set(RELATIONSHIP_FIELDS)
    if unknown:
        raise bad_request(f"Fields that cannot be changed: {', '.join(sorted(unknown))}.",
                          sorted(unknown)[0])
    values = {name: _clean_text(name, changes[name]) for name in EDITABLE_FIELDS
              if name in changes}
    if "display_name" in values and not values["display_name"]:
        raise bad_request("display_name cannot be empty.", "display_name")
    tags = _clean_tags(changes["tags"]) if "tags" in changes else None
    relation = _relationship_values(changes)
    with db.transaction() as conn:
        row = _contact_row(db, contact_id)
        if values:
            write_fields(conn, row, values, utc_now(), lock=True)
        if tags is not None:
            set_tags(db, contact_id, tags)
        if relation:
            _write_relationship(conn, contact_id, relation)
    return get_detail(db, contact_id)


def delete_contact(db: Database, contact_id: int) -> None:
    """Remove the person and everything derived from them (identities, interactions, captures,
    notes, tag links, facts, ledger, suggestion actions): the schema's ON DELETE CASCADE does
    it in one statement."""
    with db.transaction() as conn:
        _contact_row(db, contact_id)
        conn.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))


def add_note(db: Database, contact_id: int, body: object) -> Note:
    if not isinstance(body, str) or not body.strip():
        raise bad_request("body must be a non-empty string.", "body")
    if len(body) > MAX_NOTE_CHARS:
        raise bad_request(f"body is too long ({MAX_NOTE_CHARS} characters at most).", "body")
    now = utc_now()
    with db.transaction() as conn:
        _contact_row(db, contact_id)
        cur = conn.execute(
            "INSERT INTO notes (contact_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (contact_id, body.strip(), now, now))
        followup.after_note(conn, cur.lastrowid)
    row = db.query_one("SELECT * FROM notes WHERE id = ?", (cur.lastrowid,))
    return Note(**dict(row))


def list_notes(db: Database, contact_id: int) -> list[Note]:
    """A contact's notes, newest first (the web view's person page)."""
    _contact_row(db, contact_id)
    return [Note(**dict(r)) for r in db.query_all(
        "SELECT * FROM notes WHERE contact_id = ? ORDER BY created_at DESC, id DESC",
        (contact_id,))]


def _note_row(db: Database, note_id: int) -> sqlite3.Row:
    row = db.query_one("SELECT * FROM notes WHERE id = ?", (note_id,))
    if row is None:
        raise not_found(f"No note with id {note_id}.")
    return row


def update_note(db: Database, note_id: int, body: object) -> Note:
    """Replace a note's text (the web view; the API has no note editing yet). The note is read
    again like a new one (updates.after_note): its ledger entries are replaced; facts, like all
    facts, are only added, so a fact read from the old text stays until the user closes it."""
    if not isinstance(body, str) or not body.strip():
        raise bad_request("body must be a non-empty string.", "body")
    if len(body) > MAX_NOTE_CHARS:
        raise bad_request(f"body is too long ({MAX_NOTE_CHARS} characters at most).", "body")
    with db.transaction() as conn:
        _note_row(db, note_id)
        conn.execute("UPDATE notes SET body = ?, updated_at = ? WHERE id = ?",
                     (body.strip(), utc_now(), note_id))
        followup.after_note(conn, note_id)
    return Note(**dict(_note_row(db, note_id)))


def delete_note(db: Database, note_id: int) -> int:
    """Remove a note (its facts and the ledger entries read from it go with it: ON DELETE
    CASCADE and the trigger of migration 0006); returns the contact's id."""
    with db.transaction() as conn:
        row = _note_row(db, note_id)
        conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
    return row["contact_id"]


MANUAL_KINDS = ("meeting", "call", "event", "email", "message", "other")
DIRECTIONS = ("in", "out", "both")


def add_manual_interaction(db: Database, contact_id: int, data: object) -> Interaction:
    """A meeting, call or event the user logs by hand. Its text is read for facts, and it may
    keep a proposal or answer a question (services/followup/updates.py)."""
    if not isinstance(data, dict):
        raise bad_request("Send a JSON object.")
    kind = data.get("kind", "meeting")
    if kind not in MANUAL_KINDS:
        raise bad_request(f"kind must be one of {', '.join(MANUAL_KINDS)}.", "kind")
    direction = data.get("direction", "both")
    if direction not in DIRECTIONS:
        raise bad_request(f"direction must be one of {', '.join(DIRECTIONS)}.", "direction")
    occurred_at = parse_timestamp(data.get("occurred_at"), "occurred_at", default_now=True)
    text = _clean_text("text", data.get("text"))
    platform = data.get("platform", "offline")
    if not isinstance(platform, str) or not platform or len(platform) > 40:
        raise bad_request("platform must be a short string.", "platform")
    now = utc_now()
    with db.transaction() as conn:
        _contact_row(db, contact_id)
        cur = conn.execute(
            "INSERT INTO interactions (contact_id, platform, kind, direction, occurred_at, text,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (contact_id, platform, kind, direction, occurred_at, text, now))
        followup.after_interactions(conn, [cur.lastrowid])
    row = db.query_one("SELECT * FROM interactions WHERE id = ?", (cur.lastrowid,))
    return Interaction(**{k: row[k] for k in Interaction.__dataclass_fields__})


