"""LinkedIn's data export ("Get a copy of your data"), as a zip or the folder it unpacks to.

Files read, each by column name (case and spacing ignored, so older exports with fewer columns
and files re-saved by Excel read the same):

* Connections.csv — First Name, Last Name, URL, Email Address, Company, Position, Connected On.
  The e-mail address (given only when the person allowed it) is kept as a contact detail.
  Newer exports start with a few "Notes:" lines before the header; the header is looked for in
  the first rows. Each row is a contact with a LinkedIn identity (canonical URL) and its
  organisation and title, through services/identity.py like a captured profile. The export's
  date (the file's own time) is the capture time, so an older export never overwrites what a
  newer capture said. Connected On becomes the identity's first_seen_at. Older exports have no
  URL column: such a person is found by exact name (and company, when both have one) among
  contacts without a LinkedIn identity, and counted as merged when that fills something in.
* messages.csv — CONVERSATION ID, FROM, SENDER PROFILE URL, TO, RECIPIENT PROFILE URLS, DATE,
  SUBJECT, CONTENT, FOLDER (only CONVERSATION ID, FROM, DATE and CONTENT are required). Stored
  as interactions of kind message, then read for facts (followup.updates.after_interactions).
* Invitations.csv — From, To, Sent At, Message, Direction, inviterProfileUrl, inviteeProfileUrl.
  The interactions table's CHECK allows no 'invitation' kind; an invitation is stored as an
  interaction of kind 'other' (thread_key 'invitation') rather than a note: it keeps its
  direction, dedupes by external id, and its message is read as the other person's words when
  they sent it (a note would be read as the user's own).

Which messages are the user's: a sender whose profile URL is one of ``my_profiles`` (or whose
name is the name such a sender has elsewhere in the file). With no ``my_profiles``, the export's
owner is the one participant present in every conversation; when several are (one
conversation, or every conversation with the same person), the one who is not among the
connections. If that still leaves no single person, messages are skipped with the reason.

Group conversations (a row with several recipients) follow the rule every importer shares
(groups.py), over the conversation's rows sorted by time (the file is newest first): a message
of the user's is stored once for each member it is with, each row with its own external id.
"""

from __future__ import annotations

import hashlib
import json
import operator
import re
import sqlite3
from datetime import datetime, timezone
from functools import lru_cache

from companion.adapters.base import Profile
from companion.adapters.names import apply_names
from companion.db import Database, utc_now
from companion.services.contacts import write_fields
from companion.services.details import Detail, add_details
from companion.services.followup import updates as followup
from companion.services.identity import _create_contact, canonical_or_none, resolve_profile
from companion.services.imports.base import (BATCH_ROWS, ImportFailed, ImportSummary, Skipped,
                                             Source, batch, insert_interactions, register)
from companion.services.imports.groups import SKIP_NOBODY_YET, GroupConversation

PLATFORM = "linkedin"
CONNECTIONS = "connections.csv"
MESSAGES = "messages.csv"
INVITATIONS = "invitations.csv"
HEADER_SEARCH_ROWS = 20
HIDDEN_MEMBER = "linkedin member"

SKIP_HIDDEN = ("送信者が「LinkedIn Member」と表示され、誰か分かりません / Sender shown as "
               "\"LinkedIn Member\" (account closed or hidden): nobody to attach it to")
SKIP_NO_NAME = "名前がありません / No name in the row"
SKIP_NO_URL = ("プロフィール URL がなく、つながりにも見つかりません / No profile URL, and no "
               "connection of that name")
SKIP_BAD_DATE = "日付が読めません / Unreadable date"
SKIP_NO_OWNER = ("どの参加者があなたか分かりません（設定 my_profiles を指定してください） / "
                 "Cannot tell which participant is you: set my_profiles")
SKIP_FOLDER = "下書き・スパムのフォルダです / In the draft or spam folder"
SKIP_BAD_URL = "プロフィール URL が読めません / Unreadable profile URL"

FIRST_BATCH_ROWS = 10000    # the first batch of a large file (see batches)
AHEAD_PART = 5000            # rows sent to the readers at a time while a batch is parsed
_WHEN = "\x00occurred at"   # a row's parsed date, kept on the row by the read-ahead
_LINE = "\x00line"          # a row's line in its file, kept on the row by batches()
MESSAGE_BATCH_ROWS = 50000  # each batch refreshes its contacts' follow-up state once

# canonical_or_none keeps the URLs it parsed (identity.py): the same few thousand profile URLs
# recur across 200,000 messages, and resolve_profile asks again for the URL a row just gave.
_canonical = canonical_or_none

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


# -- dates ----------------------------------------------------------------------------------------

_ISO_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?(?:\s*(?:UTC|Z))?$")
_FORMATS = ("%d %b %Y", "%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y", "%d-%b-%y", "%d %B %Y",
            "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%Y %H:%M", "%m/%d/%y %H:%M",
            "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%m/%d/%Y %I:%M %p")


@lru_cache(maxsize=4096)
def _parse_slow(text: str) -> str | None:
    for fmt in _FORMATS:
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return moment.replace(tzinfo=timezone.utc).isoformat(timespec="milliseconds"
                                                             ).replace("+00:00", "Z")
    return None


def parse_date(text: str) -> str | None:
    """An export's date or time as stored UTC text, or None. LinkedIn writes "15 Jan 2024"
    (Connections) and "2024-01-15 10:42:00 UTC" (messages); Excel re-saves them as
    "1/15/2024" or "2024-01-15" (US month first, as the English export is)."""
    text = " ".join(text.split())
    if not text:
        return None
    match = _ISO_TIME.match(text)
    if match:  # the common case of messages.csv, without strptime
        y, mo, d, h, mi, s = match.groups()
        try:
            datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
        except ValueError:
            return None
        return f"{y}-{mo}-{d}T{h}:{mi}:{s or '00'}.000Z"
    return _parse_slow(text)


# -- reading a CSV by column name -----------------------------------------------------------------

class Table:
    """A CSV's rows as dicts keyed by normalised column name, after any preamble."""

    def __init__(self, source: Source, name: str, required: tuple[str, ...],
                 wanted: tuple[str, ...]):
        self.source, self.name = source, name
        self._rows = source.rows(name)
        self.columns: dict[str, int] = {}
        seen = []
        for _ in range(HEADER_SEARCH_ROWS):
            try:
                _, row = next(self._rows)
            except StopIteration:
                break
            keys = [_key(c) for c in row]
            seen.append(keys)
            if all(r in keys for r in required):
                self.columns = {k: keys.index(k) for k in wanted if k in keys}
                return
        best = max(seen, key=lambda keys: sum(r in keys for r in required), default=[])
        missing = [r for r in required if r not in best]
        raise ImportFailed(
            f"{name} に必要な列がありません: {', '.join(missing)} / {name} lacks the column(s) "
            f"{', '.join(missing)} (looked in its first {HEADER_SEARCH_ROWS} rows)",
            {"file": name, "missing": missing})

    def values(self, *names: str):
        """(line, a tuple of only some columns) per row, missing columns empty: the
        owner-finding pass reads 200,000 messages for a few of their columns, and needs no
        dicts."""
        indexes = [self.columns.get(n) for n in names]
        for line, row in self._rows:
            if not "".join(row).strip():
                continue
            yield line, tuple(row[i].strip() if i is not None and i < len(row) else ""
                              for i in indexes)

    def __iter__(self):
        # one itemgetter and zip per row instead of a comprehension: 200,000 messages are read
        # twice (the owner first), and this was a tenth of the importing process's time
        keys, indexes = tuple(self.columns), tuple(self.columns.values())
        need = max(indexes, default=-1) + 1
        pick = operator.itemgetter(*indexes) if len(indexes) > 1 else None
        for line, row in self._rows:
            if not "".join(row).strip():
                continue
            if pick is not None and len(row) >= need:
                yield line, dict(zip(keys, map(str.strip, pick(row))))
            else:   # a short row (or one column): the cells it lacks are empty
                yield line, {k: (row[i].strip() if i < len(row) else "")
                             for k, i in self.columns.items()}


# -- the importer ---------------------------------------------------------------------------------

class _Run:
    def __init__(self, db: Database, settings, source: Source):
        self.db, self.source = db, source
        self.summary = ImportSummary(source=f"linkedin:{source.path.name}")
        self.now = utc_now()
        self.my_urls = {c.url for c in map(canonical_or_none,
                                           getattr(settings, "my_profiles", ()) or ()) if c}
        self.by_url: dict[str, int] = {}        # canonical URL → contact, within this import
        self.url_by_name: dict[str, str] = {}   # a connection's name → canonical URL
        self.contact_by_name: dict[str, int] = {}  # a connection without URL → its contact
        self.touched: set[int] = set()          # contacts already counted in this import
        # group conversations of messages.csv: (time, line, sender, sender's name as written)
        # of each row (find_owner); whom each of the user's messages is with, by line, and the
        # names the members wrote under (_group_answers)
        self.group_rows: dict[str, list[tuple[str, int, tuple[str, str], str]]] = {}
        self.group_answers: dict[str, dict[int, list[tuple[str, str]]]] = {}
        self.group_names: dict[tuple[str, str], str] = {}

    def skip(self, where: str, reason: str) -> None:
        self.summary.skipped.append(Skipped(where, reason))

    def batches(self, table: Table, handle, size: int | None = None, ahead=None,
                write=None) -> None:
        """Rows in transactions of BATCH_ROWS; ``handle(conn, where, row)`` returns the ids of
        new interactions, read for facts before the batch commits. ``write(conn)``, when given,
        is called after the batch's rows are handled and returns the interactions they queued,
        as insert_interactions gives them. ``ahead(row)`` gives what a row's message will be
        read as (text, direction, time, None), so that the next batch is read for facts in
        worker processes while this one is written."""
        size = size or BATCH_ROWS
        rows = iter(table)
        failed: ImportFailed | None = None

        def read_ahead(part: list) -> None:
            if ahead is not None and self.source.reader is not None:
                self.source.reader.prefetch([i for i in (ahead(row) for _, row in part) if i])

        def take(size: int = size) -> list:
            # a damaged file fails here, one batch early: keep the error until the batch in
            # hand is written, so that everything before the damage is imported. Rows are
            # sent to be read ahead as they come, a part at a time, so that the workers start
            # before the whole batch is parsed.
            nonlocal failed
            taken: list = []
            sent = 0
            try:
                for line_row in rows:
                    taken.append(line_row)
                    if len(taken) - sent >= AHEAD_PART:
                        read_ahead(taken[sent:])
                        sent = len(taken)
                    if len(taken) >= size:
                        break
            except ImportFailed as exc:
                failed = exc
            read_ahead(taken[sent:])
            return taken

        # a small first batch: the readers have less to do before the first refresh can start
        # (they are a batch ahead after that)
        want = min(size, FIRST_BATCH_ROWS) if ahead is not None else size
        chunk = take(want)
        while chunk:
            following = take() if failed is None and len(chunk) >= want else []
            want = size
            with batch(self.db) as conn:
                new_ids: list[int] = []
                for line, row in chunk:
                    row[_LINE] = line
                    new_ids += handle(conn, f"{table.name}:{line}", row)
                written = write(conn) if write is not None else None
                if written is not None:
                    new_ids = [r[0] for r in written]
                followup.after_interactions(conn, new_ids, reader=self.source.reader,
                                            rows=written)
                self.summary.interactions_added += len(new_ids)
            chunk = following
        if failed is not None:
            raise failed

    # people

    def _count_person(self, contact_id: int, created: bool, changed: bool,
                      merged: bool = False) -> None:
        if contact_id in self.touched:
            return
        self.touched.add(contact_id)
        if created:
            self.summary.created += 1
        elif merged and changed:
            self.summary.merged += 1
        elif changed:
            self.summary.updated += 1

    def person(self, conn: sqlite3.Connection, profile: Profile,
               captured_at: str | None) -> int:
        resolved = resolve_profile(conn, profile, None, self.now, captured_at)
        changed = False
        if not resolved.created:
            row = conn.execute("SELECT updated_at FROM contacts WHERE id = ?",
                               (resolved.contact_id,)).fetchone()
            changed = row[0] == self.now
        self._count_person(resolved.contact_id, resolved.created, changed)
        self.by_url[resolved.identity.url] = resolved.contact_id
        return resolved.contact_id

    def person_without_url(self, conn: sqlite3.Connection, profile: Profile,
                           captured_at: str | None) -> int:
        # Same-named rows of one export are different people: each takes the first such
        # contact not yet taken by this import (in id order, so a second import pairs them
        # up the same way), else a new one.
        rows = conn.execute(
            "SELECT * FROM contacts c WHERE display_name = ? AND NOT EXISTS (SELECT 1 FROM"
            " identities i WHERE i.contact_id = c.id AND i.platform = ?) ORDER BY id LIMIT 50",
            (profile.display_name, PLATFORM)).fetchall()
        rows = [r for r in rows if r["id"] not in self.touched
                and not (r["organisation"] and profile.organisation
                         and r["organisation"] != profile.organisation)]
        if rows:
            row = rows[0]
            locked = set(json.loads(row["locked_fields"]))
            fill = {name: getattr(profile, name) for name in ("organisation", "title")
                    if getattr(profile, name) and not row[name] and name not in locked}
            if fill:
                write_fields(conn, row, fill, self.now, lock=False)
            self._count_person(row["id"], False, bool(fill), merged=True)
            return row["id"]
        contact_id = _create_contact(conn, profile, self.now, captured_at)
        self._count_person(contact_id, True, True)
        return contact_id

    def contact_for(self, conn: sqlite3.Connection, name: str, url: str) -> int | None:
        """The contact of a message's or invitation's other person, created when new."""
        identity = _canonical(url) if url else None
        if identity is None and not url:
            known = self.url_by_name.get(_key(name))
            identity = _canonical(known) if known else None
        if identity is None:
            # an older export: no URLs anywhere, the connection of that name
            return None if url else self.contact_by_name.get(_key(name))
        found = self.by_url.get(identity.url)
        if found is not None:
            return found
        # Someone already known (from Connections.csv or a capture): a message row adds only
        # their name, which is already there; updating the identity would only cost time.
        row = conn.execute("SELECT contact_id FROM identities WHERE platform = ? AND url = ?",
                           (identity.platform, identity.url)).fetchone()
        if row is not None:
            self.by_url[identity.url] = row[0]
            return row[0]
        # the same name splitting as a captured participant (capture._apply_names)
        profile = apply_names(Profile(display_name=name or identity.handle or identity.url,
                                      url=identity.url))
        return self.person(conn, profile, None)

    # Connections.csv

    def connections(self) -> None:
        if not self.source.has(CONNECTIONS):
            return
        table = Table(self.source, CONNECTIONS, ("first name", "last name"),
                      ("first name", "last name", "url", "email address", "company",
                       "position", "connected on"))
        exported_at = self.exported_at(CONNECTIONS)

        def handle(conn, where, row):
            first, last = row.get("first name", ""), row.get("last name", "")
            if not (first or last):
                self.skip(where, SKIP_NO_NAME)
                return []
            # Japanese names family first, as LinkedIn shows them in Japanese
            cjk = bool(_CJK.search(first + last))
            display = " ".join(p for p in ((last, first) if cjk else (first, last)) if p)
            profile = Profile(display_name=display, given_name=first or None,
                              family_name=last or None, organisation=row.get("company") or None,
                              title=row.get("position") or None, url=row.get("url") or None)
            connected = parse_date(row.get("connected on", ""))
            if profile.url:
                identity = _canonical(profile.url)
                if identity is None or identity.platform != PLATFORM:
                    self.skip(where, SKIP_BAD_URL)
                    return []
                contact_id = self.person(conn, profile, exported_at)
                self.url_by_name.setdefault(_key(display), identity.url)
                if connected:
                    conn.execute("UPDATE identities SET first_seen_at = ? WHERE platform = ?"
                                 " AND url = ? AND first_seen_at > ?",
                                 (connected, PLATFORM, identity.url, connected))
            else:
                contact_id = self.person_without_url(conn, profile, exported_at)
                self.contact_by_name.setdefault(_key(display), contact_id)
            if row.get("email address"):   # only there when the person allowed it
                add_details(conn, contact_id, [Detail("email", row["email address"])],
                            PLATFORM, self.now)
            return []

        self.batches(table, handle)

    def exported_at(self, name: str) -> str | None:
        """When the export was made, as far as the file says (its modification time)."""
        return self.source.modified_at(name)

    # messages.csv

    MESSAGE_COLUMNS = ("conversation id", "conversation title", "from", "sender profile url",
                       "to", "recipient profile urls", "date", "subject", "content", "folder")

    def _message_table(self) -> Table:
        return Table(self.source, MESSAGES, ("conversation id", "from", "date", "content"),
                     self.MESSAGE_COLUMNS)

    @staticmethod
    def _participants(row: dict) -> tuple[tuple[str, str], tuple[tuple[str, str], ...]]:
        """(sender, recipients) as (name key, canonical URL or '') pairs."""
        return _participants_of(row.get("from", ""), row.get("sender profile url", ""),
                                row.get("to", ""), row.get("recipient profile urls", ""))

    def find_owner(self) -> tuple[set[str], set[str]]:
        """The user's URLs and name keys as this file shows them (see the module docstring)."""
        my_urls, my_names = set(self.my_urls), set()
        conversations: dict[str, set[str]] = {}
        seen: set[tuple] = set()     # a conversation's rows repeat the same few participants
        for line, (*values, date, folder) in self._message_table().values(
                "conversation id", "from", "sender profile url", "to", "recipient profile urls",
                "date", "folder"):
            values = tuple(values)
            if ("," in values[3] or "," in values[4]) and not _set_aside(folder):
                # maybe a group: who wrote when (drafts and spam were never sent; a row
                # without a readable date is skipped by handle())
                when = parse_date(date)
                if when is not None:
                    self.group_rows.setdefault(values[0], []).append(
                        (when, line, _participants_of(*values[1:])[0], values[1]))
            if values in seen:
                continue
            seen.add(values)
            conversation = values[0]
            sender, recipients = _participants_of(*values[1:])
            if sender[1] and sender[1] in my_urls and sender[0]:
                my_names.add(sender[0])
            people = conversations.setdefault(conversation, set())
            for name, url in [sender, *recipients]:
                if name != HIDDEN_MEMBER and (url or name):
                    people.add(url or name)
        if my_urls:
            return my_urls, my_names
        if not conversations:
            return set(), set()
        common = set.intersection(*conversations.values())
        if len(common) > 1:
            connected = (set(self.url_by_name) | set(self.url_by_name.values())
                         | set(self.contact_by_name))
            common = {p for p in common if p not in connected}
        if len(common) != 1:
            return set(), set()
        owner = common.pop()
        return ({owner}, set()) if "://" in owner else (set(), {owner})

    def messages(self) -> None:
        if not self.source.has(MESSAGES):
            return
        my_urls, my_names = self.find_owner()
        known_owner = bool(my_urls or my_names)

        def is_me(person: tuple[str, str]) -> bool:
            return bool(person[1] and person[1] in my_urls) or (not person[1]
                                                                and person[0] in my_names)

        def handle(conn, where, row):
            sender, recipients = self._participants(row)
            if not known_owner:
                self.skip(where, SKIP_NO_OWNER)
                return []
            if _set_aside(row.get("folder", "")):
                self.skip(where, SKIP_FOLDER)
                return []
            if sender[0] == HIDDEN_MEMBER and not sender[1]:
                self.skip(where, SKIP_HIDDEN)
                return []
            occurred_at = row.get(_WHEN) or parse_date(row.get("date", ""))
            if occurred_at is None:
                self.skip(where, SKIP_BAD_DATE)
                return []
            text = row.get("content", "") or row.get("subject", "")
            thread = row.get("conversation id", "")
            group = False
            if is_me(sender):
                direction = "out"
                others = [r for r in recipients if not is_me(r)]
                hidden = [r for r in others if r[0] == HIDDEN_MEMBER and not r[1]]
                members = [r for r in others if r not in hidden]
                if any(r[1] for r in recipients):
                    # with URLs, a member is a URL: "Jane Doe, MBA" is one person whose name
                    # the comma split in two
                    members = list(dict.fromkeys(r for r in members if r[1])) or members[:1]
                if not members:
                    self.skip(where, SKIP_HIDDEN)
                    return []
                group = len(members) > 1
                if group:
                    members = self._group_answers(thread, members, len(members) + len(hidden),
                                                  is_me).get(row[_LINE], [])
                    if not members:
                        self.skip(where, SKIP_NOBODY_YET)
                        return []
                # a member answered may be missing from this row's TO (they left): the name
                # they wrote under
                names = {_key(n): n.strip() for n in row.get("to", "").split(",")}
                people = [(names.get(key) or self.group_names.get((key, url)) or key, url)
                          for key, url in members]
            else:
                direction = "in"
                people = [(row.get("from", ""), sender[1])]
            external_id = _message_id(thread, occurred_at, sender, text)
            for display, url in people:
                contact_id = self.contact_for(conn, display, url)
                if contact_id is None:
                    self.skip(where, SKIP_NO_URL)
                    continue
                # one row per member a message of the user's is with (several only in a
                # group); with one, the message's own id
                queued.append((contact_id, PLATFORM, "message", direction, occurred_at, text,
                               thread, _message_id(thread, occurred_at, sender, text,
                                                   url or _key(display))
                               if len(people) > 1 else external_id, self.now))
            return []

        queued: list[tuple] = []

        def write(conn):   # the batch's messages in one statement
            try:
                return insert_interactions(conn, queued)
            finally:
                queued.clear()

        # an inbox imported before: a row may be there already, and is then not read ahead
        had_messages = self.db.query_one(
            "SELECT 1 FROM interactions WHERE platform = ? AND external_id LIKE 'li-export:%'"
            " LIMIT 1", (PLATFORM,)) is not None

        def ahead(row):
            # what handle() will store for the row, for reading ahead (a guess that turns out
            # wrong only costs the work); nothing for a message imported before
            occurred_at = row[_WHEN] = parse_date(row.get("date", ""))   # handle() reuses it
            text = row.get("content", "") or row.get("subject", "")
            if not known_owner or occurred_at is None or not text.strip():
                return None
            sender = self._participants(row)[0]
            if had_messages:
                external_id = _message_id(row.get("conversation id", ""), occurred_at, sender,
                                          text)
                if self.db.query_one("SELECT 1 FROM interactions WHERE platform = ? AND"
                                     " external_id = ?", (PLATFORM, external_id)):
                    return None
            return (text, "out" if is_me(sender) else "in", occurred_at, None)

        self.batches(self._message_table(), handle, MESSAGE_BATCH_ROWS, ahead, write)

    def _group_answers(self, thread: str, members: list[tuple[str, str]], size: int,
                       is_me) -> dict[int, list[tuple[str, str]]]:
        """Whom each of the user's messages in a group conversation is with, by the row's
        line: the rule every importer shares (groups.py), over the conversation's rows in time
        order. LinkedIn writes the newest first; rows of the same second keep the file's order
        turned the same way. Made once per conversation."""
        answers = self.group_answers.get(thread)
        if answers is None:
            answers = self.group_answers[thread] = {}
            rows = self.group_rows.pop(thread, [])
            newest_first = bool(rows) and rows[0][0] > rows[-1][0]
            rows.sort(key=lambda r: (r[0], -r[1] if newest_first else r[1]))
            conversation = GroupConversation(members, size)
            for _, line, sender, name in rows:
                if is_me(sender):
                    answers[line] = conversation.my_message_to()
                elif sender[1] or sender[0] != HIDDEN_MEMBER:
                    conversation.heard_from(sender)
                    self.group_names.setdefault(sender, name)
        return answers

    # Invitations.csv

    def invitations(self) -> None:
        if not self.source.has(INVITATIONS):
            return
        table = Table(self.source, INVITATIONS, ("from", "to", "sent at", "direction"),
                      ("from", "to", "sent at", "message", "direction", "inviterprofileurl",
                       "inviteeprofileurl"))

        def handle(conn, where, row):
            incoming = row.get("direction", "").strip().upper().startswith("IN")
            name = row.get("from", "") if incoming else row.get("to", "")
            url = row.get("inviterprofileurl" if incoming else "inviteeprofileurl", "")
            if _key(name) == HIDDEN_MEMBER and not url:
                self.skip(where, SKIP_HIDDEN)
                return []
            sent_at = parse_date(row.get("sent at", ""))
            if sent_at is None:
                self.skip(where, SKIP_BAD_DATE)
                return []
            contact_id = self.contact_for(conn, name, url)
            if contact_id is None:
                self.skip(where, SKIP_NO_URL)
                return []
            direction = "in" if incoming else "out"
            basis = "\x1f".join(["invitation", direction, str(contact_id), sent_at])
            external_id = "li-invitation:" + hashlib.sha256(basis.encode()).hexdigest()[:40]
            found = conn.execute(
                "INSERT INTO interactions (contact_id, platform, kind, direction, occurred_at,"
                " text, thread_key, external_id, created_at)"
                " VALUES (?, ?, 'other', ?, ?, ?, 'invitation', ?, ?)"
                " ON CONFLICT (platform, external_id) DO NOTHING RETURNING id",
                (contact_id, PLATFORM, direction, sent_at, row.get("message") or None,
                 external_id, self.now)).fetchone()
            return [found[0]] if found else []

        self.batches(table, handle)


@lru_cache(maxsize=1 << 14)   # a conversation's rows name the same people: parse them once
def _participants_of(sender_name: str, sender_url: str, to: str, to_urls: str
                     ) -> tuple[tuple[str, str], tuple[tuple[str, str], ...]]:
    def url_of(text: str) -> str:
        found = _canonical(text) if text else None
        return found.url if found else ""
    sender = (_key(sender_name), url_of(sender_url))
    names = (to or "").split(",")
    urls = (to_urls or "").split(",")
    recipients = []
    for i, name in enumerate(names):
        url = url_of(urls[i].strip()) if i < len(urls) else ""
        if name.strip() or url:
            recipients.append((_key(name), url))
    return sender, tuple(recipients)


def _set_aside(folder: str) -> bool:
    """A draft or spam: not a message that was exchanged."""
    return folder.strip().upper() in ("DRAFT", "DRAFTS", "SPAM")


def _message_id(thread: str, occurred_at: str, sender: tuple[str, str], text: str,
                member: str | None = None) -> str:
    """A message's external id: the same row of any export of the same inbox gives the same.
    ``member``: one of the people a message of the user's to a group is with (a row each)."""
    parts = [thread, occurred_at, sender[1] or sender[0], text]
    basis = "\x1f".join(parts if member is None else [*parts, member])
    return "li-export:" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:40]


class LinkedInImporter:
    name = "linkedin"

    def detect(self, source: Source) -> bool:
        return any(source.has(n) for n in (CONNECTIONS, MESSAGES, INVITATIONS))

    def run(self, db: Database, settings, source: Source) -> ImportSummary:
        present = [n for n in (CONNECTIONS, MESSAGES, INVITATIONS) if source.has(n)]
        # messages.csv is read twice (first to find the export's owner)
        source.total_bytes = sum(source.size(n) * (2 if n == MESSAGES else 1) for n in present)
        run = _Run(db, settings, source)
        run.connections()
        run.messages()
        run.invitations()
        return run.summary


register(LinkedInImporter())
