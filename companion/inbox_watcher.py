"""The thread that watches the inbox folder while ``goen serve`` runs (services/inbox.py holds
the logic: what is ready, importing, moving, reports).

One thread does every import, one after another: an import holds the database's write lock a
batch at a time, and captures from the extension need it between batches. watchdog only wakes
the thread; the thread then looks at the folder itself. While something is still arriving it
looks every quarter of the settle time; otherwise every ``RESCAN_SECONDS`` even without an event
(a network folder may send none, and events can be lost). Where watchdog cannot watch (the
system's limit of watches reached), the rescans alone keep the inbox working, just slower.

Only the top level of the inbox is watched: a folder being unpacked into it is followed by the
looks while it is pending, and processed/ (which grows with every import) costs no watches.

Stopping ends the thread at its next look; an import in progress finishes first (the join waits
``STOP_SECONDS`` at most, then the daemon thread ends with the process: the batch in hand is
rolled back by SQLite, the entry stays in the inbox and the next start imports it again, which
adds nothing twice).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from watchdog.events import (EVENT_TYPE_CLOSED, EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED,
                             EVENT_TYPE_MOVED, FileSystemEventHandler)
from watchdog.observers import Observer

from companion import memory
from companion.db import Database
from companion.services import inbox

log = logging.getLogger(__name__)

STOP_SECONDS = 10.0
# what a drop, a download or a copy into the inbox gives; reads (ours, while importing) do not
WAKING_EVENTS = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED,
                           EVENT_TYPE_CLOSED})


class _Wake(FileSystemEventHandler):
    def __init__(self, event: threading.Event):
        super().__init__()
        self.event = event

    def on_any_event(self, event) -> None:
        # the inbox's own "modified" comes with every entry added (which has its own event)
        # and with every entry we move away, which must not wake another look
        if event.event_type in WAKING_EVENTS and not (
                event.is_directory and event.event_type == EVENT_TYPE_MODIFIED):
            self.event.set()


class InboxWatcher(threading.Thread):
    """Imports what is dropped into ``folder`` until ``stop()``."""

    def __init__(self, db: Database, settings, folder: Path,
                 rescan_seconds: float | None = None, settle_seconds: float | None = None):
        super().__init__(name="goen-inbox", daemon=True)
        self.db, self.settings, self.folder = db, settings, folder
        self.rescan_seconds = rescan_seconds
        self.settling = inbox.Settling(settle_seconds)
        self.observer = None        # the watchdog observer, when watching works
        self.looks = 0              # completed looks at the folder (tests wait on it)
        self._wake = threading.Event()
        self._stopped = threading.Event()

    @property
    def watching(self) -> bool:
        """Events wake the thread (else only the rescans find what is dropped)."""
        return self.observer is not None

    def start(self) -> None:
        inbox.ensure_folders(self.folder)
        observer = Observer()
        try:
            observer.schedule(_Wake(self._wake), str(self.folder), recursive=False)
            observer.start()
            self.observer = observer
        except OSError as exc:   # e.g. inotify's limit of watches or instances reached
            log.warning("inbox: cannot watch %s (%s); looking every %.0f s instead",
                        self.folder, exc, self._rescan())
        super().start()
        log.info("inbox: watching %s", self.folder)

    def _rescan(self) -> float:
        return inbox.RESCAN_SECONDS if self.rescan_seconds is None else self.rescan_seconds

    def _poll(self) -> float:
        settle = self.settling.settle_seconds
        settle = inbox.SETTLE_SECONDS if settle is None else settle
        return min(max(settle / 4, 0.05), 1.0)

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                if inbox.process_ready(self.db, self.settings, self.folder, self.settling,
                                       stop=self._stopped.is_set):
                    memory.trim_heap()   # what a large import left in the heap (memory.py)
            except Exception:   # noqa: BLE001 - e.g. the folder unplugged: look again later
                log.exception("inbox: looking at %s failed", self.folder)
            self.looks += 1
            woken = self._wake.wait(self._poll() if self.settling.pending else self._rescan())
            self._wake.clear()
            if woken:
                # an event storm (a large copy) costs one look per poll interval, not one per
                # event
                self._stopped.wait(self._poll())

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        self._stopped.set()
        self._wake.set()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout)
        if self.is_alive():
            self.join(timeout)


def start_inbox(db: Database, settings) -> InboxWatcher | None:
    """The inbox watcher for these settings, started; None when ``inbox_dir`` is ``off``, names
    a folder that must not be emptied (``inbox.unusable_reason``) or cannot be made (the
    companion serves on without it)."""
    folder = inbox.inbox_folder(settings)
    if folder is None:
        log.info("inbox: off (GOEN_INBOX_DIR=off)")
        return None
    reason = inbox.unusable_reason(folder, settings)
    if reason:
        log.warning("inbox: not watched: %s (GOEN_INBOX_DIR)", reason)
        return None
    watcher = InboxWatcher(db, settings, folder)
    try:
        watcher.start()
    except OSError as exc:
        log.warning("inbox: cannot use %s: %s", folder, exc)
        return None
    return watcher
