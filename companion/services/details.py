"""A person's e-mail addresses, phone numbers, web pages, postal addresses and birthdays
(``contact_details``, migration 0015), as imports bring them.

``normalise`` gives the form two records are compared in, so the same address from a vCard and
from Google Contacts is one row, and ``contacts_with`` finds who already has one (certain
evidence that an imported card is a person we know: an e-mail address or a personal URL;
a phone number is only used with the name, since families and offices share numbers).

Functions that write take an open write transaction's connection.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from companion.services.identity import canonical_or_none

KINDS = ("email", "phone", "url", "address", "birthday", "im", "import_key")
SHOWN_KINDS = KINDS[:-1]   # an import_key is bookkeeping (migration 0015), not a way to reach
MAX_VALUE_CHARS = 1000

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NOT_DIGIT = re.compile(r"[^0-9]")


@dataclass(frozen=True)
class Detail:
    kind: str
    value: str
    label: str | None = None


def normalise(kind: str, value: str) -> str | None:
    """The compared form of a value, or None when it is no value of that kind."""
    # NFKC: full-width digits and letters (０３－１２３４, ｔａｒｏ＠…) as a Japanese phone
    # book often holds them
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return None
    if kind == "email":
        text = text.removeprefix("mailto:").removeprefix("MAILTO:").strip()
        return text.lower() if _EMAIL.match(text) else None
    if kind == "phone":
        text = text.removeprefix("tel:").strip()
        digits = _NOT_DIGIT.sub("", text)
        if len(digits) < 3:
            return None
        return ("+" + digits) if text.startswith("+") else digits
    if kind == "import_key":
        return value.strip() or None   # compared exactly
    if kind == "url":
        found = canonical_or_none(text if "://" in text else "https://" + text)
        return found.url if found else None
    return " ".join(text.split()).casefold()


def add_details(conn: sqlite3.Connection, contact_id: int, details: list[Detail],
                source: str, now: str) -> int:
    """Record details on a contact; one already there (in its compared form) is left as it is.
    Returns how many were new."""
    added = 0
    for detail in details:
        if detail.kind not in KINDS:
            raise ValueError(f"unknown detail kind: {detail.kind}")
        value = (detail.value or "").strip()[:MAX_VALUE_CHARS]
        norm = normalise(detail.kind, value)
        if norm is None:
            continue
        added += conn.execute(
            "INSERT INTO contact_details (contact_id, kind, value, value_norm, label, source,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (contact_id, kind, value_norm) DO NOTHING",
            (contact_id, detail.kind, value, norm, (detail.label or None), source, now)).rowcount
    return added


def contacts_with(conn: sqlite3.Connection, kind: str, value: str) -> list[int]:
    """The contacts that have this detail (compared form), oldest first."""
    norm = normalise(kind, value)
    if norm is None:
        return []
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT contact_id FROM contact_details WHERE kind = ? AND value_norm = ?"
        " ORDER BY contact_id", (kind, norm))]


def details_of(conn: sqlite3.Connection, contact_id: int) -> list[Detail]:
    """The details to show, by kind (import keys left out)."""
    return [Detail(r[0], r[1], r[2]) for r in conn.execute(
        "SELECT kind, value, label FROM contact_details WHERE contact_id = ?"
        " AND kind != 'import_key' ORDER BY kind, id", (contact_id,))]
