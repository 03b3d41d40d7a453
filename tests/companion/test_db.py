import sqlite3
import threading

import pytest

from companion import db as dbmod
from companion.db import Database, Migration, split_statements


def test_migrate_creates_tables_and_records_versions(tmp_path):
    database = Database(tmp_path / "a.sqlite3")
    applied = database.migrate()
    assert applied == [m.version for m in dbmod.available_migrations()]
    assert database.schema_version() == applied[-1]
    tables = {r[0] for r in database.query_all("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"contacts", "identities", "interactions", "captures", "notes", "tags",
            "contact_tags", "schema_migrations"} <= tables
    assert database.migrate() == []  # idempotent


def test_pragmas(tmp_path):
    database = Database(tmp_path / "a.sqlite3")
    assert database.query_one("PRAGMA journal_mode")[0] == "wal"
    assert database.query_one("PRAGMA foreign_keys")[0] == 1


def test_database_file_is_private(tmp_path):
    database = Database(tmp_path / "a.sqlite3")
    database.migrate()
    assert (tmp_path / "a.sqlite3").stat().st_mode & 0o077 == 0


def test_a_failing_migration_leaves_the_previous_version(tmp_path, monkeypatch):
    database = Database(tmp_path / "a.sqlite3")
    database.migrate()
    good = dbmod.available_migrations()
    broken = Migration(len(good) + 1, "broken",
                       "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n")
    monkeypatch.setattr(dbmod, "available_migrations", lambda: [*good, broken])
    with pytest.raises(sqlite3.OperationalError):
        database.migrate()
    assert database.schema_version() == len(good)
    assert database.query_one(
        "SELECT name FROM sqlite_master WHERE name = 'half_done'") is None


def test_transaction_rolls_back_on_error(tmp_path):
    database = Database(tmp_path / "a.sqlite3")
    database.migrate()
    with pytest.raises(RuntimeError):
        with database.transaction() as conn:
            conn.execute("INSERT INTO tags (name) VALUES ('x')")
            raise RuntimeError
    assert database.query_one("SELECT COUNT(*) FROM tags")[0] == 0


def test_split_statements_keeps_semicolons_in_strings():
    sql = "INSERT INTO t VALUES ('a;b');\n-- comment\nCREATE TABLE u (x);\n"
    assert split_statements(sql) == ["INSERT INTO t VALUES ('a;b');", "-- comment\nCREATE TABLE u (x);"]


def test_identity_urls_are_unique_per_platform(tmp_path):
    database = Database(tmp_path / "a.sqlite3")
    database.migrate()
    with database.transaction() as conn:
        conn.execute("INSERT INTO contacts (id, display_name, sort_key, created_at, updated_at)"
                     " VALUES (1, 'A', 'a', 'now', 'now')")
        conn.execute("INSERT INTO identities (contact_id, platform, url, first_seen_at,"
                     " last_seen_at) VALUES (1, 'x', 'https://x.com/a', 'now', 'now')")
    with pytest.raises(sqlite3.IntegrityError):
        database.execute("INSERT INTO identities (contact_id, platform, url, first_seen_at,"
                         " last_seen_at) VALUES (1, 'x', 'https://x.com/a', 'now', 'now')")


def test_a_thread_that_ends_can_close_its_own_connection(tmp_path):
    db = Database(tmp_path / "g.sqlite3")
    db.migrate()
    mine = db.connect()
    seen = {}

    def worker():
        seen["conn"] = db.connect()
        db.execute("SELECT 1")
        db.disconnect()
        db.disconnect()          # twice: nothing left to close

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["conn"] is not mine and seen["conn"] not in db._all
    with pytest.raises(sqlite3.ProgrammingError):   # closed
        seen["conn"].execute("SELECT 1")
    assert db.connect() is mine and db.query_one("SELECT 1")[0] == 1
    db.close()
