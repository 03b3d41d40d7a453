"""Mastodon's account export (Preferences → Import and export → Data export): the CSV files
of the people followed (``following_accounts.csv``: "Account address,Show boosts,…") and of
the lists (``lists.csv``: "list name,account", no header). A zip, a folder or one file.

Each account (``user@server``) becomes a contact with its Mastodon identity, through the same
identity service a capture uses (the canonical ``https://server/@user``), so a person already
captured is found, not made twice. A list becomes a tag on its members. Muted and blocked
accounts are not imported: they are no ties to keep up. An address without a server (an
account of the user's own server, which the export does not name) is skipped with that reason.
Importing the same files twice adds nothing.
"""

from __future__ import annotations

import re
import sqlite3

from companion.adapters.base import Profile
from companion.db import Database, utc_now
from companion.services.identity import canonical_or_none, resolve_profile
from companion.services.imports.base import ImportSummary, Skipped, Source, batch, register

FOLLOWING = "following_accounts.csv"
LISTS = "lists.csv"
BATCH_ROWS = 500
_ADDRESS = re.compile(r"^@?(?P<user>[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*)"
                      r"(?:@(?P<server>[A-Za-z0-9.-]+\.[A-Za-z]{2,}))?$")


class _Run:
    def __init__(self, db: Database, source: Source):
        self.db, self.source = db, source
        self.summary = ImportSummary(source=f"mastodon:{source.path.name}")
        self.now = utc_now()
        self.seen: set[int] = set()        # contacts met in this import
        self.created: set[int] = set()     # of which made by it
        self.updated: set[int] = set()     # people from before who gained a list tag

    def person(self, conn: sqlite3.Connection, where: str, address: str) -> int | None:
        found = _ADDRESS.match(address.strip())
        if not found:
            self.summary.skipped.append(Skipped(where, f"not an account address: {address!r}"))
            return None
        if not found["server"]:
            self.summary.skipped.append(Skipped(
                where, "an account of your own server: the export does not say which server"))
            return None
        user, server = found["user"], found["server"].lower()
        url = canonical_or_none(f"https://{server}/@{user}")
        if url is None:
            self.summary.skipped.append(Skipped(where, f"not an account address: {address!r}"))
            return None
        profile = Profile(display_name=f"@{user}@{server}", url=url.url, handle=f"{user}@{server}")
        resolved = resolve_profile(conn, profile, None, self.now,
                                   self.source.modified_at(FOLLOWING) or self.now)
        if resolved.contact_id not in self.seen:
            self.seen.add(resolved.contact_id)
            if resolved.created:
                self.created.add(resolved.contact_id)
                self.summary.created += 1
        return resolved.contact_id

    def batches(self, name: str, handle) -> None:
        rows = iter(self.source.rows(name))
        while True:
            with batch(self.db) as conn:
                count = 0
                for line, row in rows:
                    handle(conn, f"{name}:{line}", row)
                    count += 1
                    if count >= BATCH_ROWS:
                        break
            if count < BATCH_ROWS:
                return

    def following(self) -> None:
        def handle(conn, where, row):
            if not row or not row[0].strip() or row[0].strip().lower() == "account address":
                return
            self.person(conn, where, row[0])
        self.batches(FOLLOWING, handle)

    def lists(self) -> None:
        def handle(conn, where, row):
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                if any(cell.strip() for cell in row):
                    self.summary.skipped.append(Skipped(where, "a list row needs a list name "
                                                               "and an account"))
                return
            contact_id = self.person(conn, where, row[1])
            if contact_id is None:
                return
            name = " ".join(row[0].split())[:100]
            conn.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
                         (name,))
            tag_id = conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0]
            added = conn.execute("INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)"
                                 " VALUES (?, ?)", (contact_id, tag_id)).rowcount
            if added and contact_id not in self.created and contact_id not in self.updated:
                self.updated.add(contact_id)
                self.summary.updated += 1
        self.batches(LISTS, handle)


class MastodonImporter:
    name = "mastodon"

    def detect(self, source: Source) -> bool:
        if source.has(FOLLOWING):
            return True
        if not source.has(LISTS):
            return False
        # lists.csv has no header: two columns, the second an account address
        for _, row in source.rows(LISTS):
            if any(cell.strip() for cell in row):
                return len(row) == 2 and _ADDRESS.match(row[1].strip()) is not None
        return False

    def run(self, db: Database, settings, source: Source) -> ImportSummary:
        present = [n for n in (FOLLOWING, LISTS) if source.has(n)]
        source.total_bytes = sum(source.size(n) for n in present)
        run = _Run(db, source)
        if source.has(FOLLOWING):
            run.following()
        if source.has(LISTS):
            run.lists()
        return run.summary


register(MastodonImporter())
