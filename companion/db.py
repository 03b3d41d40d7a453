"""The one module that opens SQLite connections.

Every connection gets the same pragmas (WAL, foreign keys, a busy timeout). Connections are kept
per thread, because waitress serves requests from a pool of threads and opening a connection per
request would cost more than a lookup itself. Transactions are explicit: the connection runs in
autocommit mode and ``Database.transaction()`` issues ``BEGIN IMMEDIATE`` so that concurrent
writers queue on the write lock instead of failing to upgrade a read lock
(https://www.sqlite.org/lang_transaction.html).

Migrations are numbered SQL files in companion/migrations/ (``0001_name.sql``). Each one runs in
its own transaction together with its row in ``schema_migrations``: a failed migration leaves the
database at the previous version.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Iterator

MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    found = []
    for entry in resources.files("companion.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def utc_now() -> str:
    """The current time as the ISO 8601 UTC text every table stores."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def open_connection(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                           timeout=30.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL in WAL mode: a committed transaction survives the process being killed (it is in
    # the OS's page cache); only a power cut can lose the last commits.
    # https://www.sqlite.org/pragma.html#pragma_synchronous
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class Database:
    """A SQLite file with per-thread connections and explicit transactions."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
            new_file = not self.path.exists()
            conn = open_connection(self.path)
            if new_file:
                _restrict(self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.connect().execute(sql, params)

    def query_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.connect().execute(sql, params).fetchone()

    def query_all(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.connect().execute(sql, params).fetchall()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested use joins the outer one."""
        conn = self.connect()
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def schema_version(self) -> int:
        conn = self.connect()
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if not exists:
            return 0
        row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    def migrate(self) -> list[int]:
        """Apply every migration not yet applied; return the versions applied now."""
        conn = self.connect()
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied = []
        for migration in available_migrations():
            with self.transaction():
                done = conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?",
                                    (migration.version,)).fetchone()
                if done:
                    continue
                for statement in split_statements(migration.sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utc_now()),
                )
            applied.append(migration.version)
        return applied

    def disconnect(self) -> None:
        """Close this thread's connection, for a thread that is about to end (a thread's
        connection is otherwise kept, in ``_all``, until ``close``)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        with self._lock:
            if conn in self._all:
                self._all.remove(conn)
        conn.close()

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


def split_statements(sql: str) -> list[str]:
    """Split a migration file into statements.

    ``executescript`` would commit the open transaction first, so each statement is run on its
    own inside the migration's transaction. ``sqlite3.complete_statement`` knows about
    semicolons inside strings and trigger bodies.
    """
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip() and not current.strip().startswith("--"):
        raise ValueError(f"incomplete SQL statement at end of migration: {current[:80]!r}")
    return statements


def _restrict(path: Path) -> None:
    """Make a file readable by its owner only: it holds personal data."""
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
