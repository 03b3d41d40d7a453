"""Saving what the extension captured: keep the raw page first, then read it.

1. The raw HTML is written (zlib-compressed) and committed before anything else, so whatever
   happens next the user's capture is on disk. The very same page saved twice is one row.
2. An adapter is picked and extracts a Profile or a Thread; this runs outside any transaction.
3. One transaction finds or creates the contact, writes new messages (each message has an
   external id unique per platform, so saving a thread again adds only what is new), reads the
   new messages' facts and updates the follow-up state of their contacts
   (services/followup/updates.py), and marks the capture parsed.

A page no adapter can read, or one whose adapter fails, is kept with status needs_attention or
failed and its error, never dropped: ``goen reparse`` (issue 3) reads it again later.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import zlib
from dataclasses import dataclass

from companion import adapters
from companion.adapters.names import apply_names
from companion.adapters.base import Extraction, ExtractionError, Message, Page, Thread
from companion.db import Database, utc_now
from companion.errors import ApiError, bad_request
from companion.model import CaptureInfo, CaptureList, CaptureResult
from companion.services import contacts
from companion.services.followup import updates as followup
from companion.services.identity import canonical_or_none, resolve_profile
from companion.services.timeparse import parse_timestamp
from companion.settings import Settings
from companion.urls import InvalidUrl, canonical_url

log = logging.getLogger(__name__)

KINDS = ("profile", "thread", "auto")
MAX_URL_CHARS = 2048
MAX_TITLE_CHARS = 1000
MAX_FIELDS = 20
# Fast compression: the raw page is kept for reparse, not archived; level 1 costs a few ms a MB.
ZLIB_LEVEL = 1


@dataclass(frozen=True)
class CaptureInput:
    url: str
    kind: str
    html: str
    title: str | None
    captured_at: str                 # UTC, as stored
    captured_at_local: str | None = None  # as sent, with the user's UTC offset


def parse_capture_request(data: object, settings: Settings) -> CaptureInput:
    """Validate the JSON body of POST /api/v1/captures."""
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.")
    if len(data) > MAX_FIELDS:
        raise bad_request("The body has too many fields.")
    url = data.get("url")
    if not isinstance(url, str) or not url.strip():
        raise bad_request("url is required and must be a string.", "url")
    if len(url) > MAX_URL_CHARS:
        raise bad_request(f"url is too long ({MAX_URL_CHARS} characters at most).", "url")
    try:
        canonical_url(url)
    except InvalidUrl as exc:
        raise bad_request(f"url: {exc}", "url") from None
    kind = data.get("kind", "auto")
    if kind not in KINDS:
        raise bad_request(f"kind must be one of {', '.join(KINDS)}.", "kind")
    html = data.get("html")
    if not isinstance(html, str):
        raise bad_request("html is required and must be a string.", "html")
    if not html.strip():
        raise bad_request("html is empty.", "html")
    if len(html) > settings.max_html_chars:
        raise ApiError(413, "payload_too_large",
                       f"html is {len(html)} characters; the limit is "
                       f"{settings.max_html_chars}.", {"field": "html"})
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise bad_request("title must be a string.", "title")
    if title and len(title) > MAX_TITLE_CHARS:
        title = title[:MAX_TITLE_CHARS]
    captured_at = parse_timestamp(data.get("captured_at"), "captured_at", default_now=True)
    local = data.get("captured_at")
    local = local.strip() if isinstance(local, str) and local.strip()[-6:-5] in "+-" else None
    return CaptureInput(url.strip(), kind, html, title or None, captured_at, local)


# -- step 1: keep the raw capture ----------------------------------------------------------------

def _keep_raw(db: Database, capture: CaptureInput, raw: bytes
              ) -> tuple[int, sqlite3.Row | None]:
    """Insert the raw capture; return its id and, when the same page was saved before, the
    earlier row."""
    digest = hashlib.sha256(raw).hexdigest()
    earlier = db.query_one("SELECT * FROM captures WHERE url = ? AND html_sha256 = ?",
                           (capture.url, digest))
    if earlier is not None:  # checked first: saving the same page again costs no compression
        return earlier["id"], earlier
    compressed = zlib.compress(raw, ZLIB_LEVEL)
    try:
        page_url = canonical_url(capture.url)
    except InvalidUrl:
        page_url = None
    with db.transaction() as conn:
        row = conn.execute(
            "INSERT INTO captures (url, canonical_url, kind, title, html_zlib, html_sha256,"
            " html_chars, captured_at, captured_at_local, received_at, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received')"
            " ON CONFLICT (url, html_sha256) DO NOTHING RETURNING id",
            (capture.url, page_url, capture.kind, capture.title, compressed, digest,
             len(capture.html), capture.captured_at, capture.captured_at_local,
             utc_now())).fetchone()
        if row is not None:
            return row[0], None
        earlier = conn.execute("SELECT * FROM captures WHERE url = ? AND html_sha256 = ?",
                               (capture.url, digest)).fetchone()
        return earlier["id"], earlier


def load_html(db: Database, capture_id: int) -> str:
    row = db.query_one("SELECT html_zlib FROM captures WHERE id = ?", (capture_id,))
    return zlib.decompress(row[0]).decode("utf-8", "surrogatepass")


# -- step 2: read it ------------------------------------------------------------------------------

class Unreadable(Exception):
    def __init__(self, status: str, message: str, adapter: adapters.Adapter | None = None,
                 warnings: list[str] | None = None):
        super().__init__(message)
        self.status = status
        self.adapter = adapter
        self.warnings = warnings or []


def extract(page: Page, kind: str) -> tuple[adapters.Adapter, Extraction]:
    adapter = adapters.pick(page, kind)
    if adapter is None:
        raise Unreadable("needs_attention",
                         "No adapter recognises this page (no known site layout and no "
                         "schema.org Person, OpenGraph profile or h-card).")
    try:
        extraction = adapter.extract(page)
    except ExtractionError as exc:
        raise Unreadable("needs_attention", f"{adapter.id}: {exc}", adapter,
                         exc.warnings) from None
    except Exception as exc:  # an adapter bug must not lose the capture
        log.exception("adapter %s failed on a capture", adapter.id)
        raise Unreadable("failed", f"{adapter.id} failed: {type(exc).__name__}: {exc}",
                         adapter) from None
    _apply_names(extraction)
    if kind != "auto" and extraction.kind != kind:
        raise Unreadable("needs_attention",
                         f"{adapter.id} read a {extraction.kind} where a {kind} was asked for.",
                         adapter)
    return adapter, extraction


def _apply_names(extraction: Extraction) -> None:
    """Family and given names and readings, the same way for every site: adapters report names
    as pages show them, and companion/adapters/names.py splits them (family first for
    Japanese names; never at the last space of a CJK name)."""
    if extraction.profile is not None:
        extraction.profile = apply_names(extraction.profile)
    if extraction.thread is not None:
        extraction.thread.participants = [apply_names(p) for p in extraction.thread.participants]
    extraction.people = [apply_names(p) for p in extraction.people]


# -- step 3: store what was read -----------------------------------------------------------------

def _message_external_id(platform: str, thread_key: str, message: Message,
                         direction: str) -> str:
    if message.external_id:
        return message.external_id
    basis = "\x1f".join([platform, thread_key, message.occurred_at, direction,
                         message.sender_url or message.sender_name or "", message.text])
    return "sha256:" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _store_thread(conn: sqlite3.Connection, thread: Thread, page_url: str, capture_id: int,
                  my_urls: set[str], now: str, captured_at: str,
                  warnings: list[str]) -> tuple[int, list[int]]:
    """Resolve the other participants, write new messages; return (main contact, the new
    messages' interaction ids).

    Messages from another participant go to that participant's contact; my own messages, and
    those of group members shown without a profile link, go to the first other participant
    (the person the conversation is with).
    """
    others, by_url = [], {}
    for participant in thread.participants:
        identity = canonical_or_none(participant.url)
        if identity is None:
            # a group member shown by name only: their messages stay with the conversation
            warnings.append(f"participant {participant.display_name!r} has no profile link")
            continue
        if identity.url in my_urls:
            continue
        resolved = resolve_profile(conn, participant, None, now, captured_at)
        others.append(resolved.contact_id)
        by_url[identity.url] = resolved.contact_id
    if not others:
        raise Unreadable("needs_attention",
                         "the thread names nobody with a profile link but the user")
    main_contact = others[0]
    platform = (canonical_or_none(page_url) or canonical_or_none(thread.participants[0].url)
                ).platform
    new: list[int] = []
    for message in thread.messages:
        sender = canonical_or_none(message.sender_url)
        direction = message.direction or ("out" if sender and sender.url in my_urls else "in")
        contact_id = main_contact
        if direction == "in" and sender and sender.url in by_url:
            contact_id = by_url[sender.url]
        occurred_at = parse_timestamp(message.occurred_at, "occurred_at")
        cur = conn.execute(
            "INSERT INTO interactions (contact_id, platform, kind, direction, occurred_at, text,"
            " thread_key, external_id, capture_id, created_at)"
            " VALUES (?, ?, 'message', ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (platform, external_id) DO NOTHING RETURNING id",
            (contact_id, platform, direction, occurred_at, message.text, thread.thread_key,
             _message_external_id(platform, thread.thread_key, message, direction),
             capture_id, now))
        row = cur.fetchone()
        if row is not None:
            new.append(row[0])
    return main_contact, new


def store_extraction(db: Database, settings: Settings, capture_id: int, capture: CaptureInput,
           adapter: adapters.Adapter, extraction: Extraction) -> tuple[int | None, int]:
    now = utc_now()
    my_urls = {c.url for c in map(canonical_or_none, settings.my_profiles) if c}
    with db.transaction() as conn:
        if extraction.kind == "profile" and extraction.profile is not None:
            contact_id = resolve_profile(conn, extraction.profile, capture.url, now,
                                         capture.captured_at, capture_id=capture_id).contact_id
            new = 0
        elif extraction.kind == "thread" and extraction.thread is not None:
            contact_id, new_ids = _store_thread(conn, extraction.thread, capture.url,
                                                capture_id, my_urls, now, capture.captured_at,
                                                extraction.warnings)
            followup.after_interactions(conn, new_ids)   # only the new messages
            new = len(new_ids)
        elif extraction.kind == "people" and extraction.people:
            # A list page (LinkedIn's connections): many light contacts from one capture; the
            # capture belongs to nobody in particular, so deleting one person keeps it.
            for person in extraction.people:
                resolve_profile(conn, person, None, now, capture.captured_at)
            contact_id, new = None, 0
        else:
            raise Unreadable("failed", f"{adapter.id} returned no {extraction.kind}", adapter)
        conn.execute(
            "UPDATE captures SET status = 'parsed', error = NULL, adapter_id = ?,"
            " adapter_version = ?, warnings = ?, contact_id = ? WHERE id = ?",
            (adapter.id, adapter.version, json.dumps(extraction.warnings, ensure_ascii=False),
             contact_id, capture_id))
    return contact_id, new


def mark_unreadable(db: Database, capture_id: int, problem: Unreadable) -> None:
    with db.transaction() as conn:
        conn.execute(
            "UPDATE captures SET status = ?, error = ?, adapter_id = ?, adapter_version = ?,"
            " warnings = ? WHERE id = ?",
            (problem.status, str(problem), getattr(problem.adapter, "id", None),
             getattr(problem.adapter, "version", None),
             json.dumps(problem.warnings, ensure_ascii=False), capture_id))


def save_capture(db: Database, settings: Settings, capture: CaptureInput) -> CaptureResult:
    raw = capture.html.encode("utf-8", "surrogatepass")
    capture_id, earlier = _keep_raw(db, capture, raw)
    if earlier is not None and earlier["status"] == "parsed":
        summary = (contacts.get_summary(db, earlier["contact_id"]) if earlier["contact_id"]
                   else None)
        return CaptureResult(capture_id, "parsed", None, earlier["adapter_id"], summary, 0, True,
                             json.loads(earlier["warnings"]))
    page = Page(capture.url, capture.html, capture.title,
                capture.captured_at_local or capture.captured_at, capture.kind, html_bytes=raw)
    try:
        adapter, extraction = extract(page, capture.kind)
        contact_id, new = store_extraction(db, settings, capture_id, capture, adapter, extraction)
    except Unreadable as problem:
        mark_unreadable(db, capture_id, problem)
        return CaptureResult(capture_id, problem.status, None,
                             getattr(problem.adapter, "id", None), None,
                             duplicate=earlier is not None, error=str(problem),
                             warnings=problem.warnings)
    except (ApiError, InvalidUrl) as exc:
        problem = Unreadable("needs_attention", str(exc))
        mark_unreadable(db, capture_id, problem)
        return CaptureResult(capture_id, "needs_attention", None, None, None,
                             duplicate=earlier is not None, error=str(exc))
    except Exception as exc:  # never lose the capture, never answer 500 for a page
        log.exception("storing capture %s failed", capture_id)
        mark_unreadable(db, capture_id, Unreadable("failed", f"{type(exc).__name__}: {exc}"))
        return CaptureResult(capture_id, "failed", None, None, None,
                             duplicate=earlier is not None, error="The page was kept, but "
                             "reading it failed; it can be read again later.")
    return CaptureResult(capture_id, "parsed", extraction.kind, adapter.id,
                         contacts.get_summary(db, contact_id) if contact_id else None, new,
                         earlier is not None, extraction.warnings,
                         people=len(extraction.people))


# -- capture health -------------------------------------------------------------------------------

STATUSES = ("received", "parsed", "needs_attention", "failed")


def list_captures(db: Database, statuses: tuple[str, ...] = ("needs_attention", "failed"),
                  limit: int = 50, before: int | None = None) -> CaptureList:
    """Captures by status, newest first: by default those that need the user's attention."""
    unknown = set(statuses) - set(STATUSES)
    if unknown or not statuses:
        raise bad_request(f"status must be among {', '.join(STATUSES)}.", "status")
    if not 1 <= limit <= 200:
        raise bad_request("limit must be between 1 and 200.", "limit")
    marks = ", ".join("?" * len(statuses))
    sql = ("SELECT id, url, kind, title, captured_at, status, adapter_id, adapter_version,"
           f" error, warnings, contact_id FROM captures WHERE status IN ({marks})")
    params: list = list(statuses)
    if before is not None:
        sql += " AND id < ?"
        params.append(before)
    rows = db.query_all(sql + f" ORDER BY id DESC LIMIT {limit + 1}", params)
    items = [CaptureInfo(**{**dict(r), "warnings": json.loads(r["warnings"])})
             for r in rows[:limit]]
    return CaptureList(items, items[-1].id if len(rows) > limit else None)
