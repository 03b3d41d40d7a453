"""Address-book cards (vCard, Google Contacts CSV) into contacts: the part both importers share.

An importer turns each entry of its file into a ``Card`` (names, reading, organisation, title,
details, notes, tags, an import key); ``CardWriter`` finds the person it stands for, or creates
them, inside the caller's transaction. Matching uses certain evidence only, in this order:

1. the same ``import_key``: a vCard's UID, else a hash of the card's name, organisation, title,
   e-mail addresses and phone numbers (the organisation and title so that two 佐藤健 of two
   companies, with nothing else on their cards, are two keys). The n-th card of one file with
   the hashed key of an earlier card of that file takes ``key:n``: nothing tells a doubled
   export line from two people with one name and no other data, so both are kept, and the
   same file read again finds each of them by its own key. A person found by the key is the
   card's person even if another card of the file found them too (they hold both keys because
   an earlier import found them by both, or the user merged two contacts; or two cards have
   one UID, which says they are one);
2. the same profile URL (a web page of the card on a known site, e.g. a LinkedIn or X profile,
   through the identities table, the way a capture finds someone) *and* names that agree: a
   profile held under another name is more likely a shared company account;
3. the same e-mail address (``contact_details``) *and* names that agree, never a role mailbox
   (info@, info-jp@, sales@, eigyo@, … as ``matching.compare.is_role_mailbox`` knows them):
   colleagues share those, and different people give one address;
4. the same phone number *and* the same name (families and offices share numbers).

Names agree when they are the same (NFKC, case and spaces ignored, or the same family and
given name), or when the duplicate finder's name comparison (``matching.compare.name_reason``)
finds them alike: read the same, the same in romaji (佐藤 花子 さとう はなこ / Hanako Sato), a
name and its initial or short form. A card named only by its e-mail address has no name to
disagree. Evidence 2 to 4 never finds a contact that another card of the same file already
found or created: two cards of one file are two entries of the address book, and folding them
at import could not be undone (the duplicate pass may still propose them as one). Cards of
other files of one import (a folder or zip) are treated like contacts already known: a 2.1
and a 3.0 export of one phone hold the same cards.

Otherwise a new contact is created (through ``identity.resolve_profile`` when the card has a
profile URL no one holds yet, so a later capture of that profile finds the same person; a
profile already held by another contact stays theirs). A person found gets only
what is missing: empty fields are filled (never overwriting what a capture or the user wrote,
and never a locked field), new details, tags, notes and identities are added. Importing the same
file again therefore changes nothing and adds nothing.

Counting, as linkedin.py does: ``created`` for a new contact; ``updated`` for a person found by
the import key that gained something; ``merged`` for a person found by other evidence (a
captured profile, an e-mail address, a phone and name) who gained something. A contact is
counted once per import.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterable, Iterator

from companion.adapters.base import Profile
from companion.adapters.names import apply_names, split_name
from companion.db import Database
from companion.services.contacts import MAX_NOTE_CHARS, MAX_TAG_CHARS, MAX_TAGS, write_fields
from companion.services.details import Detail, add_details, contacts_with, normalise
from companion.services.followup import updates as followup
from companion.services.identity import (_create_contact, _record_identity, canonical_or_none,
                                         resolve_profile)
from companion.services.imports.base import BATCH_ROWS, ImportSummary, Skipped, Source, batch
from companion.services.matching import names as matching_names
from companion.services.matching.compare import email_key, is_role_mailbox, name_reason
from companion.urls import CanonicalUrl

FILLED_FIELDS = ("family_name", "given_name", "reading", "organisation", "title")
FIELD_MAX_CHARS = 500   # contacts.DEFAULT_FIELD_MAX_CHARS: what the edit form accepts

SKIP_NO_NAME = "名前も e-mail アドレスもありません / No name and no e-mail address"

# Google's system groups: every contact is in "My Contacts"; "starred" is a favourite mark.
# Neither says anything about the person, so neither becomes a tag.
SYSTEM_GROUPS = frozenset({"mycontacts", "my contacts", "starred", "starred in android"})

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")


@dataclass
class Card:
    """One address-book entry, as the importers read it."""

    display_name: str
    family_name: str | None = None
    given_name: str | None = None
    reading: str | None = None
    organisation: str | None = None
    title: str | None = None
    details: list[Detail] = field(default_factory=list)   # email, phone, url, address, …
    notes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    import_key: str | None = None
    key_is_id: bool = False     # the key is the entry's own id (a vCard UID), not a hash


# -- building cards ------------------------------------------------------------------------------

def clean(text: str | None, limit: int = FIELD_MAX_CHARS) -> str | None:
    """One line of text: whitespace collapsed, cut to ``limit``; None when empty."""
    if not text:
        return None
    text = " ".join(text.split())
    return text[:limit] or None


def is_cjk(text: str | None) -> bool:
    return bool(text and _CJK.search(text))


def full_name(family: str | None, given: str | None, middle: str | None = None) -> str | None:
    """A display name from its parts: Japanese (and Chinese) names family first, as
    linkedin.py and names.py write them; others given, middle, family."""
    if is_cjk(family) or is_cjk(given):
        parts = (family, given, middle)
    else:
        parts = (given, middle, family)
    return clean(" ".join(p for p in parts if p))


def reading_of(family: str | None, given: str | None, middle: str | None = None) -> str | None:
    """A reading from its phonetic parts, family first (``やまだ たろう``), in the form
    names.py keeps readings: NFKC (half-width ｶﾅ become full-width), one space between parts,
    the script as written."""
    joined = " ".join(p.strip() for p in (family, given, middle) if p and p.strip())
    if not joined:
        return None
    return clean(split_name("", joined).reading)


def birthday_of(text: str | None) -> str | None:
    """A birthday as ISO text (``1985-04-15``, or ``--04-15`` without a year), or None."""
    text = (text or "").strip()
    found = re.match(r"^(\d{4})-?(\d\d)-?(\d\d)", text)
    if found:
        y, m, d = map(int, found.groups())
        try:
            return date(y, m, d).isoformat()
        except ValueError:
            return None
    found = re.match(r"^--(\d\d)-?(\d\d)$", text)   # no year (4.0, Google)
    if found:
        return f"--{found.group(1)}-{found.group(2)}"
    return None


def name_key(text: str | None) -> str:
    """A name as compared for the phone-and-name rule: NFKC, case-blind, without spaces or
    ``・`` (so 山田太郎 and 山田 太郎 are one name)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[\s・･.,]+", "", text)


def tags_from(names: Iterable[str]) -> list[str]:
    """Group names as tags: system groups left out, Google's ``* `` mark dropped, whitespace
    collapsed, at most MAX_TAGS of at most MAX_TAG_CHARS characters (as the edit form)."""
    tags: list[str] = []
    seen: set[str] = set()
    for name in names:
        tag = " ".join((name or "").split()).lstrip("*").strip()
        if not tag or tag.casefold() in SYSTEM_GROUPS or tag.casefold() in seen:
            continue
        seen.add(tag.casefold())
        tags.append(tag[:MAX_TAG_CHARS])
    return tags[:MAX_TAGS]


def content_key(prefix: str, card: Card, name_parts: Iterable[str | None] = ()) -> str:
    """The import key of a card without an id of its own: a hash of its normalised name,
    organisation, title, e-mail addresses and phone numbers, so that the same card read again
    finds its person even without an e-mail address or a profile URL, and two people of one
    name at two organisations are two keys."""
    emails = sorted({n for d in card.details if d.kind == "email"
                     for n in [normalise("email", d.value)] if n})
    phones = sorted({n for d in card.details if d.kind == "phone"
                     for n in [normalise("phone", d.value)] if n})
    names = [name_key(card.display_name)] + [name_key(p) for p in name_parts]
    parts = ["|".join(names), "|".join(emails), "|".join(phones)]
    if card.organisation or card.title:
        # only when there is one, so that the key of a card without them stays as it was
        # before they counted, and such cards imported then are found again
        parts += [name_key(card.organisation), name_key(card.title)]
    basis = "\x1f".join(parts)
    return prefix + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def profile_of(url: str) -> CanonicalUrl | None:
    """A web page that is a person's profile on a known site (LinkedIn, X, GitHub, Mastodon…),
    or None for any other page."""
    found = canonical_or_none(url if "://" in url else "https://" + url)
    if found is None or found.platform == "web" or not found.handle:
        return None
    return found


# -- writing --------------------------------------------------------------------------------------

class CardWriter:
    """Finds or creates the person of each card of one import (see the module docstring)."""

    def __init__(self, summary: ImportSummary, source: str, now: str,
                 captured_at: str | None = None):
        self.summary = summary
        self.source = source            # contact_details.source: "vcard", "google_csv"
        self.now = now
        self.captured_at = captured_at  # the file's time: a newer capture wins over it
        self.touched: set[int] = set()      # counted in this import (counted once)
        self.in_file: set[int] = set()      # found or created by a card of the file in hand
        self.keys_seen: dict[str, int] = {}  # hashed import key → cards of this file with it

    def start_file(self, captured_at: str | None) -> None:
        """Before the cards of the next file of the import (its time: a newer capture wins)."""
        self.captured_at = captured_at
        self.in_file.clear()
        self.keys_seen.clear()

    def occurrence_key(self, card: Card) -> str | None:
        """The key a card is written under: its own for the first card of the file with it,
        then ``key:2``, ``key:3``… Two identical cards in one file may be a doubled export
        line or two people of one name with nothing else on their cards; nothing tells which,
        so each is kept, and numbering them in file order lets the same file, read again, find
        each by its own key instead of folding both into the first. Per file: one card in two
        files of a folder (a 2.1 and a 3.0 export of one phone) is one card, found by its key;
        and a UID, the card's own id, is never numbered."""
        key = card.import_key
        if not key or card.key_is_id:
            return key
        n = self.keys_seen.get(key, 0) + 1
        self.keys_seen[key] = n
        return key if n == 1 else f"{key}:{n}"

    def names_agree(self, conn: sqlite3.Connection, contact_id: int, card: Card) -> bool:
        """Whether the contact's name and the card's may be one person's (module docstring):
        the phone rule's same name, else a name comparison of the matching module that finds
        them alike (a reading, romaji, an initial or a short form)."""
        row = conn.execute("SELECT display_name, family_name, given_name, reading FROM contacts"
                           " WHERE id = ?", (contact_id,)).fetchone()
        if self._same_name(row, card):
            return True
        if "@" in (card.display_name or "") or "@" in (row[0] or ""):
            return True     # named only by an e-mail address: no name to disagree with
        reason = name_reason(matching_names.name_key(row[0] or "", row[3]),
                             matching_names.name_key(card.display_name or "", card.reading))
        return reason is None or reason.weight > 0     # None: one of them has no name

    @staticmethod
    def _same_name(row, card: Card) -> bool:
        parts = (name_key(card.family_name), name_key(card.given_name))
        return name_key(row[0]) == name_key(card.display_name) or (
            all(parts) and (name_key(row[1]), name_key(row[2])) == parts)

    def find(self, conn: sqlite3.Connection, card: Card,
             profiles: list[CanonicalUrl]) -> tuple[int | None, str]:
        """(contact id, which evidence found it) or (None, '')."""
        if card.import_key:
            # a contact of this file holding the key too is still the card's person: a hashed
            # key is unique in the file (occurrence_key), so it got there by an earlier import
            # or a merge of the user, or the card is in two files of the import, or the card
            # has the UID of another card of the file: it says it is the same
            found = contacts_with(conn, "import_key", card.import_key)
            if found:
                return found[0], "key"
        for identity in profiles:
            row = conn.execute("SELECT contact_id FROM identities WHERE platform = ? AND url = ?",
                               (identity.platform, identity.url)).fetchone()
            if row is not None and row[0] not in self.in_file and \
                    self.names_agree(conn, row[0], card):
                return row[0], "identity"
        for detail in card.details:
            if detail.kind != "email" or is_role_mailbox(email_key(detail.value) or ""):
                continue
            for contact_id in contacts_with(conn, "email", detail.value):
                if contact_id not in self.in_file and self.names_agree(conn, contact_id, card):
                    return contact_id, "email"
        for detail in card.details:
            if detail.kind != "phone":
                continue
            for contact_id in contacts_with(conn, "phone", detail.value):
                if contact_id in self.in_file:
                    continue
                row = conn.execute("SELECT display_name, family_name, given_name FROM contacts"
                                   " WHERE id = ?", (contact_id,)).fetchone()
                if self._same_name(row, card):
                    return contact_id, "phone"
        return None, ""

    def write(self, conn: sqlite3.Connection, card: Card) -> int:
        """The card's person, found or created, with everything new on the card added."""
        card = replace(card, import_key=self.occurrence_key(card))
        profiles: list[CanonicalUrl] = []
        for detail in card.details:
            if detail.kind == "url":
                found = profile_of(detail.value)
                if found is not None and found not in profiles:
                    profiles.append(found)
        contact_id, how = self.find(conn, card, profiles)
        created = contact_id is None
        changed = False
        if created:
            contact_id = self._create(conn, card, profiles)
        else:
            changed = self._fill(conn, contact_id, card)
        details = list(card.details)
        if card.import_key:
            details.append(Detail("import_key", card.import_key))
        changed |= add_details(conn, contact_id, details, self.source, self.now) > 0
        changed |= self._identities(conn, contact_id, profiles, card.display_name)
        changed |= self._tags(conn, contact_id, card.tags)
        changed |= self._notes(conn, contact_id, card.notes)
        self.in_file.add(contact_id)
        self._count(contact_id, created, changed, merged=how != "key")
        return contact_id

    def _create(self, conn: sqlite3.Connection, card: Card,
                profiles: list[CanonicalUrl]) -> int:
        # only a profile no one holds: resolve_profile would hand back (and overwrite) the
        # holder of another, whom find() turned down
        free = [p for p in profiles if conn.execute(
            "SELECT 1 FROM identities WHERE platform = ? AND url = ?",
            (p.platform, p.url)).fetchone() is None]
        profile = apply_names(Profile(
            display_name=card.display_name, family_name=card.family_name,
            given_name=card.given_name, reading=card.reading, organisation=card.organisation,
            title=card.title, url=free[0].url if free else None))
        if free:
            # through the identity service, as a capture of that profile would be
            return resolve_profile(conn, profile, None, self.now, self.captured_at).contact_id
        contact_id = _create_contact(conn, profile, self.now)
        if self.captured_at:
            conn.execute("UPDATE contacts SET fields_captured_at = ? WHERE id = ?",
                         (self.captured_at, contact_id))
        return contact_id

    def _fill(self, conn: sqlite3.Connection, contact_id: int, card: Card) -> bool:
        row = conn.execute("SELECT * FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        locked = set(json.loads(row["locked_fields"]))
        fill = {name: getattr(card, name) for name in FILLED_FIELDS
                if getattr(card, name) and not row[name] and name not in locked}
        if fill:
            write_fields(conn, row, fill, self.now, lock=False)
        return bool(fill)

    def _identities(self, conn: sqlite3.Connection, contact_id: int,
                    profiles: list[CanonicalUrl], display_name: str) -> bool:
        added = False
        for identity in profiles:
            row = conn.execute("SELECT contact_id FROM identities WHERE platform = ? AND url = ?",
                               (identity.platform, identity.url)).fetchone()
            if row is None:
                _record_identity(conn, contact_id, identity, display_name, self.now)
                added = True
            # held by someone else: two contacts with one profile is a merge question (issue 9)
        return added

    @staticmethod
    def _tags(conn: sqlite3.Connection, contact_id: int, tags: list[str]) -> bool:
        added = 0
        for tag in tags:
            conn.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
                         (tag,))
            added += conn.execute("INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)"
                                  " SELECT ?, id FROM tags WHERE name = ?",
                                  (contact_id, tag)).rowcount
        return added > 0

    def _notes(self, conn: sqlite3.Connection, contact_id: int, notes: list[str]) -> bool:
        added = False
        for body in notes:
            body = (body or "").strip()[:MAX_NOTE_CHARS]
            if not body:
                continue
            # the same text on the same person is the same note (a second import adds none)
            if conn.execute("SELECT 1 FROM notes WHERE contact_id = ? AND body = ?",
                            (contact_id, body)).fetchone():
                continue
            cur = conn.execute("INSERT INTO notes (contact_id, body, created_at, updated_at)"
                               " VALUES (?, ?, ?, ?)", (contact_id, body, self.now, self.now))
            # read like a note written in Goen (contacts.add_note): facts and ledger entries
            followup.after_note(conn, cur.lastrowid)
            added = True
        return added

    def _count(self, contact_id: int, created: bool, changed: bool, merged: bool) -> None:
        if contact_id in self.touched:
            return
        self.touched.add(contact_id)
        if created:
            self.summary.created += 1
        elif changed and merged:
            self.summary.merged += 1
        elif changed:
            self.summary.updated += 1


def write_cards(db: Database, writer: CardWriter,
                cards: Iterator[tuple[str, Card | Skipped]]) -> None:
    """Write ``(where, card or skip)`` pairs in transactions of BATCH_ROWS cards: an error part
    way rolls back only the batch in hand (each person is written whole inside one), and what
    earlier batches wrote stays."""
    cards = iter(cards)
    while True:
        count = 0
        with batch(db) as conn:
            for _, item in cards:
                if isinstance(item, Skipped):
                    writer.summary.skipped.append(item)
                    continue
                writer.write(conn, item)
                count += 1
                if count >= BATCH_ROWS:
                    break
        if count < BATCH_ROWS:
            return


def advance(source: Source, n: int) -> None:
    """Count ``n`` more bytes of the export as done (for importers that read a file whole and
    then report progress entry by entry)."""
    source.read_bytes += n
    if source.progress is not None and source.total_bytes:
        source.progress(min(source.read_bytes, source.total_bytes), source.total_bytes)
