"""Imports started by upload in the web view (pages_import.py), run outside the request.

A large export takes a while (200,000 LinkedIn messages: about half a minute), and the page
should show how far it is rather than a request that hangs. Each upload becomes an
``ImportJob``, run in a thread of its own (a large export by a worker process the thread
follows, services/imports/worker.py, so that the companion's memory stays small); the page
shows its progress (bytes of the export's files read, as ``goen import`` shows them) until its
summary or error. Imports run one at a time, the inbox's too (worker.ONE_AT_A_TIME): an import
holds the database's write lock a batch at a time, and two would only wait for each other (a
second one shows "waiting" until its turn).

The uploaded file's private folder belongs to the job from the moment it is submitted and is
removed when the job ends, whatever happened; one left by a companion that died during a job is
removed when it next starts serving (pages_import.sweep_stale_uploads). Jobs live in memory
only: the last ``KEPT`` are remembered for their pages, nothing is written but the import.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from companion.db import Database
from companion.services.imports import ImportFailed, ImportSummary
from companion.services.imports.worker import import_in_worker

log = logging.getLogger(__name__)

KEPT = 20   # finished jobs remembered for their pages


@dataclass
class ImportJob:
    id: str
    file_name: str
    state: str = "waiting"          # waiting → importing → done | failed
    done_bytes: int = 0
    total_bytes: int = 0
    summary: ImportSummary | None = None
    error: str | None = None        # an ImportFailed's bilingual message
    error_key: str | None = None    # or the page's own message (i18n key)
    status: int = 200               # the HTTP status of the finished page
    finished: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def percent(self) -> int:
        if not self.total_bytes:
            return 0
        return min(100, self.done_bytes * 100 // self.total_bytes)

    def progress(self, done: int, total: int) -> None:   # services.imports.base.Progress
        self.done_bytes, self.total_bytes = done, total


class ImportJobs:
    """The web view's imports of one app (``app.extensions["goen.import_jobs"]``)."""

    def __init__(self, db: Database, settings):
        self.db, self.settings = db, settings
        self._jobs: OrderedDict[str, ImportJob] = OrderedDict()
        self._lock = threading.Lock()           # guards _jobs

    def submit(self, path: Path, folder: Path) -> ImportJob:
        """Import ``path`` in a new thread; ``folder`` (the upload's) is removed after."""
        job = ImportJob(secrets.token_urlsafe(16), path.name)
        with self._lock:
            self._jobs[job.id] = job
            finished = [k for k, j in self._jobs.items() if j.finished.is_set()]
            for key in finished[:max(0, len(finished) - KEPT)]:
                del self._jobs[key]
        threading.Thread(target=self._run, args=(job, path, folder),
                         name=f"goen-import-{job.id[:6]}", daemon=True).start()
        return job

    def get(self, job_id: str) -> ImportJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _run(self, job: ImportJob, path: Path, folder: Path) -> None:
        try:
            job.summary = import_in_worker(self.db, self.settings, path, job.progress,
                                           started=lambda: setattr(job, "state", "importing"))
            job.state = "done"
        except ImportFailed as exc:
            job.state, job.status, job.error = "failed", 400, exc.message
        except Exception:  # noqa: BLE001 (the page says so; the log has the trace)
            log.exception("import of an uploaded file failed")
            job.state, job.status, job.error_key = "failed", 500, "import.unexpected"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            self.db.disconnect()     # this thread's connection: the thread ends here
            job.finished.set()
