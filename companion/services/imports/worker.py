"""An import in a worker process, for the companion (an upload in the web view, the inbox).

Importing 200,000 LinkedIn messages lifts the importing process to ~380 MB (two batches of
50,000 rows in hand, their facts, SQLite's 64 MB import cache: bench_import.py), and the heap
keeps much of it afterwards: in the companion that would undo DESIGN.md's 200 MB. An export
larger than ``WORKER_MIN_BYTES`` is therefore imported by its own process, whose memory goes
when it exits, as the duplicate pass's does (matching/proposals_worker.py). Even 30,000
connections (3 MB) lifted the companion's peak by 20 MB (bench_memory.py: 191.8 → 212 MB), hence
1 MB; a smaller export is imported in the companion, which spares a second of start-up.

    python -m companion.services.imports.worker DB PATH    (the settings pickled on stdin)

The worker writes one JSON object per line on stdout: ``{"progress": [done, total]}`` as it
reads, then ``{"summary": {...}}`` (skipped rows cut to a few per reason, with the counts) or
``{"failed": {"message": ..., "details": ...}}`` (an ImportFailed). Anything else (a crash) is
an ImportWorkerError with the last line of its stderr; a worker this process stops following
is killed.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import pickle
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Callable

from companion.db import Database
from companion.services.imports.base import (ImportFailed, ImportSummary, Progress, Skipped,
                                             import_path)

log = logging.getLogger(__name__)

WORKER_MIN_BYTES = 1024 * 1024   # the export's files, unpacked
PROGRESS_EVERY_SECONDS = 0.25
KEEP_EXAMPLES = 10     # skipped rows sent per reason (with the counts): ImportSummary.compacted
ONE_AT_A_TIME = threading.Lock()


class ImportWorkerError(RuntimeError):
    """The worker process failed without an ImportFailed (a bug; its stderr says what)."""


def import_in_worker(db: Database, settings, path: str | Path,
                     progress: Progress | None = None,
                     started: Callable[[], None] | None = None) -> ImportSummary:
    """``import_path`` here for a small export, in a worker process for a large one; one at a
    time in this process (uploads and the inbox wait for each other: an import holds the
    database's write lock a batch at a time). ``started()`` is called when this one's turn
    comes."""
    with ONE_AT_A_TIME:
        if started is not None:
            started()
        if export_bytes(Path(path)) < WORKER_MIN_BYTES:
            return import_path(db, settings, path, progress)
        return _in_worker(db, settings, Path(path), progress)


def _in_worker(db: Database, settings, path: Path,
               progress: Progress | None) -> ImportSummary:
    base = getattr(settings, "base", settings)     # preferences are read by the worker itself
    # stderr to a file, not a pipe: a worker that logs much would fill a pipe nobody reads
    # while stdout is followed, and stop
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(db.path), str(path)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=err)
        outcome: dict | None = None
        try:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(pickle.dumps(base))
            process.stdin.close()
            for line in process.stdout:
                try:
                    message = json.loads(line)
                except ValueError:       # not ours (a library printing): passed over
                    continue
                if not isinstance(message, dict):
                    continue
                if "progress" in message:
                    if progress is not None:
                        progress(*message["progress"])
                elif "summary" in message or "failed" in message:
                    outcome = message
            process.wait()
        finally:
            if process.poll() is None:   # we stopped following it (an error here): stop it
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        err.seek(0)
        said = err.read().decode("utf-8", "replace").strip()
    # only the last line: a traceback may quote a row of someone's export (SECURITY.md: no
    # personal data in logs)
    last = said.splitlines()[-1][:300] if said else ""
    if outcome is not None and "summary" in outcome:
        if last:
            log.warning("the import worker ended with: %s", last)
        return summary_from(outcome["summary"])
    if outcome is not None and "failed" in outcome:
        raise ImportFailed(outcome["failed"]["message"], outcome["failed"]["details"])
    raise ImportWorkerError(f"the import worker exited with {process.returncode}: {last}")


def export_bytes(path: Path) -> int:
    """The export's size as its importer reads it: a zip's members unpacked, a folder's files."""
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return sum(info.file_size for info in archive.infolist())
        return path.stat().st_size
    except (OSError, zipfile.BadZipFile):
        return 0      # the import itself will say what is wrong with it


def summary_from(data: dict) -> ImportSummary:
    return ImportSummary(**{**data, "skipped": [Skipped(**s) for s in data["skipped"]]})


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    settings = pickle.load(sys.stdin.buffer)
    last = [0.0]

    def send(message: dict) -> None:
        # ASCII: the same bytes whatever the locale's encoding of stdout
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS or done >= total:
            last[0] = now
            send({"progress": [done, total]})

    db = Database(args[0])
    try:
        summary = import_path(db, settings, args[1], progress)
    except ImportFailed as exc:
        send({"failed": {"message": exc.message, "details": exc.details}})
        return 0
    finally:
        db.close()
    send({"summary": dataclasses.asdict(summary.compacted(KEEP_EXAMPLES))})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
