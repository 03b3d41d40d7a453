"""The inbox folder (services/inbox.py, inbox_watcher.py): a real temporary folder, a real
database, Mastodon's small following_accounts.csv (tests/fixtures/imports/mastodon) as the
export dropped in, and the real watchdog Observer and companion where a test says so."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from companion.inbox_watcher import InboxWatcher, start_inbox
from companion.services import inbox
from companion.settings import load_settings
from tests.helpers import ROOT, start_server, stop_server

FOLLOWING = ROOT / "tests" / "fixtures" / "imports" / "mastodon" / "following_accounts.csv"
FOLLOWING_URLS = {"https://example.com/@user", "https://test.com/@user"}
# written for these tests in Mastodon's documented export format; the people are invented
INVENTED_FOLLOWING = ("Account address,Show boosts,Notify on new posts,Languages\n"
                      "hanako_sato@social.example.jp,true,false,\n")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    inbox.ensure_folders(path)
    return path


def mastodon_urls(db) -> set[str]:
    return {r[0] for r in db.query_all("SELECT url FROM identities WHERE platform = 'mastodon'")}


def today() -> str:
    return datetime.now().astimezone().date().isoformat()


def look(db, settings, folder, settling=None):
    return inbox.process_ready(db, settings, folder, settling or inbox.Settling(0))


# -- the setting ----------------------------------------------------------------------------------

def test_the_inbox_is_in_the_data_folder_unless_set_or_off(tmp_path):
    base = {"data_dir": str(tmp_path / "data")}
    assert inbox.inbox_folder(load_settings(base, environ={})) == tmp_path / "data" / "inbox"
    assert inbox.inbox_folder(load_settings(base, environ={"GOEN_INBOX_DIR": "off"})) is None
    assert inbox.inbox_folder(load_settings({**base, "inbox_dir": " OFF "}, environ={})) is None
    assert inbox.inbox_folder(load_settings({**base, "inbox_dir": "~/drop"}, environ={})) == \
        Path.home() / "drop"


def test_the_folders_are_created_owner_only(tmp_path):
    inbox.ensure_folders(tmp_path / "a" / "inbox")
    for path in (tmp_path / "a" / "inbox", tmp_path / "a" / "inbox" / "processed",
                 tmp_path / "a" / "inbox" / "failed"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700


def test_the_app_alone_watches_nothing(app, settings):
    """Only `goen serve` starts the watcher: not importing the modules, not create_app."""
    assert "goen-inbox" not in {t.name for t in threading.enumerate()}
    assert not (settings.data_dir / "inbox").exists()
    assert "goen.inbox" not in app.extensions


def test_off_starts_no_watcher(db, settings):
    off = load_settings({"data_dir": str(settings.data_dir), "inbox_dir": "off"}, environ={})
    assert start_inbox(db, off) is None
    assert not (settings.data_dir / "inbox").exists()


@pytest.mark.parametrize("where", ["data", "data/..", "~", "backups"])
def test_the_data_folder_backups_or_home_are_never_watched(db, settings, tmp_path, where):
    """Everything in the inbox is moved away: the database must never be."""
    data = settings.data_dir   # tmp_path / "data"
    value = {"data": str(data), "data/..": str(data / ".."), "~": "~",
             "backups": str(tmp_path / "backups")}[where]
    chosen = load_settings({"data_dir": str(data), "inbox_dir": value,
                            "backup_dir": str(tmp_path / "backups")}, environ={})
    assert inbox.unusable_reason(inbox.inbox_folder(chosen), chosen)
    assert start_inbox(db, chosen) is None
    assert (data / "goen.sqlite3").exists() and not (data / "failed").exists()


def test_a_folder_of_its_own_is_usable(settings, tmp_path):
    assert inbox.unusable_reason(inbox.inbox_folder(settings), settings) is None
    assert inbox.unusable_reason(tmp_path / "drop", settings) is None


# -- importing, moving, reporting -----------------------------------------------------------------

def test_a_dropped_export_is_imported_and_moved_to_processed_with_a_summary(db, settings,
                                                                           folder):
    shutil.copy(FOLLOWING, folder)
    [result] = look(db, settings, folder)
    assert result.ok and result.summary.created == 2
    assert mastodon_urls(db) == FOLLOWING_URLS
    day = folder / "processed" / today()
    assert result.moved_to == day / "following_accounts.csv"
    assert result.moved_to.read_bytes() == FOLLOWING.read_bytes()
    summary = (day / "following_accounts.csv.summary.txt").read_text(encoding="utf-8")
    assert "取り込み完了 / Import finished: mastodon:following_accounts.csv" in summary
    assert "作成 / created: 2" in summary and "日時 / Time:" in summary
    assert f"processed/{today()}/following_accounts.csv" in summary
    assert inbox.candidates(folder) == []
    assert look(db, settings, folder) == []


def test_the_same_file_dropped_twice_adds_nothing_and_is_kept_beside_the_first(db, settings,
                                                                              folder):
    shutil.copy(FOLLOWING, folder)
    look(db, settings, folder)
    contacts = db.query_one("SELECT COUNT(*) FROM contacts")[0]
    shutil.copy(FOLLOWING, folder)
    [again] = look(db, settings, folder)
    assert again.ok and (again.summary.created, again.summary.updated) == (0, 0)
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == contacts
    day = folder / "processed" / today()
    assert again.moved_to == day / "following_accounts-2.csv"
    assert sorted(p.name for p in day.iterdir()) == [
        "following_accounts-2.csv", "following_accounts-2.csv.summary.txt",
        "following_accounts.csv", "following_accounts.csv.summary.txt"]
    assert "作成 / created: 0" in (day / "following_accounts-2.csv.summary.txt").read_text(
        encoding="utf-8")


def test_garbage_goes_to_failed_with_a_bilingual_report(db, settings, folder):
    (folder / "holiday photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not an export \x00\x01")
    [result] = look(db, settings, folder)
    assert not result.ok and result.moved_to == folder / "failed" / "holiday photo.jpg"
    assert not (folder / "holiday photo.jpg").exists()
    report = (folder / "failed" / "holiday photo.jpg.report.txt").read_text(encoding="utf-8")
    assert "取り込めませんでした / Could not import: holiday photo.jpg" in report
    assert "取り込める形式ではありません / Not an export Goen can import" in report
    assert "日時 / Time:" in report and "What was already imported is kept" in report
    assert "Traceback" not in report   # a known refusal is no bug
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 0


def test_a_truncated_zip_fails_with_the_importers_reason(db, settings, folder, tmp_path):
    whole = tmp_path / "export.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.write(FOLLOWING, "following_accounts.csv")
    data = whole.read_bytes()
    (folder / "export.zip").write_bytes(data[:len(data) // 2])
    [result] = look(db, settings, folder)
    assert not result.ok and "truncated" in result.reason
    assert (folder / "failed" / "export.zip.report.txt").exists()


def test_an_importer_bug_is_reported_with_its_traceback_and_the_inbox_goes_on(
        db, settings, folder, monkeypatch):
    real = inbox.import_in_worker

    def buggy_for_one(db_, settings_, path, progress=None):
        if Path(path).name == "a-first.csv":
            raise KeyError("column the importer forgot")
        return real(db_, settings_, path, progress)

    monkeypatch.setattr(inbox, "import_in_worker", buggy_for_one)
    (folder / "a-first.csv").write_text(INVENTED_FOLLOWING, encoding="utf-8")
    shutil.copy(FOLLOWING, folder)
    first, second = look(db, settings, folder)
    assert (first.name, first.ok, second.name, second.ok) == (
        "a-first.csv", False, "following_accounts.csv", True)
    report = (folder / "failed" / "a-first.csv.report.txt").read_text(encoding="utf-8")
    assert "An unexpected error (a bug in Goen): KeyError" in report
    assert "Traceback (most recent call last)" in report and "buggy_for_one" in report
    assert mastodon_urls(db) == FOLLOWING_URLS


def test_a_report_never_overwrites_another(db, settings, folder):
    """A dropped file named like a report, then the file that report would belong to."""
    (folder / "notes.report.txt").write_text("no export", encoding="utf-8")
    look(db, settings, folder)
    (folder / "notes").write_text("no export either", encoding="utf-8")
    [result] = look(db, settings, folder)
    assert result.moved_to == folder / "failed" / "notes-2"
    assert (folder / "failed" / "notes.report.txt").read_text(encoding="utf-8") == "no export"
    assert "Could not import: notes" in (folder / "failed" / "notes-2.report.txt").read_text(
        encoding="utf-8")


def test_an_unpacked_export_folder_is_imported_and_moved_whole(db, settings, folder):
    export = folder / "mastodon-export"
    shutil.copytree(FOLLOWING.parent, export)
    [result] = look(db, settings, folder)
    assert result.ok and result.summary.created == 5
    assert (folder / "processed" / today() / "mastodon-export" / "lists.csv").exists()
    assert (folder / "processed" / today() / "mastodon-export.summary.txt").exists()
    assert not export.exists()


# -- what is ready --------------------------------------------------------------------------------

def test_a_growing_file_is_imported_only_once_it_stops_growing(db, settings, folder):
    clock = Clock()
    settling = inbox.Settling(2.0, clock=clock)
    path = folder / "following_accounts.csv"
    header, *rows = FOLLOWING.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(header, encoding="utf-8")
    assert look(db, settings, folder, settling) == [] and settling.pending
    for row in rows:               # a download arriving a line every 1.5 s
        clock.now += 1.5
        with open(path, "a", encoding="utf-8") as f:
            f.write(row)
        assert look(db, settings, folder, settling) == []
    clock.now += 1.9               # quiet, but not yet for 2 s
    assert look(db, settings, folder, settling) == [] and settling.pending
    assert path.exists() and mastodon_urls(db) == set()
    clock.now += 0.2
    [result] = look(db, settings, folder, settling)
    assert result.ok and mastodon_urls(db) == FOLLOWING_URLS   # the whole file, every row
    assert not settling.pending


def test_a_file_already_there_waits_the_settle_time_too(db, settings, folder):
    """At start-up a copy may be half done: the first look starts the clock."""
    clock = Clock()
    settling = inbox.Settling(2.0, clock=clock)
    shutil.copy(FOLLOWING, folder)
    assert look(db, settings, folder, settling) == []
    clock.now += 2.0
    assert [r.name for r in look(db, settings, folder, settling)] == ["following_accounts.csv"]


@pytest.mark.parametrize("name", ["following_accounts.csv.crdownload",
                                  "following_accounts.csv.part", "Unconfirmed 1234.crdownload",
                                  "following_accounts.csv.download", "export.tmp",
                                  ".following_accounts.csv", "~$contacts.xlsx"])
def test_partial_downloads_hidden_and_lock_files_are_left_alone(db, settings, folder, name):
    shutil.copy(FOLLOWING, folder / name)
    assert look(db, settings, folder) == []
    assert (folder / name).exists() and mastodon_urls(db) == set()
    assert inbox.counts(folder).waiting == 0


def test_a_finished_download_renamed_by_the_browser_is_imported(db, settings, folder):
    shutil.copy(FOLLOWING, folder / "following_accounts.csv.crdownload")
    assert look(db, settings, folder) == []
    (folder / "following_accounts.csv.crdownload").rename(folder / "following_accounts.csv")
    assert [r.ok for r in look(db, settings, folder)] == [True]


def test_empty_files_and_folders_wait_and_links_are_not_followed(db, settings, folder,
                                                                 tmp_path):
    (folder / "New Folder").mkdir()
    (folder / "placeholder.csv").touch()
    outside = tmp_path / "outside.csv"
    shutil.copy(FOLLOWING, outside)
    (folder / "link.csv").symlink_to(outside)
    assert look(db, settings, folder) == []
    assert (folder / "New Folder").is_dir() and (folder / "placeholder.csv").exists()
    assert (folder / "link.csv").is_symlink() and mastodon_urls(db) == set()


def test_an_entry_that_cannot_be_moved_is_not_imported_again_until_it_changes(
        db, settings, folder, monkeypatch):
    calls = []
    real = inbox.import_in_worker
    monkeypatch.setattr(inbox, "import_in_worker",
                        lambda *a, **k: calls.append(a[2]) or real(*a, **k))

    def refuse(*_):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(inbox.shutil, "move", refuse)
    settling = inbox.Settling(0)
    path = folder / "following_accounts.csv"
    shutil.copy(FOLLOWING, path)
    [result] = look(db, settings, folder, settling)
    assert result.ok and result.moved_to is None and path.exists()
    summary = (folder / "processed" / today() / "following_accounts.csv.summary.txt")
    assert "Could not be moved" in summary.read_text(encoding="utf-8")
    assert look(db, settings, folder, settling) == [] and len(calls) == 1
    with open(path, "a", encoding="utf-8") as f:
        f.write("someone_new@social.example.jp,true,false,\n")
    assert len(look(db, settings, folder, settling)) == 1 and len(calls) == 2


def test_counts_for_doctor(db, settings, folder):
    shutil.copy(FOLLOWING, folder)
    (folder / "junk.bin").write_bytes(b"junk")
    look(db, settings, folder)
    shutil.copy(FOLLOWING, folder / "later.csv")
    (folder / "half.part").write_bytes(b"x")
    assert inbox.counts(folder) == inbox.InboxCounts(waiting=1, processed=1, failed=1)


# -- the watcher ----------------------------------------------------------------------------------

def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_the_watcher_imports_what_was_there_and_what_is_dropped_then_stops(db, settings,
                                                                           folder):
    shutil.copy(FOLLOWING, folder)   # there before the companion starts
    # a rescan far away: the second file can only be found through watchdog's event
    watcher = InboxWatcher(db, settings, folder, rescan_seconds=600, settle_seconds=0.3)
    watcher.start()
    try:
        assert watcher.watching
        day = folder / "processed" / today()
        assert wait_for(lambda: (day / "following_accounts.csv.summary.txt").exists())
        assert mastodon_urls(db) == FOLLOWING_URLS
        looks = watcher.looks
        assert wait_for(lambda: not watcher.settling.pending) and wait_for(
            lambda: watcher.looks > looks, 1.0) is False   # idle now: waiting for an event
        # a browser's download: written under a partial name, then renamed
        partial = folder / "following_accounts.csv.crdownload"
        partial.write_text(INVENTED_FOLLOWING, encoding="utf-8")
        partial.rename(folder / "following_accounts.csv")
        assert wait_for(lambda: (day / "following_accounts-2.csv.summary.txt").exists())
        assert "https://social.example.jp/@hanako_sato" in mastodon_urls(db)
    finally:
        watcher.stop()
    assert not watcher.is_alive() and not watcher.observer.is_alive()


def test_the_watcher_survives_a_failing_look(db, settings, folder, monkeypatch):
    real, calls = inbox.process_ready, []

    def failing_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("the folder was unplugged")
        return real(*args, **kwargs)

    monkeypatch.setattr(inbox, "process_ready", failing_once)
    watcher = InboxWatcher(db, settings, folder, rescan_seconds=0.1, settle_seconds=0)
    watcher.start()
    try:
        shutil.copy(FOLLOWING, folder)
        assert wait_for(lambda: mastodon_urls(db) == FOLLOWING_URLS)
    finally:
        watcher.stop()
    assert len(calls) >= 2 and not watcher.is_alive()


@pytest.mark.live
def test_goen_serve_watches_the_inbox(data_dir, tmp_path):
    drop = tmp_path / "drop here"
    server = start_server(data_dir, {"GOEN_INBOX_DIR": str(drop)})
    try:
        assert f"Inbox:       {drop}" in server.banner
        assert wait_for(lambda: (drop / "processed").is_dir())
        shutil.copy(FOLLOWING, drop)
        summary = drop / "processed" / today() / "following_accounts.csv.summary.txt"
        assert wait_for(summary.exists, 15)
        (drop / "not an export.txt").write_text("hello", encoding="utf-8")
        assert wait_for((drop / "failed" / "not an export.txt.report.txt").exists, 15)
        shutil.copy(FOLLOWING, drop / "waiting.csv.part")
        shutil.copy(FOLLOWING, drop / "later.csv")
        doctor = goen(data_dir, "doctor", env={"GOEN_PORT": str(server.port),
                                               "GOEN_INBOX_DIR": str(drop)})
        assert (f"OK      inbox: {drop}, watched (the companion is running); 1 waiting, "
                "1 imported (processed/), 1 failed") in doctor.stdout
    finally:
        stop_server(server)
    with sqlite3.connect(data_dir / "goen.sqlite3") as conn:
        urls = {r[0] for r in conn.execute(
            "SELECT url FROM identities WHERE platform = 'mastodon'")}
    assert urls == FOLLOWING_URLS


def goen(data_dir, *args, env: dict):
    env = {**os.environ, "GOEN_DATA_DIR": str(data_dir), "GOEN_TOKEN_BACKEND": "file", **env}
    return subprocess.run([sys.executable, "-m", "companion", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def test_doctor_names_the_inbox_when_the_companion_is_not_running(data_dir, tmp_path):
    drop = tmp_path / "drop"
    inbox.ensure_folders(drop)
    (drop / "failed" / "x.csv").write_text("x", encoding="utf-8")
    (drop / "failed" / "x.csv.report.txt").write_text("x", encoding="utf-8")
    result = goen(data_dir, "doctor", env={"GOEN_PORT": "1", "GOEN_INBOX_DIR": str(drop)})
    assert (f"OK      inbox: {drop}, not watched now (the companion is not running; "
            "`goen serve`); 0 waiting, 0 imported (processed/), 1 failed") in result.stdout
    off = goen(data_dir, "doctor", env={"GOEN_PORT": "1", "GOEN_INBOX_DIR": "off"})
    assert "NOTE    inbox: off (GOEN_INBOX_DIR=off)" in off.stdout
    mine = goen(data_dir, "doctor", env={"GOEN_PORT": "1", "GOEN_INBOX_DIR": str(data_dir)})
    assert f"PROBLEM inbox: not watched: {data_dir} is or holds the data folder" in mine.stdout
    missing = goen(data_dir, "doctor", env={"GOEN_PORT": "1",
                                         "GOEN_INBOX_DIR": str(tmp_path / "no")})
    assert f"NOTE    inbox: {tmp_path / 'no'} does not exist yet" in missing.stdout


def test_an_entry_changed_while_another_was_imported_waits_for_the_next_look(
        db, settings, folder, monkeypatch):
    real = inbox.import_in_worker

    def import_and_touch_the_next(db_, settings_, path, progress=None):
        if Path(path).name == "a.csv":
            with open(folder / "following_accounts.csv", "a", encoding="utf-8") as f:
                f.write("someone_new@social.example.jp,true,false,\n")
        return real(db_, settings_, path, progress)

    monkeypatch.setattr(inbox, "import_in_worker", import_and_touch_the_next)
    (folder / "a.csv").write_text("not an export", encoding="utf-8")
    shutil.copy(FOLLOWING, folder)
    settling = inbox.Settling(0)
    assert [r.name for r in look(db, settings, folder, settling)] == ["a.csv"]
    assert settling.pending and (folder / "following_accounts.csv").exists()
    assert [r.name for r in look(db, settings, folder, settling)] == ["following_accounts.csv"]
    assert "https://social.example.jp/@someone_new" in mastodon_urls(db)


# -- a copy that paused longer than the settle time -----------------------------------------------

def arriving_during_the_first_import(monkeypatch, path: Path, rest: bytes) -> list[Path]:
    """import_path, with ``rest`` appended to ``path`` while the first import runs (the copy
    resuming after a pause longer than the settle time); the calls are recorded."""
    real, calls = inbox.import_in_worker, []

    def import_while_the_copy_goes_on(db_, settings_, p, progress=None):
        calls.append(Path(p))
        try:
            return real(db_, settings_, p, progress)
        finally:
            if len(calls) == 1:
                with open(path, "ab") as f:
                    f.write(rest)

    monkeypatch.setattr(inbox, "import_in_worker", import_while_the_copy_goes_on)
    return calls


def test_a_file_that_grows_during_its_import_stays_and_is_imported_whole_next_time(
        db, settings, folder, monkeypatch, caplog):
    whole = ("Account address,Show boosts,Notify on new posts,Languages\n"
             "hanako_sato@social.example.jp,true,false,\n"
             "kenji_mori@social.example.jp,true,false,\n"
             "yui_tanaka@social.example.jp,false,false,\n")
    cut = whole.index("kenji_mori")
    path = folder / "following_accounts.csv"
    path.write_text(whole[:cut], encoding="utf-8")   # the copy paused after the first row
    calls = arriving_during_the_first_import(monkeypatch, path, whole[cut:].encode())
    clock = Clock()
    settling = inbox.Settling(2.0, clock=clock)
    assert look(db, settings, folder, settling) == []
    clock.now += 2.0                                  # looks settled: it is not
    with caplog.at_level("WARNING", logger="companion.services.inbox"):
        [first] = look(db, settings, folder, settling)
    assert first.again and first.moved_to is None and first.summary.created == 1
    assert "changed during the import" in caplog.text
    assert path.read_text(encoding="utf-8") == whole     # left in the inbox, whole now
    assert not (folder / "processed" / today()).exists()
    assert mastodon_urls(db) == {"https://social.example.jp/@hanako_sato"}
    assert settling.pending
    # it changed: it must settle again before the next import
    assert look(db, settings, folder, settling) == [] and len(calls) == 1
    clock.now += 2.0
    [second] = look(db, settings, folder, settling)
    assert second.ok and not second.again and len(calls) == 2
    assert (second.summary.created, second.summary.updated) == (2, 0)  # the rest, nothing twice
    assert mastodon_urls(db) == {f"https://social.example.jp/@{n}"
                                 for n in ("hanako_sato", "kenji_mori", "yui_tanaka")}
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 3
    day = folder / "processed" / today()
    assert second.moved_to == day / "following_accounts.csv" and not path.exists()
    assert second.moved_to.read_text(encoding="utf-8") == whole
    assert (day / "following_accounts.csv.summary.txt").exists()
    assert look(db, settings, folder, settling) == []


def test_a_half_copied_zip_that_fails_but_grows_is_not_moved_to_failed(db, settings, folder,
                                                                      tmp_path, monkeypatch):
    whole = tmp_path / "export.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.write(FOLLOWING, "following_accounts.csv")
    data = whole.read_bytes()
    path = folder / "export.zip"
    path.write_bytes(data[:len(data) // 2])
    arriving_during_the_first_import(monkeypatch, path, data[len(data) // 2:])
    settling = inbox.Settling(0)
    [first] = look(db, settings, folder, settling)
    assert first.again and not first.ok and "truncated" in first.reason
    assert path.exists() and not (folder / "failed" / "export.zip").exists()
    assert not (folder / "failed" / "export.zip.report.txt").exists()
    [second] = look(db, settings, folder, settling)
    assert second.ok and second.moved_to == folder / "processed" / today() / "export.zip"
    assert mastodon_urls(db) == FOLLOWING_URLS


def test_an_entry_taken_away_during_its_import_is_not_looked_for_again(db, settings, folder,
                                                                       monkeypatch):
    """Gone is not "grew": it is reported as taken away, as before."""
    real = inbox.import_in_worker

    def import_then_take_away(db_, settings_, p, progress=None):
        summary = real(db_, settings_, p, progress)
        Path(p).unlink()
        return summary

    monkeypatch.setattr(inbox, "import_in_worker", import_then_take_away)
    shutil.copy(FOLLOWING, folder)
    [result] = look(db, settings, folder)
    assert result.ok and not result.again and result.moved_to is None
    summary = folder / "processed" / today() / "following_accounts.csv.summary.txt"
    assert "taken away during the import" in summary.read_text(encoding="utf-8")
