"""An import in a worker process (services/imports/worker.py): the same summary and data as in the
companion, its progress, its settings, an export it cannot read, and a worker that crashes."""

from __future__ import annotations

import signal
import zipfile

import pytest

from companion.cli_import import skip_groups, summary_lines
from companion.db import Database
from companion.services.imports import ImportFailed, import_path, worker
from companion.settings import load_settings
from tests.helpers import ROOT

LINKEDIN = ROOT / "tests" / "fixtures" / "imports" / "linkedin" / "basic"


def table(db, sql: str) -> list[tuple]:
    return [tuple(r) for r in db.query_all(sql)]


MESSAGES = ("SELECT c.display_name, i.direction, i.text, i.external_id FROM interactions i"
            " JOIN contacts c ON c.id = i.contact_id ORDER BY i.external_id")


@pytest.fixture
def always_in_a_worker(monkeypatch):
    monkeypatch.setattr(worker, "WORKER_MIN_BYTES", 0)


def test_the_worker_imports_what_the_companion_would(db, settings, tmp_path,
                                                     always_in_a_worker):
    seen = []
    summary = worker.import_in_worker(db, settings, LINKEDIN, lambda d, t: seen.append((d, t)))
    here = Database(tmp_path / "here.sqlite3")
    here.migrate()
    expected = import_path(here, settings, LINKEDIN)
    # the worker sends the skipped rows cut to a few per reason, with the counts
    assert summary == expected.compacted(worker.KEEP_EXAMPLES)
    assert summary.created == 6 and summary.skipped_count == len(expected.skipped) == 1
    assert table(db, MESSAGES) == table(here, MESSAGES)
    assert table(db, "SELECT kind, whose, span_text FROM facts ORDER BY 3") == \
        table(here, "SELECT kind, whose, span_text FROM facts ORDER BY 3")
    assert seen and seen[-1][0] == seen[-1][1] > 0          # read to the end
    here.close()


def test_the_worker_takes_the_companions_settings(db, data_dir, always_in_a_worker):
    # my_profiles naming Ken turns the file around: his messages are the user's
    settings = load_settings({"data_dir": str(data_dir), "token_backend": "file",
                              "my_profiles": "https://www.linkedin.com/in/ken-moriwaki-demo/"},
                             environ={})
    worker.import_in_worker(db, settings, LINKEDIN)
    got = {r[0][:12]: r[1] for r in db.query_all("SELECT text, direction FROM interactions"
                                                  " WHERE kind = 'message'")}
    assert got["Thanks for t"] == "out" and got["Great, looki"] == "in"


def test_an_export_the_worker_cannot_read_is_an_import_failed(db, settings, tmp_path,
                                                              always_in_a_worker):
    garbage = tmp_path / "mystery.json"
    garbage.write_text('{"not": "an export"}')
    with pytest.raises(ImportFailed) as caught:
        worker.import_in_worker(db, settings, garbage)
    assert "Not an export Goen can import" in caught.value.message
    assert caught.value.status == 400


def test_a_worker_that_crashes_says_why(settings, tmp_path, always_in_a_worker):
    not_a_database = Database(tmp_path / "a-folder")
    (tmp_path / "a-folder").mkdir()
    with pytest.raises(worker.ImportWorkerError) as caught:
        worker.import_in_worker(not_a_database, settings, LINKEDIN)
    assert "exited with 1" in str(caught.value) and "Error" in str(caught.value)


def test_a_small_export_is_imported_here(db, settings, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "import_path", lambda *a: calls.append(a) or "here")
    monkeypatch.setattr(worker.subprocess, "Popen", None)      # no process may start
    assert worker.import_in_worker(db, settings, LINKEDIN) == "here"
    assert calls[0][2] == LINKEDIN


def test_export_bytes_counts_what_the_importer_reads(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "a.csv").write_bytes(b"x" * 1000)
    (folder / "sub").mkdir()
    (folder / "sub" / "b.csv").write_bytes(b"y" * 500)
    assert worker.export_bytes(folder) == 1500
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.csv", "z" * 100_000)          # compresses to almost nothing
    assert archive.stat().st_size < 10_000 and worker.export_bytes(archive) == 100_000
    (tmp_path / "plain.csv").write_bytes(b"q" * 42)
    assert worker.export_bytes(tmp_path / "plain.csv") == 42
    assert worker.export_bytes(tmp_path / "missing.csv") == 0


def test_many_skipped_rows_come_back_as_a_few_examples_and_the_counts(db, settings, tmp_path,
                                                                      always_in_a_worker):
    # nobody is in every conversation: the owner is unknown and every message is skipped
    rows = ["CONVERSATION ID,FROM,TO,DATE,CONTENT"]
    rows += [f"c{i},Ann{i} Vale,Bo{i} Storm,2024-01-01 10:00:00 UTC,hi {i}" for i in range(60)]
    folder = tmp_path / "unknown-owner"
    folder.mkdir()
    (folder / "messages.csv").write_text("\n".join(rows) + "\n")
    summary = worker.import_in_worker(db, settings, folder)
    assert summary.skipped_count == 60 and len(summary.skipped) == worker.KEEP_EXAMPLES
    groups = skip_groups(summary)
    assert [(g.count, len(g.examples), g.more) for g in groups] == [(60, 3, True)]
    assert "スキップ / skipped: 60" in "\n".join(summary_lines(summary))


def test_a_worker_no_longer_followed_is_stopped(db, settings, monkeypatch, always_in_a_worker):
    started = []
    real_popen = worker.subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(worker.subprocess, "Popen", popen)

    def progress(done, total):
        raise RuntimeError("the page went away")

    with pytest.raises(RuntimeError, match="the page went away"):
        worker.import_in_worker(db, settings, LINKEDIN, progress)
    # killed at its first progress line, long before its import was done; and reaped
    assert started and started[0].returncode == -signal.SIGKILL
