"""Deferred search upkeep (migration 0016, services/search_bulk.py): a bulk write inside
``deferred`` leaves exactly the index and sort keys the triggers would have written."""

from __future__ import annotations

import pytest

from companion.db import Database
from companion.services.search_bulk import deferred

NOW = "2026-11-27T00:00:00.000Z"

PEOPLE = [
    ("山田 太郎", "ヤマダ タロウ", "ｺﾞｴﾝ株式会社", ["勉強会", "Rust"], ["大阪の物流の話 ①"]),
    ("Jane Ｏ'Brien", None, "ÉCOLE Demo", ["golf"], []),
    ("ｻﾄｳ ﾊﾅｺ", "さとう はなこ", None, [], ["Met at PyCon JP", "来月また会う"]),
    ("Ken Moriwaki", "もりわき けん", "Kumo Logistics", ["勉強会"], []),
]


def write_people(conn) -> None:
    for n, (name, reading, org, tags, notes) in enumerate(PEOPLE):
        cid = conn.execute(
            "INSERT INTO contacts (display_name, reading, organisation, sort_key, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (name, reading, org, (reading or name).lower(), NOW, NOW)).lastrowid
        conn.execute("INSERT INTO identities (contact_id, platform, url, handle, display_name,"
                     " first_seen_at, last_seen_at) VALUES (?, 'x', ?, ?, ?, ?, ?)",
                     (cid, f"https://x.com/person{n}", f"person{n}", name, NOW, NOW))
        for tag in tags:
            conn.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
                         (tag,))
            conn.execute("INSERT INTO contact_tags SELECT ?, id FROM tags WHERE name = ?",
                         (cid, tag))
        for body in notes:
            conn.execute("INSERT INTO notes (contact_id, body, created_at, updated_at)"
                         " VALUES (?, ?, ?, ?)", (cid, body, NOW, NOW))
    # the same identity seen again through an upsert (its ON CONFLICT once overrode the
    # noting trigger's conflict clause) and a later change to the first person
    conn.execute("INSERT INTO identities (contact_id, platform, url, handle, display_name,"
                 " first_seen_at, last_seen_at) VALUES (1, 'x', 'https://x.com/person0',"
                 " 'yamada_t', '山田', ?, ?) ON CONFLICT (platform, url) DO UPDATE SET"
                 " handle = excluded.handle", (NOW, NOW))
    conn.execute("UPDATE contacts SET title = 'ＣＴＯ' WHERE id = 1")
    conn.execute("DELETE FROM notes WHERE body = '来月また会う'")


def index_of(db: Database):
    return (db.query_all("SELECT rowid, doc FROM contacts_fts ORDER BY rowid"),
            db.query_all("SELECT id, sort_key FROM contacts ORDER BY id"))


@pytest.fixture
def twin(tmp_path) -> Database:
    other = Database(tmp_path / "twin" / "goen.sqlite3")
    other.migrate()
    yield other
    other.close()


def test_deferred_writes_the_same_index_as_the_triggers(db, twin):
    with twin.transaction() as conn:
        write_people(conn)                       # triggers, one change at a time
    with db.transaction() as conn, deferred(conn):
        write_people(conn)
        # while deferred, nothing is indexed yet: only noted
        assert conn.execute("SELECT COUNT(*) FROM contacts_fts").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM contacts_search_deferred").fetchone()[0] == 4
    expected = index_of(twin)
    assert [tuple(r) for r in index_of(db)[0]] == [tuple(r) for r in expected[0]]
    assert [tuple(r) for r in index_of(db)[1]] == [tuple(r) for r in expected[1]]
    assert dict(index_of(db)[1])[3] == "さとう はなこ"    # folded sort key written back
    assert db.query_one("SELECT deferred FROM contacts_search_mode")[0] == 0
    assert db.query_one("SELECT COUNT(*) FROM contacts_search_deferred")[0] == 0
    # and the triggers work again afterwards
    with db.transaction() as conn:
        conn.execute("UPDATE contacts SET organisation = 'Larkspur' WHERE id = 4")
    assert "larkspur" in db.query_one("SELECT doc FROM contacts_fts WHERE rowid = 4")[0]


def test_an_error_rolls_back_the_switch_with_the_rows(db):
    with pytest.raises(ZeroDivisionError):
        with db.transaction() as conn, deferred(conn):
            write_people(conn)
            1 / 0
    assert db.query_one("SELECT deferred FROM contacts_search_mode")[0] == 0
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 0
    with db.transaction() as conn:
        write_people(conn)
    assert db.query_one("SELECT COUNT(*) FROM contacts_fts")[0] == 4


def test_nested_blocks_flush_once_at_the_outer_end_and_a_transaction_is_required(db):
    with db.transaction() as conn, deferred(conn):
        with deferred(conn):
            write_people(conn)
        assert conn.execute("SELECT COUNT(*) FROM contacts_fts").fetchone()[0] == 0
    assert db.query_one("SELECT COUNT(*) FROM contacts_fts")[0] == 4
    with pytest.raises(RuntimeError):
        with deferred(db.connect()):
            pass


def test_an_error_caught_inside_the_transaction_leaves_the_triggers_working(db):
    # a caller that catches the error and commits what it has (nested use of a batch)
    with db.transaction() as conn:
        try:
            with deferred(conn):
                write_people(conn)
                raise ValueError("a bad row")
        except ValueError:
            pass
    assert db.query_one("SELECT deferred FROM contacts_search_mode")[0] == 0
    assert db.query_one("SELECT COUNT(*) FROM contacts_fts")[0] == 4     # what was kept: indexed
    with db.transaction() as conn:
        conn.execute("UPDATE contacts SET organisation = 'Larkspur' WHERE id = 4")
    assert "larkspur" in db.query_one("SELECT doc FROM contacts_fts WHERE rowid = 4")[0]
