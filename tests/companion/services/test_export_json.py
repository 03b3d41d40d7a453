"""The full JSON export (services/export_json.py): export → import into an empty database →
export again gives the same export; an import refuses a database with data and leaves nothing
behind when it fails part-way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from companion.db import Database
from companion.demo import ensure_demo
from companion.services import export_json
from companion.services.export_json import ExportError, export_all, import_all

NOW = "2026-11-27T07:00:00.000Z"


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Path:
    """A small generated network (bench/gen_network.py through companion/demo.py) with what the
    generator does not make added by hand: tags, notes, a ledger entry, a preference and a
    suggestion acted on. Returns its database path."""
    folder = tmp_path_factory.mktemp("export-network") / "data"
    ensure_demo(folder, contacts=30)
    db = Database(folder / "goen.sqlite3")
    try:
        with db.transaction() as conn:
            conn.execute("INSERT INTO tags (id, name) VALUES (1, '勉強会'), (2, 'rust')")
            conn.execute("INSERT INTO contact_tags VALUES (1, 1), (1, 2), (2, 2)")
            conn.execute("INSERT INTO notes (contact_id, body, created_at, updated_at) VALUES"
                         " (1, '福岡の物流の話。来月また会う。', ?, ?)", (NOW, NOW))
            conn.execute("INSERT INTO ledger (contact_id, flow, kind, text, occurred_at,"
                         " created_at) VALUES (1, 'given', 'introduction', 'introduced to Aoi',"
                         " ?, ?)", (NOW, NOW))
            conn.execute("INSERT INTO preferences VALUES ('language', '\"en\"', ?)", (NOW,))
            conn.execute("INSERT INTO identity_proposals (a_id, b_id, score, verdict, reasons,"
                         " status, created_at, updated_at) VALUES (1, 2, 0.8, 'likely', '[]',"
                         " 'open', ?, ?)", (NOW, NOW))
            conn.execute("INSERT INTO merges (kept_id, merged_id, reason, merged_at, log)"
                         " VALUES (1, 999, 'user', ?, '{}')", (NOW,))
            conn.execute("INSERT INTO identity_not_same VALUES ('c:1', 'c:3', ?)", (NOW,))
            conn.execute("INSERT INTO contact_details (contact_id, kind, value, value_norm,"
                         " label, source, created_at) VALUES (1, 'email', 'Aoi@Example.jp',"
                         " 'aoi@example.jp', 'work', 'vcard', ?)", (NOW,))
            conn.execute("INSERT INTO suggestion_actions VALUES ('k1', 2, 'quiet', 'snoozed',"
                         " '2026-12-01', ?)", (NOW,))
    finally:
        db.close()
    return folder / "goen.sqlite3"


@pytest.fixture
def source(network, tmp_path) -> Database:
    path = tmp_path / "source.sqlite3"
    shutil.copy(network, path)
    db = Database(path)
    yield db
    db.close()


@pytest.fixture
def empty(tmp_path) -> Database:
    db = Database(tmp_path / "empty" / "goen.sqlite3")
    db.migrate()
    yield db
    db.close()


def test_round_trip_gives_the_same_export(source, empty):
    first = export_all(source, now=NOW)
    assert all(first["tables"][t] for t in export_json.TABLES), \
        [t for t in export_json.TABLES if not first["tables"][t]]   # every table has rows
    # through JSON text, as the file goes
    summary = import_all(empty, json.loads(json.dumps(first, ensure_ascii=False)))
    assert summary.counts["contacts"] == 30
    assert summary.counts == {t: len(first["tables"][t]) for t in export_json.TABLES}
    second = export_all(empty, now=NOW)
    assert second == first

    # spot checks: one person's identities, notes, tags and facts, by the same ids
    def person(db, cid):
        return (db.query_one("SELECT display_name, sort_key FROM contacts WHERE id = ?",
                             (cid,))[:],
                [tuple(r) for r in db.query_all(
                    "SELECT platform, url FROM identities WHERE contact_id = ? ORDER BY id",
                    (cid,))],
                [r[0] for r in db.query_all("SELECT body FROM notes WHERE contact_id = ?",
                                            (cid,))],
                [r[0] for r in db.query_all(
                    "SELECT t.name FROM tags t JOIN contact_tags ct ON ct.tag_id = t.id"
                    " WHERE ct.contact_id = ? ORDER BY t.id", (cid,))],
                [tuple(r) for r in db.query_all(
                    "SELECT kind, span_text, status FROM facts WHERE contact_id = ?"
                    " ORDER BY id", (cid,))])
    got = person(empty, 1)
    assert got == person(source, 1)
    assert got[2] == ["福岡の物流の話。来月また会う。"] and got[3] == ["勉強会", "rust"]
    assert got[1] and got[4]
    # the raw captured pages come back byte for byte
    assert [bytes(r[0]) for r in source.query_all("SELECT html_zlib FROM captures ORDER BY id")] \
        == [bytes(r[0]) for r in empty.query_all("SELECT html_zlib FROM captures ORDER BY id")]
    # and the search index was rebuilt by its triggers, to the same text
    def index(db):
        return [tuple(r) for r in db.query_all(
            "SELECT rowid, doc FROM contacts_fts ORDER BY rowid")]
    assert len(index(empty)) == 30 and index(empty) == index(source)


def test_derived_caches_are_left_out(source):
    data = export_all(source, now=NOW)
    for table in ("next_followups", "stock_spans", "sent_shingles", "job_runs",
                  "contacts_fts", "schema_migrations"):
        assert table not in data["tables"]
    assert data["format"] == "goen-export" and data["format_version"] == 1
    assert data["schema_version"] == source.schema_version()


def test_import_refuses_a_database_with_data(source, empty):
    data = export_all(source, now=NOW)
    with pytest.raises(ExportError) as refused:
        import_all(source, data)
    assert refused.value.code == "database_not_empty" and refused.value.status == 409
    # a lone preference is data too
    empty.execute("INSERT INTO preferences VALUES ('language', '\"ja\"', ?)", (NOW,))
    with pytest.raises(ExportError):
        import_all(empty, data)


def test_a_failure_part_way_leaves_the_database_empty(source, empty):
    data = export_all(source, now=NOW)
    # the last table's last row breaks a CHECK: everything before it was written by then
    data["tables"]["contact_links"][-1]["kind"] = "enemies"
    with pytest.raises(ExportError) as failed:
        import_all(empty, data)
    assert "contact_links" in failed.value.message
    assert export_json.is_empty(empty)
    assert empty.query_one("SELECT COUNT(*) FROM contacts_fts")[0] == 0


def test_a_crash_part_way_leaves_the_database_empty(source, empty, monkeypatch):
    data = export_all(source, now=NOW)
    real = export_json._in
    seen = {"n": 0}

    def crash(value):
        seen["n"] += 1
        if seen["n"] == 5000:
            raise KeyboardInterrupt   # not an error the import knows: it must still roll back
        return real(value)

    monkeypatch.setattr(export_json, "_in", crash)
    with pytest.raises(KeyboardInterrupt):
        import_all(empty, data)
    assert seen["n"] == 5000
    assert export_json.is_empty(empty)
    assert not empty.connect().in_transaction


def test_an_export_from_a_newer_goen_or_not_an_export_is_refused(source, empty):
    data = export_all(source, now=NOW)
    newer = dict(data, schema_version=data["schema_version"] + 1)
    with pytest.raises(ExportError) as refused:
        import_all(empty, newer)
    assert refused.value.code == "export_too_new"
    with pytest.raises(ExportError) as refused:
        import_all(empty, {"contacts": []})
    assert refused.value.code == "not_an_export"
    bad = json.loads(json.dumps(data))
    bad["tables"]["contacts"][0]["shoe_size"] = 42
    with pytest.raises(ExportError) as refused:
        import_all(empty, bad)
    assert "shoe_size" in refused.value.message
    assert export_json.is_empty(empty)
