"""Backups and restore (services/backup.py): consistent copies while another connection writes,
pruning that touches only automatic backups, restores that keep the database they replace and
refuse anything that is not a good Goen backup, and the daily job."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from companion import jobs
from companion.db import Database, available_migrations, open_connection
from companion.services import backup as bk
from companion.services.backup import BackupError
from companion.settings import load_settings

NOW = datetime(2026, 11, 27, 6, 30, 5, tzinfo=timezone.utc)


def make_db(path: Path, people: int = 3) -> Database:
    db = Database(path)
    db.migrate()
    with db.transaction() as conn:
        for n in range(people):
            conn.execute("INSERT INTO contacts (display_name, sort_key, created_at, updated_at)"
                         " VALUES (?, '', 'x', 'x')", (f"Hana Sato {n}",))
    return db


def names(path: Path) -> list[str]:
    conn = open_connection(path)
    try:
        return [r[0] for r in conn.execute("SELECT display_name FROM contacts ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path) -> Database:
    db = make_db(tmp_path / "data" / "goen.sqlite3")
    yield db
    db.close()


def test_backup_is_a_checked_private_copy_in_backups(db):
    result = bk.backup(db, now=NOW)
    assert result.path == db.path.parent / "backups" / "goen-20261127-063005.sqlite3"
    assert result.bytes == result.path.stat().st_size > 0
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(result.path.parent.stat().st_mode) == 0o700
    assert names(result.path) == ["Hana Sato 0", "Hana Sato 1", "Hana Sato 2"]
    # one self-contained file: no -wal beside it, nothing partial left
    assert sorted(p.name for p in result.path.parent.iterdir()) == [result.path.name]
    second = bk.backup(db, now=NOW)       # the same second: a new name, not an overwrite
    assert second.path.name == "goen-20261127-063005-2.sqlite3"


def test_backup_while_another_connection_writes_is_consistent(db, tmp_path):
    stop = threading.Event()
    written = {"n": 0}

    def writer():
        conn = open_connection(db.path)
        try:
            while not stop.is_set():
                # two rows per transaction: a torn copy would show an odd count
                conn.execute("BEGIN IMMEDIATE")
                for _ in range(2):
                    conn.execute("INSERT INTO notes (contact_id, body, created_at, updated_at)"
                                 " VALUES (1, 'met at the Osaka meetup', 'x', 'x')")
                conn.execute("COMMIT")
                written["n"] += 1
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = []
        for n in range(5):
            while written["n"] < (n + 1) * 20:   # let it write between copies
                pass
            copies.append(bk.backup(db, tmp_path / "b", now=NOW + timedelta(seconds=n)))
    finally:
        stop.set()
        thread.join()
    counts = []
    for copy in copies:
        conn = open_connection(copy.path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = conn.execute("SELECT COUNT(*) FROM notes").fetchone()[0]
        finally:
            conn.close()
        assert count % 2 == 0
        counts.append(count)
    assert counts == sorted(counts) and counts[-1] > 0
    assert written["n"] * 2 > counts[0]


def test_a_copy_failing_its_check_is_refused_and_deleted(db, tmp_path, monkeypatch):
    monkeypatch.setattr(bk, "_integrity",
                        lambda conn: "*** in database main *** Page 3: never used")
    with pytest.raises(BackupError) as failed:
        bk.backup(db, tmp_path / "b", now=NOW)
    assert failed.value.code == "backup_corrupt"
    assert list((tmp_path / "b").iterdir()) == []


def test_prune_keeps_exactly_the_newest_and_ignores_other_files(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    made = [folder / f"goen-202611{day:02d}-030000.sqlite3" for day in range(1, 11)]
    for path in reversed(made):            # created newest first: names decide, not mtimes
        path.write_bytes(b"x")
    others = ["goen-before-restore-20261101-000000.sqlite3", "notes.txt",
              "goen-20261101-030000.sqlite3.partial", "my-goen-20261101-030000.sqlite3"]
    for name in others:
        (folder / name).write_bytes(b"keep me")
    removed = bk.prune(folder, 3)
    assert removed == made[:7]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [p.name for p in made[7:]] + others)
    assert bk.prune(folder, 3) == []
    bk.prune(folder, 0)
    assert sorted(p.name for p in folder.iterdir()) == sorted(others)


def test_restore_brings_the_data_back_and_keeps_the_current_one(db, tmp_path):
    saved = bk.backup(db, tmp_path / "b", now=NOW)
    with db.transaction() as conn:
        conn.execute("DELETE FROM contacts WHERE id = 2")
        conn.execute("UPDATE contacts SET display_name = 'Ren Kato' WHERE id = 1")
    db.close()
    result = bk.restore(db.path, saved.path, now=NOW + timedelta(hours=1))
    assert names(db.path) == ["Hana Sato 0", "Hana Sato 1", "Hana Sato 2"]
    assert result.contacts == 3
    assert result.kept_path == db.path.parent / "goen-before-restore-20261127-073005.sqlite3"
    assert names(result.kept_path) == ["Ren Kato", "Hana Sato 2"]
    assert stat.S_IMODE(result.kept_path.stat().st_mode) == 0o600
    assert result.schema_version == available_migrations()[-1].version
    # the restored database is a working WAL database again, the backup untouched
    conn = open_connection(db.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert names(saved.path) == ["Hana Sato 0", "Hana Sato 1", "Hana Sato 2"]


def test_restore_into_a_folder_without_a_database(db, tmp_path):
    saved = bk.backup(db, tmp_path / "b", now=NOW)
    target = tmp_path / "new" / "goen.sqlite3"
    result = bk.restore(target, saved.path)
    assert result.kept_path is None and names(target) == ["Hana Sato 0", "Hana Sato 1",
                                                          "Hana Sato 2"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_restore_refuses_while_another_connection_has_the_database_open(db, tmp_path):
    saved = bk.backup(db, tmp_path / "b", now=NOW)
    with db.transaction() as conn:
        conn.execute("DELETE FROM contacts")
    other = open_connection(db.path)   # as a running companion would
    other.execute("SELECT COUNT(*) FROM contacts").fetchone()
    db.close()
    try:
        with pytest.raises(BackupError) as refused:
            bk.restore(db.path, saved.path, now=NOW)
        assert refused.value.code == "database_in_use"
    finally:
        other.close()
    assert names(db.path) == []
    assert not list(db.path.parent.glob("goen-before-restore-*"))


@pytest.mark.parametrize("kind", ["missing", "garbage", "truncated", "not_goen", "newer"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(db, tmp_path, kind):
    saved = bk.backup(db, tmp_path / "b", now=NOW)
    bad = tmp_path / "bad.sqlite3"
    if kind == "garbage":
        bad.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 100)
    elif kind == "truncated":
        data = saved.path.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif kind == "not_goen":
        other = sqlite3.connect(bad)
        other.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
        other.commit()
        other.close()
    elif kind == "newer":
        bad.write_bytes(saved.path.read_bytes())
        conn = open_connection(bad)
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', 'x')")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
    with db.transaction() as conn:
        conn.execute("UPDATE contacts SET display_name = 'Still Here' WHERE id = 1")
    before = bad.read_bytes() if bad.exists() else None
    with pytest.raises(BackupError) as refused:
        bk.restore(db.path, bad, now=NOW)
    assert refused.value.code == {"missing": "backup_not_found", "garbage": "not_a_database",
                                  "truncated": "backup_corrupt",
                                  "not_goen": "not_a_goen_database",
                                  "newer": "backup_too_new"}[kind]
    assert refused.value.message_ja and str(bad) in refused.value.message
    assert names(db.path)[0] == "Still Here"
    assert not list(db.path.parent.glob("goen-before-restore-*"))
    assert (bad.read_bytes() if bad.exists() else None) == before


def test_the_daily_job_backs_up_once_a_day_and_prunes(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    db = make_db(data_dir / "goen.sqlite3")
    monkeypatch.setenv("GOEN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GOEN_BACKUP_KEEP", "2")
    monkeypatch.delenv("GOEN_BACKUP_DIR", raising=False)
    clock = {"at": NOW}
    real_backup = bk.backup
    monkeypatch.setattr(bk, "backup", lambda db, folder: real_backup(db, folder,
                                                                      now=clock["at"]))
    job = [j for j in jobs.JOBS if j.name == "backup"]
    try:
        folder = data_dir / "backups"
        day = date(2026, 11, 27)
        for n in range(4):
            clock["at"] = NOW + timedelta(days=n)
            runs = {r.name: r for r in jobs.run_due(db, day + timedelta(days=n), tuple(job))}
            assert runs["backup"].ran, runs["backup"].error
            again = jobs.run_due(db, day + timedelta(days=n), tuple(job))
            assert not again[0].ran                  # once a day
        assert [p.name for p in bk.automatic_backups(folder)] == [
            "goen-20261129-063005.sqlite3", "goen-20261130-063005.sqlite3"]
        assert "1 pruned" in jobs.last_runs(db)["backup"]["result"]

        monkeypatch.setenv("GOEN_BACKUP_DIR", str(tmp_path / "elsewhere"))
        clock["at"] = NOW + timedelta(days=10)
        jobs.run_due(db, day + timedelta(days=10), tuple(job))
        assert len(bk.automatic_backups(tmp_path / "elsewhere")) == 1

        monkeypatch.setenv("GOEN_BACKUP_KEEP", "0")         # off: nothing made, nothing pruned
        runs = jobs.run_due(db, day + timedelta(days=11), tuple(job))
        assert runs[0].result == "disabled"
        assert len(bk.automatic_backups(folder)) == 2
    finally:
        db.close()


def test_backup_settings():
    settings = load_settings({"data_dir": "/tmp/goen-x"}, environ={})
    assert settings.backup_keep == 7 and settings.backups_dir == Path("/tmp/goen-x/backups")
    settings = load_settings({"data_dir": "/tmp/goen-x"},
                             environ={"GOEN_BACKUP_DIR": "/srv/b", "GOEN_BACKUP_KEEP": "0"})
    assert settings.backup_keep == 0 and settings.backups_dir == Path("/srv/b")
    with pytest.raises(ValueError):
        load_settings(environ={"GOEN_BACKUP_KEEP": "-1"})
