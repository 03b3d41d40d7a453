"""Facebook's "Download your information" in JSON format, as a zip or the folder it unpacks to.

Where the files lie changed with the years (``friends/friends.json`` in 2018,
``friends_and_followers/friends.json`` in 2021, ``connections/friends/your_friends.json`` and
``your_facebook_activity/messages/…`` later), so every file is found by a glob over the paths.

* profile_information.json — ``profile_v2.name.full_name`` (older: ``profile.name.full_name``):
  the owner's name, which tells the user's own messages from the others'.
* friends.json / your_friends.json — ``{"friends_v2": [{"name", "timestamp"}]}`` (2018:
  ``{"friends": […]}``). Facebook gives no profile URL, so a friend gets no Facebook identity.
  A friend is found again by an ``import_key`` detail, ``facebook-friend:`` + a hash of the
  name and the friendship's timestamp (two friends of one name are two people, and a second
  import of the same file finds each again); else by the e-mail address the 2018 export's
  ``contact_info`` may hold (kept as an e-mail or phone detail); else by exact name among
  contacts with no Facebook identity and no Facebook friend key (as
  linkedin.person_without_url does), counted as merged; else created. The friendship date
  itself is stored nowhere: an identity's first_seen_at would need an identity, and an
  interaction would read as a conversation on that day.
* messages/{inbox,archived_threads,e2ee_cutover}/<thread>/message_N.json (2018: message.json)
  — interactions of kind ``message`` (``call`` for Messenger calls), platform ``facebook``,
  thread_key the thread folder, external_id ``fb-msg:`` + a hash of thread, timestamp, sender
  and content. Message requests (filtered_threads, message_requests) are not read: they are
  mostly strangers. A message's other person is found by name: a friend of that name in this
  export, else a contact with the ``facebook-name:`` import key an earlier import gave them,
  else a contact of that exact name with no Facebook identity (merged), else a new contact.
  One name across threads is one person: the export holds nothing better.

Which messages are the user's: the sender with the owner's name. Without profile_information,
or when its name is in none of the first three threads (a name shown in another language), the
owner is the one participant of every thread (when several are, the one who is not among the
friends); if that leaves no single person, messages are skipped with the reason.

Group threads follow the rule every importer shares (groups.py): another person's message is
an incoming message from its sender; the user's own goes to the members who wrote since the
user's previous message (at most five, most recent first), else to the last who wrote, else —
nobody has written yet — to every member of a small group, and is skipped in a large one.

Messages without words keep a short bilingual placeholder ("[写真 / Photo]", a call with its
length): being in touch is what the follow-up needs to know, and the placeholder invents no
words for facts to be read from. Unsent messages and group join/leave notices are skipped.

THE MOJIBAKE: Facebook writes each UTF-8 byte as its own ``\\u00XX`` escape, so "こんにちは"
arrives as "ã\\u0081\\u0093…". Every string read is repaired with
``text.encode("latin-1").decode("utf-8")`` and left as it is when that fails (text that was
right already, or real latin-1 characters).

Bad input: each thread is parsed whole before anything of it is written; a message file that
is not JSON (or is cut off) stops the import with an error naming it, after the threads read
before it are written. Zip bombs and truncated zips are refused by base.Source before.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from companion.adapters.base import Profile
from companion.adapters.names import apply_names
from companion.db import Database, utc_now
from companion.services.details import Detail, add_details, contacts_with
from companion.services.followup import updates as followup
from companion.services.identity import _create_contact
from companion.services.imports.base import (BATCH_ROWS, ImportFailed, ImportSummary, Skipped,
                                             Source, batch, register)
from companion.services.imports.groups import SKIP_NOBODY_YET, GroupConversation

PLATFORM = "facebook"
PROFILE_GLOBS = ("*profile_information.json",)
FRIEND_GLOBS = ("friends.json", "*/friends.json", "*your_friends.json")
# only these parent folders hold the friend list (removed_friends.json and friend requests
# are other files; a friends.json elsewhere is not Facebook's)
FRIEND_FOLDERS = ("", "friends", "friends_and_followers")
# message_N.json since 2019; the 2018 export had one message.json per thread
MESSAGE_GLOBS = tuple(f"*messages/{folder}/*/{name}" for folder in
                      ("inbox", "archived_threads", "e2ee_cutover")
                      for name in ("message_*.json", "message.json"))
# Instagram's export holds messages in the same format and folders: not ours
INSTAGRAM_GLOBS = ("*your_instagram_activity/*", "*followers_and_following/*")

MESSAGE_BATCH_ROWS = 5000     # each batch refreshes its contacts' follow-up state once
# how Facebook names an account that was deleted or deactivated, by the export's language
DELETED_USERS = {"facebook user", "facebookユーザー", "facebook ユーザー"}

SKIP_NO_NAME = "名前がありません / No name in the entry"
SKIP_NO_OWNER = ("どの参加者があなたか分かりません（profile_information.json がありません） / "
                 "Cannot tell which participant is you (no profile_information.json)")
SKIP_DELETED = ("相手のアカウントが削除され、誰か分かりません / The other account was deleted: "
                "nobody to attach it to")
SKIP_NOBODY = "スレッドにあなた以外の参加者がいません / Nobody but you in the thread"
SKIP_BAD_DATE = "日時が読めません / Unreadable time"
SKIP_UNSENT = "送信取り消しされたメッセージです / An unsent (withdrawn) message"
SKIP_NOTICE = "グループの参加・退出の通知です / A group join or leave notice"
SKIP_EMPTY = "内容のないメッセージです / A message with nothing in it"
SKIP_NOT_THREAD = "Messenger のスレッドの形式ではありません / Not a Messenger thread"
SKIP_NOT_FRIENDS = "友達リストの形式ではありません / Not a friend list"

PHOTO = "[写真 / Photo]"
VIDEO = "[動画 / Video]"
AUDIO = "[音声メッセージ / Voice message]"
FILE = "[ファイル / File]"
GIF = "[GIF]"
STICKER = "[スタンプ / Sticker]"
LINK = "[リンク / Link]"
CALL = "[通話 / Call]"
MISSED_CALL = "[不在着信 / Missed call]"


def repair(text: object) -> str:
    """A string as Facebook meant it (see the module docstring); '' for a non-string."""
    if not isinstance(text, str):
        return ""
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:   # already right, or real latin-1 characters
        return text


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _bare(name: str) -> str:
    # the owner's name compared without spaces: "山田花子" and "山田 花子" are one name
    return "".join(name.split()).casefold()


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _time(value: object, scale: int) -> str | None:
    """A Unix time (seconds, or milliseconds with scale 1000) as stored UTC text."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        ms = int(value * (1000 // scale))
        moment = datetime.fromtimestamp(ms // 1000, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    if moment.year < 2000:   # Facebook began in 2004; 0 and the like are no dates
        return None
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


def _name_of(entry: object) -> str:
    return " ".join(repair(entry.get("name")).split()) if isinstance(entry, dict) else ""


def _friend_paths(source: Source) -> list[str]:
    found = set()
    for pattern in FRIEND_GLOBS:
        for path in source.paths(pattern):
            parts = path.lower().split("/")
            folder = parts[-2] if len(parts) >= 2 else ""
            if parts[-1] == "your_friends.json" or folder in FRIEND_FOLDERS:
                found.add(path)
    return sorted(found)


def _thread_folders(source: Source) -> dict[str, list[str]]:
    """Each thread's folder with its message_N.json files."""
    folders: dict[str, list[str]] = {}
    for pattern in MESSAGE_GLOBS:
        for path in source.paths(pattern):
            folders.setdefault(path.rsplit("/", 1)[0], []).append(path)
    return dict(sorted(folders.items()))


@dataclass
class _Thread:
    path: str                   # the thread's folder inside the export
    key: str                    # its last part: the thread_key
    participants: list[str]
    group: bool
    messages: list[tuple[str, dict]]   # (where, message) in time order


class _Run:
    def __init__(self, db: Database, source: Source):
        self.db, self.source = db, source
        self.summary = ImportSummary(source=f"facebook:{source.path.name}")
        self.now = utc_now()
        self.touched: set[int] = set()          # contacts already counted in this import
        self.friend_by_name: dict[str, int] = {}
        self.person_by_name: dict[str, int] = {}
        self.owner: str | None = None           # _bare() of the owner's name
        self.exported_at: str | None = None

    def skip(self, where: str, reason: str) -> None:
        self.summary.skipped.append(Skipped(where, reason))

    def load(self, path: str) -> object:
        data = self.source.read(path)
        try:
            return json.loads(data)
        except (ValueError, RecursionError) as exc:   # JSONDecodeError, bad UTF-8
            raise ImportFailed(
                f"{path} は JSON として読めません（壊れているか途中で切れています） / {path} is "
                f"not readable JSON (damaged or cut off): {exc}", {"file": path}) from None

    # people

    def _count(self, contact_id: int, created: bool, merged: bool,
               updated: bool = False) -> None:
        if contact_id in self.touched:
            return
        self.touched.add(contact_id)
        if created:
            self.summary.created += 1
        elif merged:
            self.summary.merged += 1
        elif updated:
            self.summary.updated += 1

    def _create(self, conn: sqlite3.Connection, name: str) -> int:
        return _create_contact(conn, apply_names(Profile(display_name=name)), self.now,
                               self.exported_at)

    def _named(self, conn: sqlite3.Connection, name: str, friends_too: bool) -> list[int]:
        """Contacts of exactly this name without a Facebook identity, oldest first (and, for a
        friend, without a Facebook friend key: that one is another friend of the same name)."""
        sql = ("SELECT id FROM contacts c WHERE display_name = ? AND NOT EXISTS (SELECT 1 FROM"
               " identities i WHERE i.contact_id = c.id AND i.platform = ?)")
        if not friends_too:
            sql += (" AND NOT EXISTS (SELECT 1 FROM contact_details d WHERE d.contact_id = c.id"
                    " AND d.kind = 'import_key' AND d.value_norm LIKE 'facebook-friend:%')")
        return [r[0] for r in conn.execute(sql + " ORDER BY id LIMIT 50", (name, PLATFORM))]

    def friend(self, conn: sqlite3.Connection, where: str, entry: object) -> None:
        name = _name_of(entry)
        if not name:
            self.skip(where, SKIP_NO_NAME)
            return
        stamp = entry.get("timestamp")
        key = f"facebook-friend:{_hash(_key(name), str(stamp))}"
        # the 2018 export's contact_info: an address or number synced from the phone
        info = repair(entry.get("contact_info")).strip()
        extra = [Detail("email" if "@" in info else "phone", info)] if info else []
        found = [c for c in contacts_with(conn, "import_key", key) if c not in self.touched]
        by_email = [c for c in contacts_with(conn, "email", info) if c not in self.touched
                    ] if "@" in info else []
        if found:
            contact_id = found[0]
            changed = add_details(conn, contact_id, extra, PLATFORM, self.now)
            self._count(contact_id, False, False, bool(changed))
        elif by_email:
            # the same e-mail address: certain evidence, whatever the name
            contact_id = by_email[0]
            add_details(conn, contact_id, [Detail("import_key", key)], PLATFORM, self.now)
            self._count(contact_id, False, True)
        else:
            # same-named rows of one file are different people: each takes a contact not yet
            # taken by this import
            named = [c for c in self._named(conn, name, False) if c not in self.touched]
            if named:
                contact_id = named[0]
                self._count(contact_id, False, True)
            else:
                contact_id = self._create(conn, name)
                self._count(contact_id, True, False)
            add_details(conn, contact_id, [Detail("import_key", key), *extra], PLATFORM,
                        self.now)
        self.friend_by_name.setdefault(_key(name), contact_id)

    def person(self, conn: sqlite3.Connection, name: str) -> int:
        """The contact of a message's other person (see the module docstring)."""
        key = _key(name)
        found = self.person_by_name.get(key)
        if found is not None:
            return found
        name_key = f"facebook-name:{_hash(key)}"
        contact_id = self.friend_by_name.get(key)
        if contact_id is None:
            by_key = contacts_with(conn, "import_key", name_key)
            contact_id = by_key[0] if by_key else None
        if contact_id is None:
            named = self._named(conn, name, True)
            if named:
                contact_id = named[0]
                self._count(contact_id, False, True)
            else:
                contact_id = self._create(conn, name)
                self._count(contact_id, True, False)
        # so that a later export without friends.json, or after a rename of the contact by
        # the user, still finds them
        add_details(conn, contact_id, [Detail("import_key", name_key)], PLATFORM, self.now)
        self.touched.add(contact_id)
        self.person_by_name[key] = contact_id
        return contact_id

    # profile_information.json

    def profile(self) -> None:
        for path in self.source.paths(PROFILE_GLOBS[0]):
            data = self.load(path)
            if not isinstance(data, dict):
                continue
            profile = data.get("profile_v2") or data.get("profile")
            name = profile.get("name") if isinstance(profile, dict) else None
            full = repair(name.get("full_name")) if isinstance(name, dict) else ""
            if full.strip():
                self.owner = _bare(full)
                return

    # friends

    def friends(self) -> None:
        for path in _friend_paths(self.source):
            data = self.load(path)
            entries = (data.get("friends_v2", data.get("friends")) if isinstance(data, dict)
                       else data)
            if not isinstance(entries, list):
                self.skip(path, SKIP_NOT_FRIENDS)
                continue
            for start in range(0, len(entries), BATCH_ROWS):
                with batch(self.db) as conn:
                    for i, entry in enumerate(entries[start:start + BATCH_ROWS], start + 1):
                        self.friend(conn, f"{path}:{i}", entry)

    # messages

    def owner_seen(self, folders: dict[str, list[str]]) -> bool:
        """Whether the profile's name is a participant of one of the first few threads."""
        for files in list(folders.values())[:3]:
            try:
                data = self.load(files[0])
            except ImportFailed:
                return True     # the pass that writes says so, after what came before it
            people = data.get("participants") if isinstance(data, dict) else None
            if isinstance(people, list) and self.owner in {_bare(_name_of(p)) for p in people}:
                return True
        return False

    def find_owner(self, folders: dict[str, list[str]]) -> None:
        """The participant of every thread (profile_information.json gave no name, or one
        that is not in the threads)."""
        self.owner = None
        common: set[str] | None = None
        for files in folders.values():
            try:
                data = self.load(files[0])
            except ImportFailed:
                continue    # the pass that writes says so, after what came before it
            if not isinstance(data, dict) or not isinstance(data.get("participants"), list):
                continue
            names = {_bare(n) for n in map(_name_of, data["participants"])
                     if n and _key(n) not in DELETED_USERS}
            common = names if common is None else common & names
        common = common or set()
        if len(common) > 1:
            friends = {k.replace(" ", "") for k in self.friend_by_name}
            common = {n for n in common if n not in friends}
        if len(common) == 1:
            self.owner = common.pop()

    def read_thread(self, folder: str, files: list[str]) -> _Thread | None:
        participants: list[str] = []
        thread_type = ""
        messages: list[tuple[str, dict]] = []
        for path in files:
            data = self.load(path)
            if (not isinstance(data, dict) or not isinstance(data.get("messages"), list)
                    or not isinstance(data.get("participants", []), list)):
                self.skip(path, SKIP_NOT_THREAD)
                continue
            for name in map(_name_of, data.get("participants", [])):
                if name and _key(name) not in map(_key, participants):
                    participants.append(name)
            thread_type = thread_type or str(data.get("thread_type") or "")
            messages += [(f"{path}:{i}", m) for i, m in enumerate(data["messages"], 1)]
        if not messages and not participants:
            return None
        # Facebook writes newest first; the group rule needs them in the order they were sent
        messages.sort(key=lambda wm: wm[1].get("timestamp_ms", 0)
                      if isinstance(wm[1], dict) and isinstance(wm[1].get("timestamp_ms"), int)
                      else 0)
        others = [p for p in participants if _bare(p) != self.owner]
        group = thread_type == "RegularGroup" or len(others) > 1
        return _Thread(folder, folder.rsplit("/", 1)[-1], participants, group, messages)

    def messages(self) -> None:
        folders = _thread_folders(self.source)
        if not folders:
            return
        if self.owner is None:
            self.find_owner(folders)
        elif not self.owner_seen(folders):
            # a name shown in Messenger in another language than on the profile would make
            # the user a contact of their own: the threads' common participant is surer then
            profile_owner = self.owner
            self.source.total_bytes += sum(self.source.size(f[0]) for f in folders.values())
            self.find_owner(folders)
            self.owner = self.owner or profile_owner
        pending: list[_Thread] = []
        count = 0
        for folder, files in folders.items():
            try:
                thread = self.read_thread(folder, files)
            except ImportFailed:
                # what was read before the damaged file is kept
                self.write(pending)
                raise
            if thread is None:
                continue
            pending.append(thread)
            count += len(thread.messages)
            if count >= MESSAGE_BATCH_ROWS:
                self.write(pending)
                pending, count = [], 0
        self.write(pending)

    def write(self, threads: list[_Thread]) -> None:
        if not threads:
            return
        with batch(self.db) as conn:
            new_ids: list[int] = []
            for thread in threads:
                new_ids += self.write_thread(conn, thread)
            followup.after_interactions(conn, new_ids, reader=self.source.reader)
            self.summary.interactions_added += len(new_ids)

    def write_thread(self, conn: sqlite3.Connection, thread: _Thread) -> list[int]:
        if self.owner is None:
            self.skip(thread.path, SKIP_NO_OWNER)
            return []
        others = [p for p in thread.participants if _bare(p) != self.owner]
        if not thread.group:
            if not others:
                self.skip(thread.path, SKIP_NOBODY)
                return []
            if _key(others[0]) in DELETED_USERS:
                self.skip(thread.path, SKIP_DELETED)
                return []
        group = GroupConversation([p for p in others if _key(p) not in DELETED_USERS],
                                  size=len(others))
        new_ids: list[int] = []
        for where, message in thread.messages:
            if not isinstance(message, dict):
                self.skip(where, SKIP_EMPTY)
                continue
            stamp = message.get("timestamp_ms")
            occurred_at = _time(stamp, 1000)
            if occurred_at is None:
                self.skip(where, SKIP_BAD_DATE)
                continue
            if message.get("is_unsent"):
                self.skip(where, SKIP_UNSENT)
                continue
            if message.get("type") in ("Subscribe", "Unsubscribe"):
                self.skip(where, SKIP_NOTICE)
                continue
            kind, text, basis = _body(message)
            if text is None:
                self.skip(where, SKIP_EMPTY)
                continue
            sender = " ".join(repair(message.get("sender_name")).split())
            if sender and _bare(sender) == self.owner:
                direction = "out"
                recipients = group.my_message_to() if thread.group else [others[0]]
                if not recipients:
                    self.skip(where, SKIP_NOBODY if not group.others else SKIP_NOBODY_YET)
                    continue
            else:
                if not sender or _key(sender) in DELETED_USERS:
                    self.skip(where, SKIP_DELETED)
                    continue
                direction = "in"
                recipients = [sender]
                group.heard_from(sender)
            for person in recipients:
                contact_id = self.person(conn, person)
                # the folder's case changed between export years ("OliveBrandt_…" in 2018)
                parts = [thread.key.lower(), str(stamp), sender, basis]
                if len(recipients) > 1:
                    parts.append(_key(person))    # one message with several: a row each
                found = conn.execute(
                    "INSERT INTO interactions (contact_id, platform, kind, direction,"
                    " occurred_at, text, thread_key, external_id, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (platform, external_id) DO NOTHING RETURNING id",
                    (contact_id, PLATFORM, kind, direction, occurred_at, text, thread.key,
                     "fb-msg:" + _hash(*parts), self.now)).fetchone()
                if found:
                    new_ids.append(found[0])
        return new_ids


def _uris(items: object) -> list[str]:
    if not isinstance(items, list):
        return []
    return [str(i.get("uri", "")) for i in items if isinstance(i, dict)]


def _body(message: dict) -> tuple[str, str | None, str]:
    """(kind, text, hash basis): the words, else a short placeholder; text None when empty."""
    content = repair(message.get("content")).strip()
    share = message.get("share")
    link = repair(share.get("link")).strip() if isinstance(share, dict) else ""
    media = {label: _uris(message.get(field)) for field, label in (
        ("photos", PHOTO), ("videos", VIDEO), ("audio_files", AUDIO), ("files", FILE),
        ("gifs", GIF))}
    sticker = message.get("sticker")
    uris = [u for found in media.values() for u in found]
    if isinstance(sticker, dict):
        uris.append(str(sticker.get("uri", "")))
    basis = "\x1e".join([content, link, *uris])
    if message.get("type") == "Call":
        duration = message.get("call_duration")
        if message.get("missed"):
            return "call", MISSED_CALL, basis
        if isinstance(duration, int) and not isinstance(duration, bool) and duration > 0:
            minutes = max(1, round(duration / 60))
            return "call", f"[通話 {minutes} 分 / Call, {minutes} min]", basis
        return "call", CALL, basis
    if content:
        if link and link not in content:
            content += "\n" + link
        return "message", content, basis
    if link:
        return "message", f"{LINK} {link}", basis
    for label, found in media.items():
        if found:
            if label == PHOTO and len(found) > 1:
                return "message", f"[写真 {len(found)} 枚 / {len(found)} photos]", basis
            return "message", label, basis
    if isinstance(sticker, dict):
        return "message", STICKER, basis
    return "message", None, basis


class FacebookImporter:
    name = "facebook"

    def detect(self, source: Source) -> bool:
        if any(source.paths(p) for p in INSTAGRAM_GLOBS):
            return False
        return bool(_friend_paths(source) or any(source.paths(p) for p in MESSAGE_GLOBS)
                    or source.paths(PROFILE_GLOBS[0]))

    def run(self, db: Database, settings, source: Source) -> ImportSummary:
        run = _Run(db, source)
        profiles = source.paths(PROFILE_GLOBS[0])
        friends = _friend_paths(source)
        folders = _thread_folders(source)
        total = sum(source.size(p) for p in [*profiles, *friends])
        total += sum(source.size(p) for files in folders.values() for p in files)
        if not profiles:   # the owner is looked for in each thread's first file first
            total += sum(source.size(files[0]) for files in folders.values())
        else:              # the profile's name is looked for in the first threads
            total += sum(source.size(files[0]) for files in list(folders.values())[:3])
        source.total_bytes = total
        source.read_bytes = 0     # what detectors tried before this one read is not progress
        anchor = (profiles or friends or [p for f in folders.values() for p in f] or [None])[0]
        run.exported_at = source.modified_at(anchor) if anchor else None
        run.profile()
        run.friends()
        run.messages()
        return run.summary


register(FacebookImporter())
