"""Reading many interactions' facts in worker processes, for bulk imports.

Reading a message for facts (facts.analyze_message) is a pure function of its text, direction
and time, and was more than half of importing 200,000 LinkedIn messages. ``ReaderPool`` spreads
it over one process per CPU; the importing process keeps every database write, so nothing about
transactions changes. Small batches are read in-process: starting a worker (spawned, not
forked: the companion has threads and open SQLite connections, which a fork would copy) costs
about a second.

    with ReaderPool() as reader:
        followup.after_interactions(conn, ids, reader=reader)
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from typing import Sequence

from companion.services.followup.model import Fact
from companion.services.followup.status import remember_reports, reports_something_done
from companion.services.followup.store import read_interaction

Item = tuple[str, str, str, "str | None"]   # text, direction, occurred_at, local time hint
MIN_PARALLEL = 2000    # fewer items than this are read here
CHUNK = 256            # items per task sent to a worker
READER_NICENESS = 5    # added to the workers' nice value (see _lower_priority)


def _read(items: Sequence[Item]) -> list[tuple[list[Fact], bool]]:
    # each message's facts, and whether it reports something done (asked of every message by
    # the status refresh that follows: status.remember_reports)
    return [(read_interaction(*item), reports_something_done(item[0])) for item in items]


def _lower_priority() -> None:
    # The importing process is the critical path (every write, the status refreshes); the
    # readers only need to stay a batch ahead. At equal priority three processes shared two
    # cores evenly and the importer waited for CPU: 200,000 messages took 29 s, with the
    # readers niced 27 s (bench/README.md). It also leaves the user's own programs ahead.
    if hasattr(os, "nice"):    # POSIX; elsewhere the readers keep the usual priority
        os.nice(READER_NICENESS)


def read_serially(items: Sequence[Item]) -> list[list[Fact]]:
    return [read_interaction(*item) for item in items]


class ReaderPool:
    """Callable: a list of items in, their facts out, in the same order.

    ``prefetch(items)`` starts reading items an importer is about to write (the next batch, while
    this one is written and its statuses refreshed), so the workers and the writing process run
    at the same time; a later call for the same items takes the results. Reading is a pure
    function of the item, so a result read ahead is the result.
    """

    def __init__(self, workers: int | None = None):
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._ahead: dict[Item, tuple[concurrent.futures.Future, int]] = {}

    def _parallel(self, count: int) -> bool:
        return self.workers >= 2 and (count >= MIN_PARALLEL or self._pool is not None)

    def prefetch(self, items: Sequence[Item]) -> None:
        todo = list(dict.fromkeys(i for i in items if i not in self._ahead))
        if not todo or not self._parallel(len(todo)):
            return
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority)
        for start in range(0, len(todo), CHUNK):
            part = todo[start:start + CHUNK]
            future = self._pool.submit(_read, part)
            for n, item in enumerate(part):
                self._ahead[item] = (future, n)

    def __call__(self, items: Sequence[Item]) -> list[list[Fact]]:
        if not self._ahead and not self._parallel(len(items)):
            return read_serially(items)
        self.prefetch(items)
        out, answers = [], []
        for item in items:
            found = self._ahead.get(item)
            if found is None:
                out.append(read_interaction(*item))
                continue
            facts, reports = found[0].result()[found[1]]
            out.append(facts)
            answers.append((item[0], reports))
        for item in items:
            self._ahead.pop(item, None)
        remember_reports(answers)
        return out

    def close(self) -> None:
        self._ahead.clear()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "ReaderPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
