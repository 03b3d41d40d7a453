"""Contacts as address-book cards: vCard 4.0 (RFC 6350) and a CSV for spreadsheets (issue 8).

Where the JSON export (export_json.py) is everything, to come back into Goen, these are for
other programs: a phone's or Google's address book (vCard) and a spreadsheet (CSV). Only the
people go out, not messages or facts.

Both are written contact by contact to a text stream opened with ``newline=""`` (the line ends
are written here, CRLF as both formats want): contacts are read in id order ``BATCH`` at a time
(keyset: ``id > last``), with their details, profiles, tags and notes fetched for the batch, all
inside one read transaction so the file is one moment's picture. Memory stays the size of one
batch whatever the number of contacts.

vCard, one card per contact:

* ``UID`` is ``urn:uuid:`` + a name-based UUID (uuid5) of the contact's id and creation time:
  the same contact gets the same UID in every export of the same database (and of a database
  restored from its backup or its JSON export, which keep both), so an address book that
  imports the file again updates its cards instead of adding copies; two databases do not share
  UIDs (their contacts were not created in the same millisecond). Nothing secret goes in.
* ``N`` carries the reading as ``SORT-AS`` (RFC 6350 5.9), and the reading is repeated as
  ``X-PHONETIC-LAST-NAME`` / ``X-PHONETIC-FIRST-NAME``, which iPhone, Android and Google
  Contacts read as the furigana: split in two at the first space when it has one (family
  reading, given reading, as Goen keeps Japanese names), else all of it as the last name's.
* ``NOTE`` is the contact's notes, oldest first, separated by a blank line.
* ``EMAIL``, ``TEL``, ``URL``, ``ADR``, ``BDAY``, ``IMPP`` from contact_details (never the
  import_key bookkeeping), a known label as ``TYPE``; each profile (identities) as
  ``URL;TYPE=<platform>``; tags as ``CATEGORIES``; ``REV`` the last change Goen knows of.

The serialiser is written here rather than taken from vobject: vobject 0.9.9 writes
``VERSION:3.0`` and folds a line by characters when it has fewer than 75 of them, so a note of
40 Japanese characters (120 octets) is left as one over-long line. Here every line is folded at
75 octets and never inside a UTF-8 character (RFC 6350 3.2). vobject reads the result back
(tests/companion/services/test_export_cards.py).
"""

from __future__ import annotations

import csv
import re
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterator, TextIO

from companion.db import Database

BATCH = 500
CRLF = "\r\n"
LINE_OCTETS = 75
# A fixed namespace for the UIDs (uuid5): changing it would change every UID ever exported.
UID_NAMESPACE = uuid.UUID("6f0c6d1e-8a44-4b59-9a53-2f7d3c0e9b21")
PRODID = "-//Goen//Goen export//EN"
NOTES_SEPARATOR = "\n\n"


@dataclass
class Card:
    """One contact with everything the cards carry, read for one batch."""
    id: int
    display_name: str
    family_name: str | None
    given_name: str | None
    reading: str | None
    headline: str | None
    organisation: str | None
    title: str | None
    location: str | None
    tier: str | None
    created_at: str
    updated_at: str
    details: list[tuple[str, str, str | None]] = field(default_factory=list)  # kind, value, label
    profiles: list[tuple[str, str]] = field(default_factory=list)   # platform, url
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    last_interaction: str | None = None
    changed_at: str | None = None    # the newest of updated_at, notes and details

    def values(self, kind: str) -> list[str]:
        return [value for k, value, _ in self.details if k == kind]


_CONTACT_COLUMNS = ("id, display_name, family_name, given_name, reading, headline, "
                    "organisation, title, location, tier, created_at, updated_at")


def cards(db: Database, batch: int = BATCH) -> Iterator[Card]:
    """Every contact in id order, ``batch`` at a time, from one read snapshot."""
    conn = db.connect()
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")      # a read transaction: the whole file from the same moment
    try:
        last = 0
        while True:
            rows = conn.execute(f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE id > ?"
                                " ORDER BY id LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            found = {row[0]: Card(*row) for row in rows}
            _fill(conn, found)
            yield from found.values()
            last = rows[-1][0]
    finally:
        if own and conn.in_transaction:
            conn.execute("COMMIT")


def _fill(conn: sqlite3.Connection, found: dict[int, Card]) -> None:
    ids = list(found)
    marks = ", ".join("?" * len(ids))
    for cid, kind, value, label, created in conn.execute(
            f"SELECT contact_id, kind, value, label, created_at FROM contact_details"
            f" WHERE contact_id IN ({marks}) AND kind != 'import_key'"
            f" ORDER BY contact_id, kind, id", ids):
        card = found[cid]
        card.details.append((kind, value, label))
        card.changed_at = max(card.changed_at or "", created or "")
    for cid, platform, url in conn.execute(
            f"SELECT contact_id, platform, url FROM identities WHERE contact_id IN ({marks})"
            f" ORDER BY contact_id, id", ids):
        found[cid].profiles.append((platform, url))
    for cid, name in conn.execute(
            f"SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
            f" WHERE ct.contact_id IN ({marks}) ORDER BY ct.contact_id, t.name COLLATE NOCASE",
            ids):
        found[cid].tags.append(name)
    for cid, body, updated in conn.execute(
            f"SELECT contact_id, body, updated_at FROM notes WHERE contact_id IN ({marks})"
            f" ORDER BY contact_id, created_at, id", ids):
        card = found[cid]
        if body and body.strip():
            card.notes.append(body.strip())
        card.changed_at = max(card.changed_at or "", updated or "")
    for cid, latest in conn.execute(
            f"SELECT contact_id, MAX(occurred_at) FROM interactions"
            f" WHERE contact_id IN ({marks}) GROUP BY contact_id", ids):
        found[cid].last_interaction = latest
    for card in found.values():
        card.changed_at = max(card.changed_at or "", card.updated_at or "")


def contact_uid(contact_id: int, created_at: str) -> str:
    """The card's UID: stable for a contact across exports, see the module's docstring."""
    return "urn:uuid:" + str(uuid.uuid5(UID_NAMESPACE, f"goen-contact:{contact_id}:{created_at}"))


def split_reading(reading: str | None) -> tuple[str, str] | None:
    """(family reading, given reading) when the reading has a space in it, else None."""
    parts = (reading or "").split(None, 1)
    return (parts[0], parts[1]) if len(parts) == 2 else None


# -- vCard ---------------------------------------------------------------------------------------

_TYPE_OF_LABEL = {
    "home": "home", "work": "work", "office": "work", "business": "work",
    "cell": "cell", "mobile": "cell", "iphone": "cell", "voice": "voice", "fax": "fax",
    "text": "text", "pager": "pager", "video": "video", "textphone": "textphone",
}
_PLATFORM = re.compile(r"^[a-z0-9-]{1,40}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 6350 3.4): backslash, comma, semicolon and line ends escaped."""
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def _param(value: str) -> str:
    """One parameter value: ^, " and line ends as RFC 6868 says (^^, ^', ^n), quoted only
    when it holds a character that ends a value (: ; ,). Several values are written
    ``a,b`` or ``"a","b"``, never ``"a,b"``, which some readers (vobject) take as one."""
    value = (value.replace("^", "^^").replace('"', "^'").replace("\r\n", "\n")
             .replace("\r", "\n").replace("\n", "^n"))
    return f'"{value}"' if any(c in value for c in ":;,") else value


def fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 character, ending in CRLF."""
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return line + CRLF
    pieces, start, limit = [], 0, LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:     # a continuation byte: cut before its character
            end -= 1
        pieces.append(data[start:end])
        start, limit = end, LINE_OCTETS - 1   # a continuation line starts with one space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8") + CRLF


def _vcard_time(stored: str | None) -> str | None:
    """Stored UTC text ("2024-01-15T10:42:00.000Z") as a vCard timestamp (20240115T104200Z)."""
    if not stored:
        return None
    try:
        moment = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _bday(value: str) -> str:
    """BDAY in RFC 6350's basic date form; a value that is no date goes as text."""
    text = value.strip()
    if found := _DATE.match(text):
        return "BDAY:" + "".join(found.groups())
    if re.fullmatch(r"\d{8}", text):
        return "BDAY:" + text
    if found := _NO_YEAR.match(text):
        return "BDAY:--" + "".join(found.groups())
    return "BDAY;VALUE=text:" + escape_text(text)


def _typed(name: str, label: str | None, value: str) -> str:
    kind = _TYPE_OF_LABEL.get((label or "").strip().lower())
    return f"{name};TYPE={kind}:{value}" if kind else f"{name}:{value}"


def vcard_lines(card: Card) -> list[str]:
    """The content lines of one card, unfolded."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"PRODID:{PRODID}",
             f"UID:{contact_uid(card.id, card.created_at)}",
             "FN:" + escape_text(card.display_name or "")]
    family, given = card.family_name or "", card.given_name or ""
    if not family and not given:
        family = card.display_name or ""
    split = split_reading(card.reading)
    sort_as = ""
    if card.reading:
        # SORT-AS holds one value per name component, comma-separated: a comma of the reading
        # itself cannot be written there and is dropped
        parts = split if split else (card.reading.strip(),)
        sort_as = ";SORT-AS=" + ",".join(_param(p.replace(",", " ")) for p in parts)
    lines.append(f"N{sort_as}:{escape_text(family)};{escape_text(given)};;;")
    if card.reading:
        if split:
            lines.append("X-PHONETIC-LAST-NAME:" + escape_text(split[0]))
            lines.append("X-PHONETIC-FIRST-NAME:" + escape_text(split[1]))
        else:
            lines.append("X-PHONETIC-LAST-NAME:" + escape_text(card.reading.strip()))
    if card.organisation:
        lines.append("ORG:" + escape_text(card.organisation))
    if card.title:
        lines.append("TITLE:" + escape_text(card.title))
    for kind, value, label in card.details:
        value = value.strip()
        if not value:
            continue
        if kind == "email":
            lines.append(_typed("EMAIL", label, escape_text(value)))
        elif kind == "phone":
            lines.append(_typed("TEL", label, escape_text(value)))
        elif kind == "url":
            # a URI value is not escaped (RFC 6350 3.4 escapes TEXT only); a URL never holds a
            # line end, and one with a space is no URL for an address book either
            if _URI.match(value):
                lines.append(_typed("URL", label, value))
        elif kind == "address":
            # Goen keeps an address as one text: it goes in the street component
            lines.append(_typed("ADR", label, f";;{escape_text(value)};;;;"))
        elif kind == "birthday":
            lines.append(_bday(value))
        elif kind == "im":
            if _URI.match(value):
                lines.append("IMPP:" + value)
            else:
                lines.append("X-GOEN-IM:" + escape_text(value))
    for platform, url in card.profiles:
        kind = (platform or "").lower()
        if kind and kind != "web" and _PLATFORM.match(kind):
            lines.append(f"URL;TYPE={kind}:{url}")
        else:
            lines.append(f"URL:{url}")
    if card.tags:
        lines.append("CATEGORIES:" + ",".join(escape_text(tag) for tag in card.tags))
    if card.notes:
        lines.append("NOTE:" + escape_text(NOTES_SEPARATOR.join(card.notes)))
    rev = _vcard_time(card.changed_at)
    if rev:
        lines.append(f"REV:{rev}")
    lines.append("END:VCARD")
    return lines


def write_vcards(db: Database, out: TextIO) -> int:
    """Every contact as a vCard 4.0 card on ``out`` (opened with newline=""); returns how
    many."""
    count = 0
    for card in cards(db):
        out.write("".join(fold(line) for line in vcard_lines(card)))
        count += 1
    return count


# -- CSV -----------------------------------------------------------------------------------------

# The header, in this order. Several values in one cell are joined by " ::: " as Google
# Contacts' own CSV does; notes are joined by a blank line, as in the vCard's NOTE.
CSV_COLUMNS = ("Name", "Family name", "Given name", "Reading", "Organisation", "Title",
               "Headline", "Location", "Tier", "Tags", "E-mails", "Phones", "Web pages",
               "Profile URLs", "Addresses", "Birthday", "Last interaction", "Notes",
               "Goen ID")
MULTI_SEPARATOR = " ::: "
# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google
# Sheets (CSV injection: a contact named "=HYPERLINK(…)" scraped from a profile would become a
# live formula on the user's machine). Such a cell gets a leading apostrophe, which makes the
# spreadsheet take it as text; a program reading the file back should drop it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(card: Card) -> list[str]:
    join = MULTI_SEPARATOR.join
    web = [value for kind, value, _ in card.details if kind == "url"]
    row = [card.display_name, card.family_name, card.given_name, card.reading,
           card.organisation, card.title, card.headline, card.location, card.tier,
           join(card.tags), join(card.values("email")), join(card.values("phone")),
           join(web), join(url for _, url in card.profiles), join(card.values("address")),
           next(iter(card.values("birthday")), ""),
           (card.last_interaction or "")[:10], NOTES_SEPARATOR.join(card.notes), card.id]
    return [safe_cell(value) for value in row]


def write_csv(db: Database, out: TextIO) -> int:
    """Every contact as one CSV row on ``out`` (opened with newline=""), after a header;
    returns how many rows."""
    # A byte order mark first: Excel on a Japanese Windows reads a CSV without one as
    # Shift_JIS (cp932) and shows the names as mojibake; with it, Excel reads UTF-8. Other
    # programs (Google Sheets, LibreOffice, Python's utf-8-sig) skip it.
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator=CRLF)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for card in cards(db):
        writer.writerow(csv_row(card))
        count += 1
    return count
