"""Goen's own JSON export through `goen import` (services/imports/goen_json.py): recognised by
its first kilobytes, imported whole into an empty database, refused with both languages into
one that holds data, through import_path and through the command."""

from __future__ import annotations

import argparse
import json
import zipfile

import pytest

from companion import cli_import
from companion.db import Database
from companion.services import export_json
from companion.services.imports import ImportFailed, detect, import_path
from companion.services.imports import goen_json

NOW = "2024-03-01T09:00:00.000Z"


def fill(db: Database) -> None:
    db.migrate()
    with db.transaction() as conn:
        for name in ("佐藤 花", "Oliver Quill"):
            cid = conn.execute("INSERT INTO contacts (display_name, sort_key, created_at,"
                               " updated_at) VALUES (?, ?, ?, ?) RETURNING id",
                               (name, name.casefold(), NOW, NOW)).fetchone()[0]
            conn.execute("INSERT INTO interactions (contact_id, platform, direction,"
                         " occurred_at, text, external_id, created_at) VALUES (?, 'linkedin',"
                         " 'in', ?, 'こんにちは', ?, ?)", (cid, NOW, f"m{cid}", NOW))
        conn.execute("INSERT INTO notes (contact_id, body, created_at, updated_at)"
                     " VALUES (1, 'メモ', ?, ?)", (NOW, NOW))


@pytest.fixture
def export_file(tmp_path):
    """A JSON export of a small database, written as `goen export` writes it."""
    other = Database(tmp_path / "other.sqlite3")
    try:
        fill(other)
        data = export_json.export_all(other)
    finally:
        other.close()
    path = tmp_path / "goen-export-20240301-090000.json"
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_an_export_is_detected_and_imported_into_an_empty_database(db, settings, export_file):
    assert detect(export_file).name == "goen_json"
    summary = import_path(db, settings, export_file)
    assert summary.source == f"goen-json:{export_file.name}"
    assert (summary.created, summary.interactions_added, summary.skipped) == (2, 2, [])
    assert [r[0] for r in db.query_all("SELECT display_name FROM contacts ORDER BY id")] == [
        "佐藤 花", "Oliver Quill"]
    assert db.query_one("SELECT body FROM notes")[0] == "メモ"


def test_a_database_with_data_refuses_it_in_both_languages_and_keeps_its_data(
        db, settings, export_file):
    with db.transaction() as conn:
        conn.execute("INSERT INTO contacts (display_name, sort_key, created_at, updated_at)"
                     " VALUES ('Existing Person', 'existing person', ?, ?)", (NOW, NOW))
    with pytest.raises(ImportFailed) as caught:
        import_path(db, settings, export_file)
    message = caught.value.message
    assert "already holds data" in message and "すでにデータがあります" in message
    assert caught.value.status == 400 and caught.value.details["code"] == "database_not_empty"
    assert [r[0] for r in db.query_all("SELECT display_name FROM contacts")] == [
        "Existing Person"]


def test_detection_reads_only_the_head_and_ignores_other_json(tmp_path, monkeypatch):
    other = tmp_path / "contacts.json"
    other.write_text(json.dumps({"people": [{"format": "goen-export"}]}), encoding="utf-8")
    assert detect(other) is None or detect(other).name != "goen_json"
    # a note that quotes the marker inside the tables is no marker
    tricky = tmp_path / "tricky.json"
    tricky.write_text('{"tables": {"notes": [{"body": "\\"format\\": \\"goen-export\\""}]}}',
                      encoding="utf-8")
    assert detect(tricky) is None or detect(tricky).name != "goen_json"
    # a huge file: only HEAD_BYTES are read to recognise it
    big = tmp_path / "big.json"
    big.write_text('{"format": "goen-export", "pad": "' + "x" * 2_000_000 + '"}',
                   encoding="utf-8")
    read = []
    real = goen_json._head

    def spy(source, name):
        text = real(source, name)
        read.append(len(text))
        return text

    monkeypatch.setattr(goen_json, "_head", spy)
    assert detect(big).name == "goen_json"
    assert read and max(read) <= goen_json.HEAD_BYTES


def test_an_export_in_a_zip_is_found(db, settings, export_file, tmp_path):
    archive = tmp_path / "backup.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(export_file, export_file.name)
    assert import_path(db, settings, archive).created == 2


def test_a_cut_short_export_fails_clearly_and_writes_nothing(db, settings, export_file):
    text = export_file.read_text(encoding="utf-8")
    export_file.write_text(text[: len(text) // 2], encoding="utf-8")
    assert detect(export_file).name == "goen_json"
    with pytest.raises(ImportFailed) as caught:
        import_path(db, settings, export_file)
    assert "JSON として読めません" in caught.value.message
    assert "not readable JSON" in caught.value.message
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 0


def test_an_export_from_a_newer_goen_is_refused(db, settings, export_file):
    data = json.loads(export_file.read_text(encoding="utf-8"))
    data["schema_version"] = 999
    export_file.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_path(db, settings, export_file)
    assert "newer Goen" in caught.value.message and "新しい版" in caught.value.message


def run_cli(path) -> int:
    parser = argparse.ArgumentParser()
    cli_import.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import", str(path)])
    return args.func(args)


def test_goen_import_of_an_export(data_dir, db, export_file, monkeypatch, capsys):
    monkeypatch.setenv("GOEN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GOEN_TOKEN_BACKEND", "file")
    assert run_cli(export_file) == 0
    out = capsys.readouterr().out
    assert "created: 2" in out and "interactions added: 2" in out
    # the second time the database holds data: refused, in both languages, exit 1
    assert run_cli(export_file) == 1
    err = capsys.readouterr().err
    assert "already holds data" in err and "すでにデータがあります" in err
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 2
