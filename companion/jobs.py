"""Daily jobs: work that time passing alone makes due, run by the serving companion.

* ``refresh_tiers``: proposed tiers move people outward when nothing is exchanged for a while
  (services/followup/relationship.py); a capture recomputes only the contact it touched, so
  once a day every contact is recomputed.
* ``refresh_stock``: the sentences said in the same words to many people, which drafts do not
  quote (services/followup/common.py).
* ``identity_proposals``: one person kept as two contacts (services/matching/proposals.py).

The thread also builds the day's caches (``warm_caches``) once per process and day, then
drafts everyone's next follow-up ahead of the popup (services/followup/next_kept.py).

Each job runs once per local day: at start-up when it has not run today, then when the day
changes (the thread looks every ``CHECK_SECONDS``). The day it last ran is kept in the
``job_runs`` table, so restarting the companion does not repeat the work. A failing job is
logged and tried again at the next check; it never stops the server.
"""

from __future__ import annotations

import gc
import logging
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from companion import memory
from companion.db import Database, utc_now
from companion.services import network
from companion.services.followup import (common, guard_shingles, next_kept, next_kept_worker,
                                         relationship, suggest, suggest_intro, suggest_load,
                                         today_kept)

log = logging.getLogger(__name__)
CHECK_SECONDS = 3600.0
# From this many contacts on, everyone's next follow-up is drafted ahead in a worker process
# (services/followup/next_kept_worker.py says why).
DRAFT_WORKER_MIN_CONTACTS = 2000
_FROZEN = False   # gc.freeze() done in this process


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Database], object]


def _daily_backup(db: Database) -> object:
    """A copy of the database a day, the oldest pruned (services/backup.py, GOEN_BACKUP_KEEP)."""
    from companion.services import backup
    try:
        return backup.daily_backup(db)
    finally:
        memory.trim_heap()   # what copying and checking a large file left in the heap


def _identity_proposals(db: Database) -> object:
    """Duplicates merged on certain evidence, likely ones proposed (issue 9); also after each
    import, but captures and hand edits between imports change who matches whom."""
    from companion.services.matching import proposals_worker
    try:
        return proposals_worker.refresh(db)   # in a worker process on a large network
    finally:
        memory.trim_heap()


JOBS = (Job("refresh_tiers", lambda db: relationship.refresh_all(db)),
        Job("refresh_stock", lambda db: common.refresh_stock(db)),
        Job("backup", _daily_backup),
        Job("identity_proposals", _identity_proposals))


@dataclass
class JobRun:
    name: str
    ran: bool
    result: object = None
    seconds: float = 0.0
    error: str | None = None


def last_runs(db: Database) -> dict[str, dict]:
    return {r["name"]: dict(r) for r in db.query_all("SELECT * FROM job_runs ORDER BY name")}


def run_due(db: Database, today: date | None = None, jobs: tuple[Job, ...] = JOBS
            ) -> list[JobRun]:
    """Run every job that has not run on ``today`` (this computer's local date)."""
    day = (today or datetime.now().astimezone().date()).isoformat()
    done = last_runs(db)
    runs = []
    for job in jobs:
        if done.get(job.name, {}).get("last_day") == day:
            runs.append(JobRun(job.name, ran=False))
            continue
        started = time.perf_counter()
        try:
            result = job.run(db)
        except Exception as exc:   # noqa: BLE001 - a failing job must not stop the server
            log.exception("daily job %s failed", job.name)
            runs.append(JobRun(job.name, ran=False, error=f"{type(exc).__name__}: {exc}"))
            continue
        seconds = time.perf_counter() - started
        with db.transaction() as conn:
            conn.execute(
                "INSERT INTO job_runs (name, last_day, last_at, seconds, result)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                " last_day = excluded.last_day, last_at = excluded.last_at,"
                " seconds = excluded.seconds, result = excluded.result",
                (job.name, day, utc_now(), round(seconds, 3), str(result)))
        log.info("daily job %s: %s in %.1f s", job.name, result, seconds)
        runs.append(JobRun(job.name, ran=True, result=result, seconds=seconds))
    return runs


def warm_caches(db: Database, today: date) -> None:
    """Build the day's offer index of introductions, the set of stock sentences and the index
    of sent messages (each about a second at 10,000 contacts) here rather than in the first
    popup lookup of the day."""
    try:
        suggest_intro.offer_index(db, today)
        common.stock_spans(db)
        guard_shingles.sent_index(db)
        # the needs open facts state (needs.need_in remembers them): finding a Japanese one
        # tags it, so today's list would map ~50 MB of dictionary pages at its peak
        for fact in suggest_load.candidate_facts(db, today, suggest_load.TODAY_WINDOWS):
            suggest_intro.need_of(fact)
    except Exception:   # noqa: BLE001 - a cache left cold is built on first use instead
        log.exception("warming the offer index failed")
        return
    finally:
        suggest.release_batch_memory()
    # What exists now lives as long as the process (modules, the caches just built): leave it
    # out of the cycle collector's full collections, which otherwise walk it again and again
    # and stall a request now and then (a lookup's p99, bench/bench_lookup.py). Reference
    # counting still frees it. Collected first, so no cyclic garbage is frozen with it; once
    # per process. https://docs.python.org/3/library/gc.html#gc.freeze
    global _FROZEN
    if not _FROZEN:
        gc.collect()
        gc.freeze()
        _FROZEN = True


class DailyJobs(threading.Thread):
    """The background thread ``goen serve`` starts; ``stop()`` ends it at the next check."""

    def __init__(self, db: Database, check_seconds: float = CHECK_SECONDS, settings=None):
        super().__init__(name="goen-daily-jobs", daemon=True)
        self.db, self.check_seconds, self.settings = db, check_seconds, settings
        self._stopped = threading.Event()
        self.warm = threading.Event()   # set once today's jobs ran and the caches are built

    def run(self) -> None:
        warmed = None
        while not self._stopped.is_set():
            try:
                run_due(self.db)
                today = datetime.now().astimezone().date()
                if warmed != today:   # per process and day, so not a job_runs entry
                    warm_caches(self.db, today)
                    # today's list first: in process, before drafting everyone ahead (which
                    # leaves memory behind where it runs in process, on a small network)
                    self._todays_list_ahead(today)
                    self._draft_ahead(today)
                    self._graph_ahead()
                    warmed = today
                    self.warm.set()
            except Exception:   # noqa: BLE001 - e.g. the database locked: try at the next check
                log.exception("daily jobs failed; trying again in %.0f s", self.check_seconds)
            self._stopped.wait(self.check_seconds)

    def _draft_ahead(self, today: date) -> None:
        """Everyone's next follow-up, drafted before the popup asks (next_kept.py): those
        kept from before and still current are skipped. On a large network in a worker
        process (next_kept_worker.py says why), stopped with the server."""
        try:
            count = self.db.query_one("SELECT COUNT(*) FROM contacts")[0]
            if count < DRAFT_WORKER_MIN_CONTACTS:
                drafted = next_kept.draft_everyone(self.db, today, settings=self.settings,
                                                   stop=self._stopped)
            else:
                drafted = self._draft_in_worker(today)
            log.info("next follow-ups drafted ahead: %s", drafted)
        except Exception:   # noqa: BLE001 - a lookup drafts on the spot instead
            log.exception("drafting the next follow-ups ahead failed")
        finally:
            suggest.release_batch_memory()

    def _draft_in_worker(self, today: date) -> int | None:
        worker = subprocess.Popen(
            [sys.executable, "-m", "companion.services.followup.next_kept_worker",
             str(self.db.path), today.isoformat(), next_kept_worker.settings_json(self.settings)],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        try:
            while worker.poll() is None:
                if self._stopped.wait(0.5):
                    return None
            out = worker.stdout.read().decode("ascii", "replace").strip()
            if worker.returncode != 0:
                raise RuntimeError(f"the drafting worker exited with {worker.returncode}")
            return int(out) if out.isdigit() else None
        finally:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(10)
            worker.stdout.close()

    def _todays_list_ahead(self, today: date) -> None:
        """The Today page's list (seconds at 10,000 contacts), ready before the web view asks
        (today_kept.py)."""
        try:
            today_kept.warm(self.db, today, today_kept.PAGE_LENGTH, settings=self.settings,
                            user_lang=getattr(self.settings, "language", "ja") or "ja")
        except Exception:   # noqa: BLE001 - the page computes it on first use instead
            log.exception("computing today's list ahead failed")

    def _graph_ahead(self) -> None:
        """The network graph (built in a worker process at that size, services/network.py)."""
        try:
            network.network_json(self.db)
        except Exception:   # noqa: BLE001 - the page builds it on first use instead
            log.exception("building the network graph ahead failed")
        finally:
            suggest.release_batch_memory()

    def stop(self) -> None:
        self._stopped.set()
