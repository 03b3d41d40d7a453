"""What the vCard and Google CSV tests read back of an imported person (both importers write
through cards.py, so both tests look at the same tables)."""

from __future__ import annotations

TABLES = ("contacts", "identities", "contact_details", "notes", "tags", "contact_tags")


def counts(db) -> dict:
    return {t: db.query_one(f"SELECT COUNT(*) FROM {t}")[0] for t in TABLES}


def person(db, name: str):
    return db.query_one("SELECT * FROM contacts WHERE display_name = ?", (name,))


def details(db, contact_id: int, kind: str) -> list[tuple[str, str | None]]:
    return [(r[0], r[1]) for r in db.query_all(
        "SELECT value, label FROM contact_details WHERE contact_id = ? AND kind = ? ORDER BY id",
        (contact_id, kind))]


def tags(db, contact_id: int) -> list[str]:
    return [r[0] for r in db.query_all(
        "SELECT t.name FROM tags t JOIN contact_tags ct ON ct.tag_id = t.id"
        " WHERE ct.contact_id = ? ORDER BY t.name", (contact_id,))]


def notes(db, contact_id: int) -> list[str]:
    return [r[0] for r in db.query_all("SELECT body FROM notes WHERE contact_id = ? ORDER BY id",
                                       (contact_id,))]


def identities(db, contact_id: int) -> list[str]:
    return [r[0] for r in db.query_all("SELECT url FROM identities WHERE contact_id = ?"
                                       " ORDER BY id", (contact_id,))]
