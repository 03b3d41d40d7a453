"""The full JSON export, and its import into an empty database (issue 8).

The export holds every table of the user's data, row by row with its id, so that importing it
into an empty database gives the same contents (tests/companion/services/test_export_json.py
checks export → import → export gives the same export). Derived caches are left out: they are
rebuilt from the rest (next_followups, stock_spans, sent_shingles, the contacts_fts search
index — rebuilt by its triggers as rows go in — and job_runs).

Shape::

    {"format": "goen-export", "format_version": 1, "schema_version": 14,
     "exported_at": "…Z", "tables": {"contacts": [{"id": 1, "display_name": …}, …], …}}

Values are as stored. A BLOB (only captures.html_zlib: the raw captured page, zlib-compressed)
is written as ``{"$base64": "…"}``: the stored bytes themselves, not the page decompressed, so a
round trip gives the very same bytes (recompressing need not) and the page's sha256 still holds.

An import keeps every id, so references between rows hold as they were; it runs in one
transaction, so a failure part-way leaves nothing behind.
"""

from __future__ import annotations

import base64
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime

from companion.db import Database, utc_now
from companion.errors import ApiError
from companion.services.search_bulk import deferred

FORMAT = "goen-export"
FORMAT_VERSION = 1
# In the order an import writes them: a row's references are written before it.
TABLES = ("contacts", "tags", "captures", "identities", "interactions", "notes", "contact_tags",
          "facts", "ledger", "suggestion_actions", "events", "event_people", "contact_links",
          "preferences", "contact_details", "identity_proposals", "merges", "identity_not_same")
# (merges before identity_not_same: a merge row's trigger re-points "not the same" decisions,
# and on import there are none yet to re-point)
BLOB_KEY = "$base64"


class ExportError(ApiError):
    """An export that cannot be imported; ``message_ja`` says it in Japanese."""

    def __init__(self, status: int, code: str, message: str, message_ja: str):
        super().__init__(status, code, message, {"message_ja": message_ja})
        self.message_ja = message_ja


@dataclass(frozen=True)
class ImportSummary:
    counts: dict[str, int] = field(default_factory=dict)   # rows written per table
    format_version: int = FORMAT_VERSION
    schema_version: int = 0      # of the export
    seconds: float = 0.0


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _order(conn: sqlite3.Connection, table: str) -> str:
    """By primary key, so that the same contents give the same export."""
    keys = sorted((r[5], r[1]) for r in conn.execute(f"PRAGMA table_info({table})") if r[5])
    return ", ".join(name for _, name in keys) or "rowid"


def _out(value):
    if isinstance(value, bytes):
        return {BLOB_KEY: base64.b64encode(value).decode("ascii")}
    return value


def _in(value):
    if isinstance(value, dict):
        if set(value) != {BLOB_KEY} or not isinstance(value[BLOB_KEY], str):
            raise ValueError("an object value must be {\"$base64\": \"…\"}")
        return base64.b64decode(value[BLOB_KEY], validate=True)
    if isinstance(value, list):
        raise ValueError("a value cannot be a list")
    return value


def export_all(db: Database, now: datetime | str | None = None) -> dict:
    """Every table of user data, as one JSON-ready dict (one read snapshot)."""
    conn = db.connect()
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")       # a read transaction: every table from the same moment
    try:
        tables = {}
        for table in TABLES:
            columns = _columns(conn, table)
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}"
                                f" ORDER BY {_order(conn, table)}")
            tables[table] = [{c: _out(v) for c, v in zip(columns, row)} for row in rows]
        version = db.schema_version()
    finally:
        if own:
            conn.execute("COMMIT")
    exported_at = now if isinstance(now, str) else (
        now.isoformat() if now else utc_now())
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": version,
            "exported_at": exported_at, "tables": tables}


def _refuse(code: str, en: str, ja: str, status: int = 400) -> ExportError:
    return ExportError(status, code, en, ja)


def _check(db: Database, data) -> dict:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _refuse("not_an_export", "This is not a Goen JSON export.",
                      "Goen の JSON エクスポートではありません。")
    if data.get("format_version") != FORMAT_VERSION:
        raise _refuse("unknown_export_format",
                      f"Export format {data.get('format_version')!r} is not one this Goen reads "
                      f"({FORMAT_VERSION}).",
                      f"エクスポート形式 {data.get('format_version')!r} はこの Goen では読めません。")
    version = data.get("schema_version")
    current = db.schema_version()
    if not isinstance(version, int) or version > current:
        raise _refuse("export_too_new",
                      f"The export comes from a newer Goen (schema {version}, this one has "
                      f"{current}); update Goen first.",
                      f"新しい版の Goen のエクスポートです（スキーマ {version}、この版は {current}）。"
                      "先に Goen を更新してください。", 409)
    tables = data.get("tables")
    if not isinstance(tables, dict) or set(tables) - set(TABLES):
        unknown = sorted(set(tables) - set(TABLES)) if isinstance(tables, dict) else []
        raise _refuse("bad_export", f"Unknown tables in the export: {', '.join(unknown)}.",
                      f"エクスポートに不明な表があります: {', '.join(unknown)}。")
    return tables


def is_empty(db: Database) -> bool:
    """No user data at all (derived caches and job records do not count)."""
    return not any(db.query_one(f"SELECT 1 FROM {t} LIMIT 1") for t in TABLES)


def import_all(db: Database, data: dict) -> ImportSummary:
    """Write an export into an empty database (migrated here if it is not yet), ids kept."""
    started = time.perf_counter()
    db.migrate()
    tables = _check(db, data)
    counts: dict[str, int] = {}
    with db.transaction() as conn, deferred(conn):
        # checked inside the write transaction: nothing can be written between check and import
        # (the contact search index is rebuilt once per person at the end: search_bulk.py)
        if not is_empty(db):
            raise _refuse("database_not_empty",
                          "The database already holds data; a JSON export is imported only "
                          "into an empty one (restore a backup to go back in time).",
                          "データベースにすでにデータがあります。JSON エクスポートは空のデータ"
                          "ベースにだけ読み込めます（過去に戻すにはバックアップから復元してください）。",
                          409)
        for table in TABLES:
            rows = tables.get(table) or []
            if not isinstance(rows, list):
                raise _refuse("bad_export", f"{table}: rows must be a list.",
                              f"{table}: 行はリストでなければなりません。")
            known = set(_columns(conn, table))
            for n, row in enumerate(rows):
                if not isinstance(row, dict) or not row or set(row) - known:
                    extra = sorted(set(row) - known) if isinstance(row, dict) else []
                    raise _refuse("bad_export",
                                  f"{table} row {n}: not a row of this table"
                                  + (f" (unknown columns {', '.join(extra)})" if extra else "")
                                  + "; nothing was imported.",
                                  f"{table} の {n} 行目がこの表の行ではありません。何も読み込んでいません。")
                columns = list(row)
                try:
                    conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                 f"({', '.join('?' * len(columns))})",
                                 [_in(row[c]) for c in columns])
                except (sqlite3.Error, ValueError, TypeError) as exc:
                    raise _refuse("bad_export",
                                  f"{table} row {n} cannot be imported ({exc}); nothing was "
                                  "imported.",
                                  f"{table} の {n} 行目を読み込めません（{exc}）。何も読み込んでいません。"
                                  ) from None
            counts[table] = len(rows)
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken:
            raise _refuse("bad_export",
                          f"{broken[0]} row {broken[1]} refers to a missing {broken[2]} row; "
                          "nothing was imported.",
                          f"{broken[0]} の行 {broken[1]} が存在しない {broken[2]} を参照しています。"
                          "何も読み込んでいません。")
    return ImportSummary(counts, FORMAT_VERSION, data["schema_version"],
                         time.perf_counter() - started)
