"""``goen reparse``: read every kept capture again with today's adapters.

Captures are re-read oldest first, through the same store as a new capture, so the result is
what saving them again in their original order would give: contacts are found by identity (never
duplicated), messages are idempotent, an older capture fills gaps but never overwrites a newer
one, and a capture that now reads moves from needs_attention to parsed. Running it twice changes
nothing the second time.

The follow-up facts are read again too (their rules improve like adapters do): every interaction
and note of each contact a re-read capture touched — of every contact when all captures are
re-read — then every open promise and question is checked and the relationship recomputed.
Facts are only ever added (``UNIQUE (source, kind, span_start, label)``): a fact the user acted
on keeps its status.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Callable

from companion.adapters.base import Page
from companion.db import Database
from companion.services.capture import (CaptureInput, Unreadable, extract, mark_unreadable,
                                         store_extraction)
from companion.services.followup.updates import reanalyze_contact
from companion.settings import Settings


@dataclass
class CaptureChange:
    capture_id: int
    url: str
    before: str                 # e.g. "needs_attention" or "parsed by linkedin 1"
    after: str
    new_interactions: int = 0
    contact_changed: bool = False


@dataclass
class ReparseReport:
    examined: int = 0
    unchanged: int = 0
    changed: list[CaptureChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    contacts_reanalyzed: int = 0
    new_facts: int = 0

    @property
    def now_unreadable(self) -> int:
        return sum(1 for c in self.changed if not c.after.startswith("parsed"))


def _describe(status: str, adapter_id: str | None, version: str | None) -> str:
    return f"parsed by {adapter_id} {version}" if status == "parsed" else status


def _contact_state(db: Database, contact_id: int | None) -> tuple | None:
    if contact_id is None:
        return None
    row = db.query_one("SELECT * FROM contacts WHERE id = ?", (contact_id,))
    return tuple(row) if row else None


def reparse(db: Database, settings: Settings, adapter_id: str | None = None,
            progress: Callable[[int, int], None] | None = None) -> ReparseReport:
    """Re-read kept captures. With ``adapter_id``: only those that adapter read before, and
    those no adapter could read (the adapter may read them now)."""
    where, params = "", ()
    if adapter_id:
        where = " WHERE adapter_id = ? OR status != 'parsed'"
        params = (adapter_id,)
    rows = db.query_all(
        "SELECT id, url, kind, title, captured_at, captured_at_local, status, adapter_id,"
        f" adapter_version, contact_id FROM captures{where} ORDER BY captured_at, id", params)
    report = ReparseReport()
    touched: set[int] = set()
    for done, row in enumerate(rows, start=1):
        report.examined += 1
        before = _describe(row["status"], row["adapter_id"], row["adapter_version"])
        html_row = db.query_one("SELECT html_zlib FROM captures WHERE id = ?", (row["id"],))
        html = zlib.decompress(html_row[0]).decode("utf-8", "surrogatepass")
        capture = CaptureInput(row["url"], row["kind"], html, row["title"], row["captured_at"],
                               row["captured_at_local"])
        page = Page(capture.url, html, capture.title,
                    capture.captured_at_local or capture.captured_at, capture.kind)
        contact_before = _contact_state(db, row["contact_id"])
        new = 0
        try:
            adapter, extraction = extract(page, capture.kind)
            contact_id, new = store_extraction(db, settings, row["id"], capture, adapter, extraction)
            after = _describe("parsed", adapter.id, adapter.version)
        except Unreadable as problem:
            mark_unreadable(db, row["id"], problem)
            contact_id, after = row["contact_id"], problem.status
        except Exception as exc:  # one bad capture must not stop the others
            report.errors.append(f"capture {row['id']}: {type(exc).__name__}: {exc}")
            continue
        touched.update(c for c in (contact_id, row["contact_id"]) if c is not None)
        touched.update(r[0] for r in db.query_all(
            "SELECT DISTINCT contact_id FROM interactions WHERE capture_id = ?", (row["id"],)))
        contact_changed = (contact_id != row["contact_id"]
                           or _contact_state(db, contact_id) != contact_before)
        if after == before and not new and not contact_changed:
            report.unchanged += 1
        else:
            report.changed.append(CaptureChange(row["id"], row["url"], before, after, new,
                                                contact_changed))
        if progress:
            progress(done, len(rows))
    _reanalyze(db, report, touched, everyone=adapter_id is None)
    return report


def _reanalyze(db: Database, report: ReparseReport, touched: set[int], everyone: bool) -> None:
    """Facts of every interaction and note of the contacts concerned, one transaction each."""
    if everyone:
        touched = {r[0] for r in db.query_all("SELECT id FROM contacts")}
    for contact_id in sorted(touched):
        try:
            with db.transaction() as conn:
                report.new_facts += reanalyze_contact(conn, contact_id)
            report.contacts_reanalyzed += 1
        except Exception as exc:  # one contact must not stop the others
            report.errors.append(f"facts of contact {contact_id}: {type(exc).__name__}: {exc}")


def report_lines(report: ReparseReport) -> list[str]:
    lines = [f"{report.examined} captures read again: {len(report.changed)} changed, "
             f"{report.unchanged} unchanged, {len(report.errors)} errors.",
             f"Facts read again for {report.contacts_reanalyzed} contacts: "
             f"{report.new_facts} new."]
    for change in report.changed:
        extra = []
        if change.new_interactions:
            extra.append(f"{change.new_interactions} new messages")
        if change.contact_changed:
            extra.append("contact updated")
        lines.append(f"  #{change.capture_id} {change.url}: {change.before} → {change.after}"
                     + (f" ({', '.join(extra)})" if extra else ""))
    lines += [f"  {error}" for error in report.errors]
    return lines
