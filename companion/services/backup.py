"""Backups and restore of the one SQLite file (issue 8).

``backup`` copies the database with SQLite's online backup API
(https://www.sqlite.org/backup.html) in a single step: the copy is one read snapshot, so it is
consistent while the companion keeps writing (WAL lets writers go on beside the reader). The
copy is written as ``<name>.partial``, checked with ``PRAGMA integrity_check`` and only then
renamed, so a crash or a failed check never leaves a file that looks like a backup. Copies are
switched to the rollback journal (``journal_mode=DELETE``): a backup is one self-contained file,
with no ``-wal``/``-shm`` beside it to lose when it is copied elsewhere.

``restore`` writes a backup into the real database path through the backup API too, rather
than copying a file over it and ``os.replace``-ing: a ``-wal`` file left beside a replaced main
file would be replayed onto it by the next connection (the classic way to corrupt SQLite,
https://www.sqlite.org/howtocorrupt.html#_deleting_a_hot_journal). Going through SQLite takes
its locks and handles the WAL. Before writing, the database is switched out of WAL mode, which
SQLite allows only when no other connection has it open, so a companion still running on the
same data folder makes the restore fail cleanly instead of swapping data under it.

Names: automatic backups are ``goen-YYYYmmdd-HHMMSS.sqlite3`` (UTC, so names sort in time
order whatever the clock's daylight saving does); ``prune`` touches only names of that shape.
The database kept by a restore is ``goen-before-restore-YYYYmmdd-HHMMSS.sqlite3``, never pruned.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from companion.db import Database, available_migrations, open_connection
from companion.errors import ApiError

BACKUP_NAME = re.compile(r"^goen-(\d{8})-(\d{6})(?:-(\d+))?\.sqlite3$")
SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(ApiError):
    """A backup or restore that cannot be done; ``message_ja`` says it in Japanese."""

    def __init__(self, status: int, code: str, message: str, message_ja: str):
        super().__init__(status, code, message, {"message_ja": message_ja})
        self.message_ja = message_ja


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    seconds: float


@dataclass(frozen=True)
class RestoreResult:
    path: Path                 # the database restored
    backup_path: Path          # what it was restored from
    kept_path: Path | None     # the database as it was before, None when there was none
    schema_version: int        # of the restored database, after upgrading it
    contacts: int
    seconds: float


def _stamp(now: datetime | None) -> str:
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:          # a naive time is taken as UTC
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(timezone.utc).strftime("%Y%m%d-%H%M%S")


def default_backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, mode=0o700, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)   # it holds copies of personal data: owner only


def _new_private_file(path: Path) -> None:
    """Create an empty 0600 file before SQLite opens it: no moment with wider permissions
    (SQLite gives its -journal the database file's permissions)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _unlink_with_journals(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def _integrity(conn: sqlite3.Connection) -> str:
    """'ok', or what PRAGMA integrity_check (or reading at all) found wrong."""
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    found = "; ".join(str(r[0]) for r in rows[:5])
    return "ok" if found == "ok" else found


def _copy(src: sqlite3.Connection, dest_path: Path) -> None:
    """The whole of ``src`` into the new file ``dest_path`` (created 0600), rollback journal."""
    _new_private_file(dest_path)
    dest = open_connection(dest_path)
    try:
        # pages=-1: every page in one step, one snapshot of the source (a step-by-step copy
        # restarts whenever another connection writes, and could chase a busy database)
        src.backup(dest, pages=-1)
        dest.execute("PRAGMA journal_mode = DELETE")
        problem = _integrity(dest)
    finally:
        dest.close()
    if problem != "ok":
        raise BackupError(500, "backup_corrupt",
                          f"The copy failed its integrity check ({problem}); it was deleted.",
                          f"コピーが整合性チェックに失敗したため削除しました（{problem}）。")


def backup(db: Database, dest_dir: Path | str | None = None,
           now: datetime | None = None) -> BackupResult:
    """A consistent copy of ``db`` in ``dest_dir`` (default: ``backups/`` beside it)."""
    started = time.perf_counter()
    folder = Path(dest_dir) if dest_dir else default_backup_dir(db.path)
    _private_dir(folder)
    base = f"goen-{_stamp(now)}"
    path, n = folder / f"{base}.sqlite3", 1
    while path.exists():            # two backups in one second: goen-…-2.sqlite3
        n += 1
        path = folder / f"{base}-{n}.sqlite3"
    # per process: a `goen backup` in the same second as the daily job never shares it
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    _unlink_with_journals(partial)
    src = open_connection(db.path)
    try:
        _copy(src, partial)
        os.replace(partial, path)
    except BaseException:
        _unlink_with_journals(partial)
        raise
    finally:
        src.close()
    return BackupResult(path, path.stat().st_size, time.perf_counter() - started)


def automatic_backups(folder: Path | str) -> list[Path]:
    """The automatic backups in ``folder``, oldest first (by the time in their names)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = BACKUP_NAME.match(entry.name)
        if match and entry.is_file():
            found.append(((match[1], match[2], int(match[3] or 1)), entry))
    return [path for _, path in sorted(found)]


def prune(folder: Path | str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups; return what was deleted. Files
    of any other name (a restore's kept database, the user's own) are never touched."""
    if keep < 0:
        raise ValueError("keep must be 0 or more")
    backups = automatic_backups(folder)
    doomed = backups[:max(len(backups) - keep, 0)]
    for path in doomed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return doomed


def _open_backup(path: Path) -> sqlite3.Connection:
    """Open a backup to read it, after the checks that need no SQLite."""
    if not path.is_file():
        raise BackupError(404, "backup_not_found", f"No backup file at {path}.",
                          f"{path} にバックアップファイルがありません。")
    with open(path, "rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise BackupError(400, "not_a_database",
                          f"{path} is not a SQLite database (not a Goen backup).",
                          f"{path} は SQLite データベースではありません（Goen のバックアップではありません）。")
    # read-only: checking a backup must not change it
    return open_connection_readonly(path)


def open_connection_readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                           isolation_level=None, check_same_thread=False, timeout=30.0)
    conn.row_factory = sqlite3.Row
    return conn


def check_backup(path: Path | str) -> int:
    """The schema version of a usable backup; BackupError when it is not one."""
    path = Path(path)
    conn = _open_backup(path)
    try:
        problem = _integrity(conn)
        if problem != "ok":
            raise BackupError(400, "backup_corrupt",
                              f"{path} is damaged or truncated ({problem}); nothing was changed.",
                              f"{path} は壊れているか途中までしかありません（{problem}）。何も変更していません。")
        try:
            has = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                               " AND name = 'schema_migrations'").fetchone()
            version = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] \
                if has else None
        except sqlite3.DatabaseError as exc:
            raise BackupError(400, "backup_corrupt", f"{path} cannot be read ({exc}).",
                              f"{path} を読めません（{exc}）。") from None
    finally:
        conn.close()
    if not version:
        raise BackupError(400, "not_a_goen_database",
                          f"{path} is a SQLite database but not a Goen one (no schema version).",
                          f"{path} は SQLite データベースですが Goen のものではありません。")
    latest = available_migrations()[-1].version
    if version > latest:
        raise BackupError(409, "backup_too_new",
                          f"{path} comes from a newer Goen (schema {version}, this one knows "
                          f"{latest}); update Goen first.",
                          f"{path} は新しい版の Goen のものです（スキーマ {version}、この版は "
                          f"{latest} まで）。先に Goen を更新してください。")
    return version


def restore(db_path: Path | str, backup_path: Path | str,
            now: datetime | None = None) -> RestoreResult:
    """Replace the database at ``db_path`` with the backup, keeping the current one beside it.

    The companion must not be running on this database (see the module's docstring).
    """
    started = time.perf_counter()
    db_path, backup_path = Path(db_path), Path(backup_path)
    check_backup(backup_path)
    existed = db_path.exists()
    if not existed:
        _private_dir(db_path.parent)
        _new_private_file(db_path)
    kept = None
    dest = open_connection(db_path)
    src = None
    try:
        try:
            # only possible when no other connection has the database open: checked before
            # anything is written
            dest.execute("PRAGMA busy_timeout = 1000")
            dest.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.OperationalError:
            raise BackupError(409, "database_in_use",
                              f"{db_path} is in use by another program (is the companion "
                              "running? stop it first); nothing was changed.",
                              f"{db_path} は他のプログラムが使用中です（コンパニオンが起動中なら"
                              "先に停止してください）。何も変更していません。") from None
        if existed:
            kept = db_path.with_name(f"goen-before-restore-{_stamp(now)}.sqlite3")
            n = 1
            while kept.exists():
                n += 1
                kept = db_path.with_name(f"goen-before-restore-{_stamp(now)}-{n}.sqlite3")
            try:
                _copy(dest, kept)
            except BaseException:
                _unlink_with_journals(kept)
                raise
        src = _open_backup(backup_path)
        src.backup(dest, pages=-1)
        problem = _integrity(dest)
        dest.execute("PRAGMA journal_mode = WAL")
    finally:
        dest.close()
        if src is not None:
            src.close()
    if problem != "ok":   # not expected: the backup passed the same check
        raise BackupError(500, "restore_failed",
                          f"The restored database failed its integrity check ({problem}); "
                          f"the previous one is kept at {kept}.",
                          f"復元したデータベースが整合性チェックに失敗しました（{problem}）。"
                          f"元のデータベースは {kept} にあります。")
    db = Database(db_path)
    try:
        db.migrate()    # an older backup is brought up to this version's schema
        version = db.schema_version()
        contacts = db.query_one("SELECT COUNT(*) FROM contacts")[0]
    finally:
        db.close()
    return RestoreResult(db_path, backup_path, kept, version, contacts,
                         time.perf_counter() - started)


def daily_backup(db: Database, settings=None) -> str:
    """The daily job: one backup, then prune to ``backup_keep``; nothing when it is 0.

    The job runner hands jobs only the database, so settings are read from the environment
    when not given. ``backup_dir`` applies to the database of the settings' data folder; any
    other database (the demo's) keeps its backups beside itself, so the two never prune each
    other's.
    """
    if settings is None:
        from companion.settings import load_settings
        settings = load_settings()
    keep = settings.backup_keep
    if keep <= 0:
        return "disabled"
    same_db = Path(db.path).resolve() == Path(settings.db_path).resolve()
    folder = settings.backups_dir if same_db else default_backup_dir(db.path)
    result = backup(db, folder)
    removed = prune(folder, keep)
    return f"{result.path.name} ({result.bytes} bytes), {len(removed)} pruned"
