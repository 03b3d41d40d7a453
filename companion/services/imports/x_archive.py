"""X's (Twitter's) archive ("Download an archive of your data"): the zip
``twitter-YYYY-MM-DD-….zip``, the folder it unpacks to, or one of its ``data/*.js`` files.

Every file is JavaScript of one shape, ``window.YTD.<name>.part<N> = [ … ]``: the prefix is
stripped and the rest read as JSON. Big archives split a file into parts
(``direct-messages-part1.js`` holds ``….part1 = ``); every part is read. Files read:

* account.js — the archive's owner (accountId), to tell the user's own messages from others'.
* following.js, follower.js — ``accountId`` (and, in newer archives, ``userLink``
  ``https://twitter.com/intent/user?user_id=…``). The archive names people only by their
  numeric id, so each becomes a contact with the id identity ``https://x.com/i/user/<id>``
  (companion/urls.py) named "X: <id>" — no name is invented. Someone both followed and
  following is one contact. A person already known by that identity is found, not made again,
  and keeps their name.
* direct-messages.js — one-to-one conversations (conversationId "<id>-<id>"); each
  ``messageCreate`` becomes an interaction of kind message, ``external_id`` "x-dm:<message
  id>", ``thread_key`` the conversationId. t.co links in the text are replaced by the expanded
  URLs the message lists (``urls``): the link the user would want to follow again.
* direct-messages-group.js — group conversations, by the rule every importer shares
  (groups.py): a message from someone else goes to that sender's contact; one of the user's
  goes to the members who wrote since the user's previous message (at most five), else to the
  last who wrote, else (nobody has yet) to every member of a small group; with several, one
  row per member (``external_id`` "x-dm:<message id>:<member id>"). Joins, leaves, renames
  and reactions are not messages and are passed over.

Which messages are the user's: the owner from account.js; without it, an X id among
``my_profiles`` (``https://x.com/i/user/<id>``); else the one participant present in every
conversation (not counting anyone the user follows or is followed by). Otherwise messages are
skipped with the reason.

Before anything is written every file's first bytes are checked, so an archive with a file of
another shape adds nothing. A file cut off part way (truncated JSON) is refused when its turn
comes; what earlier files added stays (each batch is one transaction, each person whole in one).

Known limit: an id identity and a handle identity (``https://x.com/<name>``, what a capture
records) are different identities of the archive's format; the same person captured by handle
and imported by id is two contacts until they are merged (issue 9).
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timezone

from companion.adapters.base import Profile
from companion.db import Database, utc_now
from companion.services.followup import updates as followup
from companion.services.identity import canonical_or_none, resolve_profile
from companion.services.imports.base import (BATCH_ROWS, ImportFailed, ImportSummary, Skipped,
                                             Source, batch, register)
from companion.services.imports.groups import SKIP_NOBODY_YET, GroupConversation

PLATFORM = "x"
MESSAGE_BATCH_ROWS = 5000   # each batch refreshes its contacts' follow-up state once

ACCOUNT, FOLLOWING, FOLLOWER = "account", "following", "follower"
DMS, GROUP_DMS = "direct-messages", "direct-messages-group"
KINDS = (ACCOUNT, FOLLOWING, FOLLOWER, DMS, GROUP_DMS)

# data/following.js, data/direct-messages-part1.js; not direct-message-headers.js (no text)
_FILE = re.compile(r"(account|following|follower|direct-messages|direct-messages-group)"
                   r"(?:-part([0-9]{1,4}))?\.js")
_PREFIX = re.compile(rb"\s*window\.YTD\.[A-Za-z0-9_]+\.part[0-9]+\s*=\s*")
_ID = re.compile(r"[0-9]{1,20}")
HEAD_BYTES = 256

SKIP_NO_ID = "アカウント ID がありません / No account id in the entry"
SKIP_NO_OWNER = ("どの参加者があなたか分かりません（account.js がなく、設定 my_profiles にも X の"
                 "ID がありません） / Cannot tell which participant is you: no account.js, and no "
                 "X id (https://x.com/i/user/<id>) in my_profiles")
SKIP_BAD_DATE = "日付が読めません / Unreadable date"
SKIP_NO_MESSAGE_ID = "メッセージ ID がありません / No message id"
SKIP_NO_OTHER = ("相手が分かりません（自分だけの会話） / Nobody else in the conversation to "
                 "attach it to")
SKIP_NOT_ENTRY = "読めない項目です / Not an entry of the expected shape"


def display_name(account_id: str) -> str:
    """The name of a person the archive knows only by id: the id itself, no invented name."""
    return f"X: {account_id}"


def id_url(account_id: str) -> str:
    return f"https://x.com/i/user/{int(account_id)}"


def _an_id(value) -> str | None:
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    return str(int(text)) if _ID.fullmatch(text) else None


def parse_time(text) -> str | None:
    """createdAt ("2023-04-01T09:15:00.000Z") as stored UTC text, or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)   # the archive writes UTC
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def expand_links(text: str, urls) -> str:
    """The text with each t.co link replaced by the URL it stands for, as the message lists
    them ({url, expanded, display})."""
    if not isinstance(urls, list):
        return text
    for entry in urls:
        if not isinstance(entry, dict):
            continue
        short, expanded = entry.get("url"), entry.get("expanded")
        if isinstance(short, str) and short and isinstance(expanded, str) and expanded:
            text = text.replace(short, expanded)
    return text


# -- the archive's files --------------------------------------------------------------------------

def archive_files(source: Source) -> dict[str, list[str]]:
    """The archive's files by kind, parts in order (part0 first); one path per name."""
    found: dict[str, dict[int, str]] = {}
    for path in source.paths("*"):
        match = _FILE.fullmatch(path.rsplit("/", 1)[-1].lower())
        if match:
            found.setdefault(match[1], {}).setdefault(int(match[2] or 0), path)
    return {kind: [parts[n] for n in sorted(parts)] for kind, parts in found.items()}


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _not_shaped(path: str) -> ImportFailed:
    name = _name(path)
    return ImportFailed(
        f"{name} は X のアーカイブのファイルの形（window.YTD.<名前>.part0 = [...]）ではありません / "
        f"{name} is not shaped like a file of an X archive (window.YTD.<name>.part0 = [...])",
        {"file": name})


def _head(source: Source, path: str) -> bytes:
    # the first bytes only, not counted for progress: the whole file is read later.
    # Source has no public way to read part of a member; _open_binary is what read() uses.
    with source._open_binary(path) as raw:
        return raw.read(HEAD_BYTES).removeprefix(b"\xef\xbb\xbf")


def has_prefix(source: Source, path: str) -> bool:
    try:
        return _PREFIX.match(_head(source, path)) is not None
    except (ImportFailed, OSError):
        return False


def load(source: Source, path: str) -> list:
    """A file's entries: the prefix stripped, the rest JSON (a list)."""
    name = _name(path)
    data = source.read(path).removeprefix(b"\xef\xbb\xbf")
    match = _PREFIX.match(data)
    if match is None:
        raise _not_shaped(path)
    try:
        entries = json.loads(data[match.end():].decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{name} は UTF-8 ではありません / {name} is not UTF-8 text: {exc}",
                           {"file": name}) from None
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"{name} の JSON が途中で切れているか壊れています（{exc.lineno} 行目） / The JSON of "
            f"{name} is truncated or damaged (line {exc.lineno}): {exc.msg}",
            {"file": name}) from None
    if not isinstance(entries, list):
        raise _not_shaped(path)
    return entries


def _conversations(entries: list):
    """(index, conversationId, events) of a DM file's entries; others as (index, None, None)."""
    for index, entry in enumerate(entries, 1):
        conversation = entry.get("dmConversation") if isinstance(entry, dict) else None
        if (not isinstance(conversation, dict) or not isinstance(conversation.get("messages"),
                                                                 list)):
            yield index, None, None
            continue
        yield index, str(conversation.get("conversationId") or ""), conversation["messages"]


def _members(conversation_id: str, events: list) -> list[str]:
    """Everyone the archive shows in a conversation, in the order it names them: the two ids
    of a one-to-one conversationId, then group snapshots and joins, then senders and
    recipients (``events`` oldest first, see _by_time)."""
    ids: list[str] = []

    def add(value) -> None:
        found = _an_id(value)
        if found and found not in ids:
            ids.append(found)

    parts = conversation_id.split("-")
    if len(parts) == 2:
        for part in parts:
            add(part)
    for event in events:
        body = next(iter(event.values()), None) if isinstance(event, dict) and event else None
        if not isinstance(body, dict):
            continue
        for key in ("participantsSnapshot", "userIds"):
            for value in body.get(key) or ():
                add(value)
    for event in events:
        body = event.get("messageCreate") if isinstance(event, dict) else None
        if isinstance(body, dict):
            add(body.get("senderId"))
            add(body.get("recipientId"))
    return ids


def _by_time(events: list) -> list:
    """Events oldest first (archives list them newest first); ties by id."""
    def key(event):
        body = next(iter(event.values()), None) if isinstance(event, dict) and event else None
        if not isinstance(body, dict):
            return ("", 0)
        when = parse_time(body.get("createdAt")) or ""
        return (when, int(_an_id(body.get("id")) or 0))
    return sorted(events, key=key)


# -- the import -----------------------------------------------------------------------------------

class _Run:
    def __init__(self, db: Database, settings, source: Source, files: dict[str, list[str]]):
        self.db, self.source, self.files = db, source, files
        self.summary = ImportSummary(source=f"x:{source.path.name}")
        self.now = utc_now()
        self.settings = settings
        self.by_id: dict[str, int] = {}       # account id → contact, within this import
        self.touched: set[int] = set()        # contacts already counted in this import
        self.followed: set[str] = set()       # ids in following.js and follower.js
        self.owner: set[str] = set()          # the user's account id(s), see run()

    def skip(self, where: str, reason: str) -> None:
        self.summary.skipped.append(Skipped(where, reason))

    def batches(self, items, handle, size: int) -> None:
        """Items in transactions of ``size`` (base.batch: the search index is rebuilt once per
        person at the end); ``handle(conn, item)`` returns the ids of new interactions, read for
        facts before the batch commits."""
        items = iter(items)
        while True:
            with batch(self.db) as conn:
                new_ids: list[int] = []
                count = 0
                for item in items:
                    new_ids += handle(conn, item)
                    count += 1
                    if count >= size:
                        break
                followup.after_interactions(conn, new_ids, reader=self.source.reader)
                self.summary.interactions_added += len(new_ids)
            if count < size:
                return

    def contact_for(self, conn: sqlite3.Connection, account_id: str) -> int:
        """The contact of an account id: found by its identity, else created (through the
        identity service, as a captured participant would be)."""
        found = self.by_id.get(account_id)
        if found is not None:
            return found
        url = id_url(account_id)
        row = conn.execute("SELECT contact_id FROM identities WHERE platform = ? AND url = ?",
                           (PLATFORM, url)).fetchone()
        if row is not None:
            # someone already known: the archive adds nothing to them but the id they have;
            # "X: <id>" must not replace the name they were given
            contact_id = row[0]
            self.touched.add(contact_id)
        else:
            resolved = resolve_profile(conn, Profile(display_name=display_name(account_id),
                                                     url=url), None, self.now)
            contact_id = resolved.contact_id
            if contact_id not in self.touched:
                self.touched.add(contact_id)
                if resolved.created:
                    self.summary.created += 1
        self.by_id[account_id] = contact_id
        return contact_id

    # account.js and my_profiles

    def owner_ids(self) -> set[str]:
        for path in self.files.get(ACCOUNT, []):
            for entry in load(self.source, path):
                account = entry.get("account") if isinstance(entry, dict) else None
                found = _an_id(account.get("accountId")) if isinstance(account, dict) else None
                if found:
                    return {found}
        mine = set()
        for text in getattr(self.settings, "my_profiles", ()) or ():
            identity = canonical_or_none(text)
            if identity and identity.url.startswith("https://x.com/i/user/"):
                mine.add(identity.url.rsplit("/", 1)[1])
        return mine

    def common_participant(self) -> str | None:
        """The one participant of every conversation (see the module docstring)."""
        common: set[str] | None = None
        for path in self.files.get(DMS, []) + self.files.get(GROUP_DMS, []):
            for _, conversation_id, events in _conversations(load(self.source, path)):
                if events is None:
                    continue
                members = set(_members(conversation_id, events))
                common = members if common is None else common & members
        if not common:
            return None
        if len(common) > 1:
            common = {c for c in common if c not in self.followed}
        return next(iter(common)) if len(common) == 1 else None

    # following.js, follower.js

    def follows(self) -> None:
        for kind in (FOLLOWING, FOLLOWER):
            for path in self.files.get(kind, []):
                entries = load(self.source, path)
                name = _name(path)

                def handle(conn, item, kind=kind, name=name):
                    index, entry = item
                    body = entry.get(kind) if isinstance(entry, dict) else None
                    account_id = _an_id(body.get("accountId")) if isinstance(body, dict) else None
                    if account_id is None and isinstance(body, dict):
                        link = canonical_or_none(body.get("userLink"))
                        if link and link.url.startswith("https://x.com/i/user/"):
                            account_id = link.url.rsplit("/", 1)[1]
                    if account_id is None:
                        self.skip(f"{name}:{index}", SKIP_NO_ID)
                        return []
                    self.followed.add(account_id)
                    if account_id not in self.owner:
                        self.contact_for(conn, account_id)
                    return []

                self.batches(enumerate(entries, 1), handle, BATCH_ROWS)

    # direct-messages.js, direct-messages-group.js

    def messages(self) -> None:
        dm_files = [(p, False) for p in self.files.get(DMS, [])] + \
                   [(p, True) for p in self.files.get(GROUP_DMS, [])]
        for path, group in dm_files:
            entries = load(self.source, path)
            self.batches(self._message_items(path, entries, group), self._store_message,
                         MESSAGE_BATCH_ROWS)

    def _message_items(self, path: str, entries: list, group: bool):
        """(where, conversation id, message, whom an outgoing one is with, group) per message;
        the fourth is None for someone else's message (it is with its sender)."""
        name = _name(path)
        for index, conversation_id, events in _conversations(entries):
            if events is None:
                yield (f"{name}:{index}", None, None, None, group)
                continue
            events = _by_time(events)
            members = _members(conversation_id, events)
            others = [m for m in members if m not in self.owner]
            conversation = GroupConversation(others)
            for event in events:
                message = event.get("messageCreate") if isinstance(event, dict) else None
                if not isinstance(message, dict):
                    continue    # joins, leaves, renames, reactions: not messages
                sender = _an_id(message.get("senderId"))
                where = f"{name}:{conversation_id}:{message.get('id') or index}"
                if sender and sender not in self.owner:
                    conversation.heard_from(sender)
                    yield (where, conversation_id, message, None, group)
                elif group:
                    yield (where, conversation_id, message, conversation.my_message_to(), group)
                else:
                    recipient = _an_id(message.get("recipientId"))
                    yield (where, conversation_id, message,
                           [recipient] if recipient and recipient not in self.owner
                           else others[:1], group)

    def _store_message(self, conn: sqlite3.Connection, item) -> list[int]:
        where, conversation_id, message, recipients, group = item
        if message is None:
            self.skip(where, SKIP_NOT_ENTRY)
            return []
        if not self.owner:
            self.skip(where, SKIP_NO_OWNER)
            return []
        message_id = _an_id(message.get("id"))
        if message_id is None:
            self.skip(where, SKIP_NO_MESSAGE_ID)
            return []
        occurred_at = parse_time(message.get("createdAt"))
        if occurred_at is None:
            self.skip(where, SKIP_BAD_DATE)
            return []
        sender = _an_id(message.get("senderId"))
        if sender is None:
            self.skip(where, SKIP_NO_ID)
            return []
        direction = "out" if sender in self.owner else "in"
        people = [sender] if direction == "in" else recipients
        if not people:
            self.skip(where, SKIP_NOBODY_YET if group else SKIP_NO_OTHER)
            return []
        text = message.get("text") if isinstance(message.get("text"), str) else ""
        text = expand_links(text, message.get("urls"))
        new_ids = []
        for person in people:
            # one row per member a message of the user's to a group is with, when it is with
            # several; otherwise one row under the message's own id
            external_id = (f"x-dm:{message_id}:{person}" if len(people) > 1
                           else f"x-dm:{message_id}")
            found = conn.execute(
                "INSERT INTO interactions (contact_id, platform, kind, direction, occurred_at,"
                " text, thread_key, external_id, created_at)"
                " VALUES (?, ?, 'message', ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (platform, external_id) DO NOTHING RETURNING id",
                (self.contact_for(conn, person), PLATFORM, direction, occurred_at, text,
                 conversation_id or None, external_id, self.now)).fetchone()
            if found:
                new_ids.append(found[0])
        return new_ids

    def run(self) -> ImportSummary:
        self.owner = self.owner_ids()
        self.follows()
        if not self.owner and (self.files.get(DMS) or self.files.get(GROUP_DMS)):
            found = self.common_participant()
            self.owner = {found} if found else set()
        self.messages()
        return self.summary


class XArchiveImporter:
    name = "x"

    def detect(self, source: Source) -> bool:
        files = archive_files(source)
        return any(has_prefix(source, path) for kind in KINDS for path in files.get(kind, []))

    def run(self, db: Database, settings, source: Source) -> ImportSummary:
        files = archive_files(source)
        # every file's shape first: an archive with a file of another kind adds nothing
        for kind in KINDS:
            for path in files.get(kind, []):
                if not has_prefix(source, path):
                    raise _not_shaped(path)
        dm_paths = files.get(DMS, []) + files.get(GROUP_DMS, [])
        # without account.js the DM files are read twice (first to find the owner)
        reads = 1 if files.get(ACCOUNT) else 2
        source.total_bytes = (sum(source.size(p) for k in (ACCOUNT, FOLLOWING, FOLLOWER)
                                  for p in files.get(k, []))
                              + reads * sum(source.size(p) for p in dm_paths))
        return _Run(db, settings, source, files).run()


register(XArchiveImporter())
