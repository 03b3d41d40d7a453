"""Google Contacts' CSV export (contacts.google.com → Export → "Google CSV"), as the file, or a
folder or zip holding it.

Columns are read by name (case and spacing ignored), in both layouts Google has written:

* the current one: First Name, Middle Name, Last Name, Phonetic First Name, Phonetic Middle
  Name, Phonetic Last Name, Name Prefix, Name Suffix, Nickname, File As, Organization Name,
  Organization Title, Organization Department, Birthday, Notes, Photo, Labels, then numbered
  groups: E-mail 1 - Label / - Value, Phone 1 - Label / - Value, Address 1 - Label /
  - Formatted / - Street / - City / - PO Box / - Region / - Postal Code / - Country /
  - Extended Address, Website 1 - Label / - Value, IM 1 - Label / - Service / - Value, …;
* the older one: Name, Given Name, Additional Name, Family Name, Yomi Name, Given Name Yomi,
  Additional Name Yomi, Family Name Yomi, …, Notes, Group Membership, E-mail 1 - Type /
  - Value, Phone 1 - Type / - Value, Address 1 - Type / - Formatted / …, Organization 1 - Name
  / - Title / - Department, Website 1 - Type / - Value, IM 1 - Type / - Service / - Value.

A cell may hold several values joined by `` ::: `` (two phone numbers of one label): each is
one detail. Labels / Group Membership become tags, without Google's system groups
(``* myContacts``, ``* starred``); the ``* `` of other system groups (``* friends``) is dropped.
Names are written family first when Japanese; the reading is the phonetic (yomi) parts,
family first. Everything else, and how a row finds its person, is as for a vCard (cards.py):
the organisation's name and title, e-mail, phone, address, birthday, website and IM details,
a profile URL as an identity, Notes as a note. Not read: Photo (a URL to Google's copy), File
As, Nickname (unless there is no name), relations, events, custom fields, departments.

A file with Google's columns but no name column at all is refused with a clear message; a row
without any name or e-mail address is skipped with its line.
"""

from __future__ import annotations

import re
from typing import Iterator

from companion.db import Database, utc_now
from companion.services.details import Detail
from companion.services.imports.base import ImportFailed, ImportSummary, Skipped, Source, register
from companion.services.imports.cards import (SKIP_NO_NAME, Card, CardWriter, birthday_of,
                                              clean, content_key, full_name, reading_of, tags_from,
                                              write_cards)

SEPARATOR = " ::: "
HEADER_FILES = 20       # CSV files of a folder or zip looked at for Google's header

CURRENT_NAMES = ("first name", "middle name", "last name")
OLD_NAMES = ("name", "given name", "additional name", "family name")
# Columns only Google's export has (a LinkedIn Connections.csv has First Name and Last Name
# too, an Outlook CSV E-mail Address): two of these tell a Google file.
MARKERS = frozenset({
    "e-mail 1 - value", "e-mail 1 - label", "e-mail 1 - type", "phone 1 - value",
    "phone 1 - label", "phone 1 - type", "labels", "group membership", "file as",
    "name prefix", "name suffix", "phonetic first name", "phonetic last name",
    "phonetic middle name", "given name yomi", "family name yomi", "additional name yomi",
    "yomi name", "organization name", "organization 1 - name", "organization 1 - title",
    "website 1 - value", "address 1 - formatted", "additional name"})
_NUMBERED = re.compile(r"^(e-mail|phone|address|website|im|organization) (\d+) - (.+)$")
_ADDRESS_PARTS = ("po box", "extended address", "street", "city", "region", "postal code",
                  "country")


def _key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _values(cell: str) -> list[str]:
    return [v.strip() for v in (cell or "").split(":::") if v.strip()]


def _label(text: str | None) -> str | None:
    # the older layout marks the primary value's type with "* " ("* Home")
    return clean((text or "").replace(SEPARATOR, " ").lstrip("*").strip(), 60)


def _header(source: Source, name: str) -> list[str]:
    """The first non-empty row's column names ([] for a file that is no readable CSV). Not
    counted as progress: detection reads it before any importer runs."""
    rows, read_bytes = source.rows(name), source.read_bytes
    try:
        for _, row in rows:
            if any(cell.strip() for cell in row):
                return [_key(cell) for cell in row]
    except ImportFailed:
        return []
    finally:
        rows.close()
        source.read_bytes = read_bytes
    return []


class _Row:
    """One CSV row by normalised column name."""

    def __init__(self, columns: dict[str, int], row: list[str]):
        self.columns, self.row = columns, row

    def get(self, name: str) -> str:
        index = self.columns.get(name)
        return self.row[index].strip() if index is not None and index < len(self.row) else ""


def to_card(row: _Row, groups: dict[str, dict[int, dict[str, str]]]) -> Card | str:
    """A row as a Card, or the reason (a SKIP_ text) it is no person. ``groups``: the numbered
    columns, kind → number → field → column name."""
    first, middle, last = row.get("first name"), row.get("middle name"), row.get("last name")
    given = first or row.get("given name")
    family = last or row.get("family name")
    middle = middle or row.get("additional name")
    card = Card(display_name=clean(row.get("name")) or full_name(family, given, middle) or "")
    card.family_name, card.given_name = clean(family), clean(given)
    card.reading = (reading_of(row.get("phonetic last name") or row.get("family name yomi"),
                               row.get("phonetic first name") or row.get("given name yomi"),
                               row.get("phonetic middle name")
                               or row.get("additional name yomi"))
                    or reading_of(row.get("yomi name"), None))
    organisation = row.get("organization name")
    title = row.get("organization title")
    for fields in groups.get("organization", {}).values():
        organisation = organisation or row.get(fields.get("name", ""))
        title = title or row.get(fields.get("title", ""))
    card.organisation, card.title = clean(organisation), clean(title)

    emails: list[str] = []
    for kind, detail_kind in (("e-mail", "email"), ("phone", "phone"), ("website", "url")):
        for fields in groups.get(kind, {}).values():
            label = _label(row.get(fields.get("label", "")) or row.get(fields.get("type", "")))
            for value in _values(row.get(fields.get("value", ""))):
                card.details.append(Detail(detail_kind, value, label))
                if detail_kind == "email":
                    emails.append(value)
    for fields in groups.get("address", {}).values():
        label = _label(row.get(fields.get("label", "")) or row.get(fields.get("type", "")))
        formatted = _values(row.get(fields.get("formatted", "")))
        if not formatted:
            parts = [row.get(fields[p]) for p in _ADDRESS_PARTS if p in fields]
            formatted = [", ".join(p for p in parts if p)] if any(parts) else []
        for value in formatted:
            card.details.append(Detail("address", " ".join(value.split()), label))
    for fields in groups.get("im", {}).values():
        label = _label(row.get(fields.get("service", "")) or row.get(fields.get("label", ""))
                       or row.get(fields.get("type", "")))
        for value in _values(row.get(fields.get("value", ""))):
            card.details.append(Detail("im", value, label))
    birthday = birthday_of(row.get("birthday"))
    if birthday:
        card.details.append(Detail("birthday", birthday))

    notes = row.get("notes")
    card.notes = [notes] if notes else []
    card.tags = tags_from(_values(row.get("labels") or row.get("group membership")))
    if not card.display_name:
        card.display_name = (clean(row.get("nickname")) or card.organisation
                             or (emails[0] if emails else ""))
    if not card.display_name:
        return SKIP_NO_NAME
    card.import_key = content_key("google-csv-sha:", card, (family, given, middle))
    return card


class GoogleCsvImporter:
    name = "google_csv"
    # Tried before generic CSV readers and before LinkedIn's by-file-name detection: a Google
    # file renamed Connections.csv is still Google's, and detect() wants Google-only columns.
    priority = 45

    def _files(self, source: Source) -> list[str]:
        found = []
        for path in source.paths("*.csv")[:HEADER_FILES]:
            if len(MARKERS.intersection(_header(source, path))) >= 2:
                found.append(path)
        return found

    def detect(self, source: Source) -> bool:
        return bool(self._files(source))

    def run(self, db: Database, settings, source: Source) -> ImportSummary:
        paths = self._files(source)
        source.read_bytes = 0
        source.total_bytes = sum(source.size(p) for p in paths)
        summary = ImportSummary(source=f"google_csv:{source.path.name}")
        writer = CardWriter(summary, "google_csv", utc_now())
        for path in paths:
            writer.start_file(source.modified_at(path))
            write_cards(db, writer, self._cards(source, path))
        return summary

    @staticmethod
    def _cards(source: Source, path: str) -> Iterator[tuple[str, Card | Skipped]]:
        rows = source.rows(path)
        columns: dict[str, int] = {}
        for _, row in rows:
            if any(cell.strip() for cell in row):
                keys = [_key(cell) for cell in row]
                columns = {k: i for i, k in reversed(list(enumerate(keys)))}
                break
        if not any(name in columns for name in CURRENT_NAMES + OLD_NAMES):
            raise ImportFailed(
                f"{path} に名前の列がありません（First Name / Last Name、または Name / Given Name"
                f" / Family Name） / {path} has no name column (First Name / Last Name, or Name"
                f" / Given Name / Family Name)", {"file": path})
        groups: dict[str, dict[int, dict[str, str]]] = {}
        for column in columns:
            found = _NUMBERED.match(column)
            if found:
                kind, number, part = found.groups()
                groups.setdefault(kind, {}).setdefault(int(number), {})[part] = column
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            where = f"{path}:{line}"
            result = to_card(_Row(columns, row), groups)
            yield where, Skipped(where, result) if isinstance(result, str) else result


register(GoogleCsvImporter())
