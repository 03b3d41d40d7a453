"""`goen backup`, `goen restore` and `goen export` (companion/cli_data.py), run through a parser
built with ``register`` against a temporary data folder."""

from __future__ import annotations

import argparse
import io
import json
import socket
import stat

import pytest

from companion import cli, cli_data
from companion.db import Database
from companion.services.export_json import import_all


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def goen(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="goen")
    sub = parser.add_subparsers(dest="command", required=True)
    cli_data.register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def home(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("GOEN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GOEN_PORT", str(free_port()))
    monkeypatch.setenv("GOEN_TOKEN_BACKEND", "file")
    for name in ("GOEN_BACKUP_DIR", "GOEN_BACKUP_KEEP"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))     # not a terminal: nobody to ask
    return data_dir


def add_person(data_dir, name: str) -> None:
    db = Database(data_dir / "goen.sqlite3")
    try:
        db.migrate()
        with db.transaction() as conn:
            conn.execute("INSERT INTO contacts (display_name, sort_key, created_at, updated_at)"
                         " VALUES (?, '', 'x', 'x')", (name,))
    finally:
        db.close()


def people(data_dir) -> list[str]:
    db = Database(data_dir / "goen.sqlite3")
    try:
        return [r[0] for r in db.query_all("SELECT display_name FROM contacts ORDER BY id")]
    finally:
        db.close()


def test_backup_then_restore(home, capsys):
    add_person(home, "Yui Mori")
    assert goen("backup") == 0
    path = capsys.readouterr().out.strip().splitlines()[-1]
    assert path.startswith(str(home / "backups" / "goen-")) and path.endswith(".sqlite3")
    add_person(home, "Sho Ueda")

    assert goen("restore", path) == 1                 # no --yes and no terminal to ask
    err = capsys.readouterr().err
    assert "--yes" in err and "復元" in err
    assert people(home) == ["Yui Mori", "Sho Ueda"]

    assert goen("restore", path, "--yes") == 0
    out = capsys.readouterr().out
    assert "Restored 1 contacts" in out and "goen-before-restore-" in out
    assert people(home) == ["Yui Mori"]
    kept = list(home.glob("goen-before-restore-*.sqlite3"))
    assert len(kept) == 1


def test_restore_refuses_a_bad_file_and_a_running_companion(home, tmp_path, capsys,
                                                            monkeypatch):
    add_person(home, "Yui Mori")
    garbage = tmp_path / "not-a-backup.sqlite3"
    garbage.write_text("hello")
    assert goen("restore", str(garbage), "--yes") == 1
    assert "not a SQLite database" in capsys.readouterr().err
    assert goen("restore", str(tmp_path / "nowhere.sqlite3"), "--yes") == 1
    assert "No backup file" in capsys.readouterr().err

    assert goen("backup") == 0
    path = capsys.readouterr().out.strip().splitlines()[-1]
    seen = []
    monkeypatch.setattr(cli, "_probe", lambda port, token: seen.append(port) or (
        "ok", f"the companion 0.1 is serving on 127.0.0.1:{port}"))
    add_person(home, "Sho Ueda")
    assert goen("restore", path, "--yes") == 1
    assert "stop it" in capsys.readouterr().err and seen
    assert people(home) == ["Yui Mori", "Sho Ueda"]


def test_backup_without_a_database(home, capsys):
    assert goen("backup") == 1
    assert "no database" in capsys.readouterr().err


def test_export_writes_a_private_file_that_imports_back(home, tmp_path, capsys):
    add_person(home, "佐藤 花")
    assert goen("export", "--output", "all.json") == 0
    out = capsys.readouterr().out
    target = tmp_path / "all.json"
    assert str(target) in out and "1 contacts" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [c["display_name"] for c in data["tables"]["contacts"]] == ["佐藤 花"]
    fresh = Database(tmp_path / "fresh.sqlite3")
    try:
        assert import_all(fresh, data).counts["contacts"] == 1
    finally:
        fresh.close()

    assert goen("export", "--output", "all.json") == 1      # never overwrites
    assert "already exists" in capsys.readouterr().err
    assert goen("export", "--output", "-") == 0
    assert json.loads(capsys.readouterr().out)["format"] == "goen-export"
    assert goen("export") == 0                               # default name, here
    assert len(list(tmp_path.glob("goen-export-*.json"))) == 1
