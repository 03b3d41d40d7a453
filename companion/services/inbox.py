"""The inbox folder (issue 8): an export dropped there is imported while the companion runs.

This module is the plain logic, with no threads: which entries of the folder are ready, how one
is imported (through ``services.imports.import_path``, like ``goen import``; a large export in
a worker process, imports/worker.py) and where it goes afterwards. companion/inbox_watcher.py
runs it in one thread woken by watchdog.

* Ready: an entry is imported once its size and modification time have not changed for
  ``SETTLE_SECONDS`` (a download or a copy in progress keeps changing both). A folder (an
  unpacked export) is measured over all its files. Empty files and folders are left alone
  (a file manager's "New folder" waiting to be renamed, a placeholder a copy creates first).
  A copy that pauses longer than that (a network share, a slow USB stick) looks settled while
  half written: an entry that changed during its import is therefore not moved but left in the
  inbox, and imported again once it has settled (the first part is not added twice).
* Ignored: hidden names, partial downloads (``*.crdownload``, ``*.part``, ``*.tmp``,
  ``*.download`` …), Office lock files (``~$…``), symbolic links (an export is copied in, not
  linked; a link could lead anywhere) and the ``processed/`` and ``failed/`` folders.
* Afterwards: an imported entry moves to ``processed/YYYY-MM-DD/<name>`` (local date) beside
  ``<name>.summary.txt``, the same lines ``goen import`` prints; one that could not be imported
  moves to ``failed/<name>`` beside ``<name>.report.txt`` saying why (both languages), when,
  and for an unexpected error the traceback. Nothing is overwritten: a second ``report.csv``
  becomes ``report-2.csv``.

Dropping the same export twice imports nothing new the second time (the importers guarantee
it) and moves it to processed/ again. What a failed import had already written stays, as with
``goen import``: dropping the fixed file again imports the rest.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import time
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from companion.cli_import import summary_lines
from companion.db import Database
from companion.services.imports import ImportFailed, ImportSummary
from companion.services.imports.worker import import_in_worker

log = logging.getLogger(__name__)

SETTLE_SECONDS = 2.0      # unchanged this long = no longer growing (tests lower it)
RESCAN_SECONDS = 30.0     # a full look without any event: network folders, lost events
OFF = "off"
PROCESSED = "processed"
FAILED = "failed"
SUMMARY_SUFFIX = ".summary.txt"
REPORT_SUFFIX = ".report.txt"
# names browsers and download tools give a file while it is still arriving
PARTIAL_SUFFIXES = (".crdownload", ".part", ".partial", ".tmp", ".download", ".opdownload",
                    ".!qb", ".aria2")
# a folder larger than this is not walked to the end to see whether it still grows: the
# importer refuses it anyway (imports/base.py MAX_FILES)
MAX_WALK = 200_000


def inbox_folder(settings) -> Path | None:
    """The inbox folder the settings name, or None when ``inbox_dir`` is ``off``."""
    value = (getattr(settings, "inbox_dir", "") or "").strip()
    if value.lower() == OFF:
        return None
    if value:
        return Path(value).expanduser()
    return Path(settings.data_dir) / "inbox"


def unusable_reason(folder: Path, settings) -> str | None:
    """Why ``folder`` cannot be the inbox, or None. Everything dropped in the inbox is moved
    away, so it must not be, or hold, the data folder (the database would be "imported" and
    moved to failed/), the backups or the home folder."""
    try:
        target = folder.expanduser().resolve()
    except (OSError, RuntimeError):
        return None
    for what, path in (("the data folder", settings.data_dir),
                       ("the backups folder", settings.backups_dir),
                       ("the home folder", Path.home())):
        try:
            protected = Path(path).expanduser().resolve()
        except (OSError, RuntimeError):
            continue
        if target == protected or target in protected.parents:
            return (f"{folder} is or holds {what}, and everything in the inbox is moved to "
                    "processed/ or failed/: choose a folder of its own")
    return None


def ensure_folders(folder: Path) -> None:
    """The inbox and its processed/ and failed/ folders, created owner-only (0700) when
    missing: what is dropped there is someone's address book."""
    for path in (folder, folder / PROCESSED, folder / FAILED):
        if not path.is_dir():
            path.mkdir(parents=True, mode=0o700, exist_ok=True)
            os.chmod(path, 0o700)   # mkdir's mode is reduced by the umask; this is exact


def ignored(name: str) -> bool:
    """Names never imported: hidden files, partial downloads, Office lock files, our folders."""
    lower = name.lower()
    return (name.startswith(".") or name.startswith("~$") or name in (PROCESSED, FAILED)
            or lower.endswith(PARTIAL_SUFFIXES))


def candidates(folder: Path) -> list[Path]:
    """The entries of the inbox that may be imported (ready or not), by name."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        if ignored(entry.name):
            continue
        try:
            mode = entry.lstat().st_mode
        except OSError:   # gone since iterdir
            continue
        if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            found.append(entry)
    return found


Signature = tuple[int, int, int]   # (files, bytes, latest mtime in ns)


def signature(path: Path) -> Signature | None:
    """What must stay the same for an entry to count as settled; None when it is gone or
    empty (an empty file or folder is not imported yet)."""
    try:
        info = path.lstat()
    except OSError:
        return None
    if stat.S_ISREG(info.st_mode):
        return (1, info.st_size, info.st_mtime_ns) if info.st_size else None
    files, size, latest = 0, 0, info.st_mtime_ns
    walked = 0
    for root, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
        for name in dirs + names:
            walked += 1
            if walked > MAX_WALK:
                return (files, size, latest)
            try:
                child = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            latest = max(latest, child.st_mtime_ns)
            if stat.S_ISREG(child.st_mode):
                files += 1
                size += child.st_size
    return (files, size, latest) if files else None


class Settling:
    """Watches the entries of the inbox from one look to the next and says which have stopped
    changing for ``settle_seconds`` (default: the module's ``SETTLE_SECONDS`` at each look)."""

    def __init__(self, settle_seconds: float | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.settle_seconds = settle_seconds
        self.clock = clock
        self._seen: dict[str, tuple[Signature | None, float]] = {}
        self._stuck: dict[str, Signature | None] = {}   # handled, but could not be moved
        self.pending = False   # something is waiting to settle: look again soon

    def ready(self, folder: Path) -> list[Path]:
        settle = SETTLE_SECONDS if self.settle_seconds is None else self.settle_seconds
        now = self.clock()
        seen: dict[str, tuple[Signature | None, float]] = {}
        ready, pending = [], False
        for path in candidates(folder):
            sig = signature(path)
            before = self._seen.get(path.name)
            seen[path.name] = before if before is not None and before[0] == sig else (sig, now)
            if path.name in self._stuck and self._stuck[path.name] == sig:
                continue   # left where it was after a move failed; changed, it is tried again
            if sig is None:
                continue   # empty: an event or the next rescan sees it filled
            if now - seen[path.name][1] >= settle:
                ready.append(path)
            else:
                pending = True
        self._seen = seen
        self._stuck = {k: v for k, v in self._stuck.items() if k in seen}
        self.pending = pending
        return ready

    def unchanged(self, path: Path) -> bool:
        """Still as it was at the last look (an entry found ready may have changed while the
        one before it was being imported: then it waits for the next look)."""
        before = self._seen.get(path.name)
        return before is not None and before[0] == signature(path)

    def stuck(self, path: Path) -> None:
        """``path`` was handled but is still there (it could not be moved): do not import it
        again until it changes."""
        self._stuck[path.name] = signature(path)


@dataclass
class InboxResult:
    name: str                      # the entry's name in the inbox
    ok: bool                       # imported (moved to processed/) or not (failed/)
    moved_to: Path | None          # None when it could not be moved
    log_path: Path | None          # the summary or the report written beside it
    summary: ImportSummary | None  # when imported
    reason: str | None = None      # when not, or ``again``: the bilingual reason
    again: bool = False            # changed during the import: left in the inbox, not moved,
                                   # to be imported again once it has settled


def handle(db: Database, settings, path: Path, when: datetime | None = None) -> InboxResult:
    """Import one entry of the inbox and move it to processed/ or failed/ with its summary or
    report; one that changed during the import (still being copied) stays in the inbox
    (``again``). Never raises for a bad export or a failing importer: the watcher goes on."""
    folder = path.parent
    when = when or datetime.now().astimezone()
    ready = signature(path)   # process_ready calls this just after the entry was found ready
    try:
        summary = import_in_worker(db, settings, path)   # a large one in its own process
    except ImportFailed as exc:
        if _grew(path, ready):   # a half-copied zip fails; the whole one may not
            return _again(path, None, exc.message)
        return _failed(folder, path, when, exc.message, exc.details, None)
    except Exception as exc:   # noqa: BLE001 - a bug in one importer must not stop the inbox
        if _grew(path, ready):
            return _again(path, None, f"{type(exc).__name__}: {exc}")
        reason = (f"予期しないエラーです（Goen の不具合です） / An unexpected error (a bug in "
                  f"Goen): {type(exc).__name__}: {exc}")
        log.error("inbox: importing %s failed unexpectedly", path.name, exc_info=True)
        return _failed(folder, path, when, reason, None, traceback.format_exc())
    if _grew(path, ready):
        return _again(path, summary, None)
    target_dir = folder / PROCESSED / when.date().isoformat()
    moved = _move(path, target_dir, SUMMARY_SUFFIX)
    text = summary_lines(summary) + [
        f"日時 / Time: {_time_text(when)}",
        f"移動先 / Moved to: {_where(folder, moved) if moved else _not_moved(path)}"]
    written = _write(target_dir, (moved.name if moved else path.name) + SUMMARY_SUFFIX, text)
    log.info("inbox: imported %s (%d created, %d updated, %d merged, %d interactions, "
             "%d skipped) -> %s", path.name, summary.created, summary.updated, summary.merged,
             summary.interactions_added, summary.skipped_count, moved or "left in the inbox")
    return InboxResult(path.name, True, moved, written, summary)


def _grew(path: Path, ready: Signature | None) -> bool:
    """``path`` changed since it was found ready: it was still being written (a copy that paused
    longer than the settle time). Gone is not "grew": the move then says it was taken away."""
    now = signature(path)
    return now is not None and now != ready


def _again(path: Path, summary: ImportSummary | None, error: str | None) -> InboxResult:
    """Leave an entry that changed during its import where it is: moved now, its end would
    never be imported. The next look finds it changed and waits for it to settle again; what
    this import added is not added twice then."""
    log.warning("inbox: %s changed during the import (still being copied?); left in the inbox "
                "to be imported again once it stops changing%s", path.name,
                f" (this attempt: {error})" if error else
                f" ({summary.created} created so far)" if summary else "")
    return InboxResult(path.name, error is None, None, None, summary,
                       f"取り込み中に変更されました（コピーの途中です） / Changed during the "
                       f"import (still being copied)" + (f": {error}" if error else ""),
                       again=True)


def process_ready(db: Database, settings, folder: Path, settling: Settling,
                  stop: Callable[[], bool] = lambda: False) -> list[InboxResult]:
    """One look at the inbox: import every settled entry, one after another."""
    results = []
    for n, path in enumerate(settling.ready(folder)):
        if stop():
            break
        if n and not settling.unchanged(path):
            settling.pending = True
            continue
        result = handle(db, settings, path)
        if result.again:
            # not "stuck": it changed, so the next look sees it unsettled and waits again
            settling.pending = True
        elif result.moved_to is None:
            settling.stuck(path)
        results.append(result)
    return results


@dataclass
class InboxCounts:
    waiting: int     # entries in the inbox that will be imported (settled or not)
    processed: int   # entries moved to processed/
    failed: int      # entries moved to failed/


def counts(folder: Path) -> InboxCounts:
    """For `goen doctor`: how many entries wait, were imported, failed."""
    def entries(where: Path, suffix: str) -> int:
        try:
            return sum(1 for p in where.iterdir()
                       if not p.name.endswith(suffix) and not p.name.startswith("."))
        except OSError:
            return 0

    processed = 0
    try:
        days = [d for d in (folder / PROCESSED).iterdir() if d.is_dir()]
    except OSError:
        days = []
    for day in days:
        processed += entries(day, SUMMARY_SUFFIX)
    return InboxCounts(len(candidates(folder)), processed, entries(folder / FAILED,
                                                                   REPORT_SUFFIX))


# -- moving and writing ---------------------------------------------------------------------------

def _failed(folder: Path, path: Path, when: datetime, reason: str, details: dict | None,
            trace: str | None) -> InboxResult:
    target_dir = folder / FAILED
    moved = _move(path, target_dir, REPORT_SUFFIX)
    text = [f"取り込めませんでした / Could not import: {path.name}",
            f"日時 / Time: {_time_text(when)}",
            f"理由 / Reason: {reason}"]
    if details:
        text.append("詳細 / Details: " + ", ".join(f"{k}: {v}" for k, v in details.items()))
    text += [f"移動先 / Moved to: {_where(folder, moved) if moved else _not_moved(path)}",
             "",
             "すでに取り込めた分は残っています。直したファイルを受け取りフォルダにもう一度置くと、"
             "残りを取り込みます（同じ人ややり取りが二重になることはありません）。",
             "What was already imported is kept. Put the fixed file in the inbox folder again "
             "to import the rest (nothing is added twice)."]
    if trace:
        text += ["", "Goen の開発者向けの情報 / For Goen's developers:", trace.rstrip()]
    written = _write(target_dir, (moved.name if moved else path.name) + REPORT_SUFFIX, text)
    log.warning("inbox: could not import %s: %s -> %s", path.name, reason,
                moved or "left in the inbox")
    return InboxResult(path.name, False, moved, written, None, reason)


def _free_name(target_dir: Path, name: str, suffix: str) -> str:
    """``name``, or ``stem-2.ext``, ``stem-3.ext`` …: neither it nor its summary or report may
    exist yet."""
    if name.startswith("."):   # never: ignored names are not imported
        stem, ext = name, ""
    else:
        stem, dot, ext = name.partition(".")
        ext = dot + ext
    candidate, n = name, 1
    while (target_dir / candidate).exists() or (target_dir / (candidate + suffix)).exists() \
            or (target_dir / candidate).is_symlink():
        n += 1
        candidate = f"{stem}-{n}{ext}"
    return candidate


def _move(path: Path, target_dir: Path, suffix: str) -> Path | None:
    try:
        target_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
        target = target_dir / _free_name(target_dir, path.name, suffix)
        shutil.move(str(path), str(target))
        return target
    except OSError as exc:   # taken away meanwhile, or a folder we may not write
        log.warning("inbox: could not move %s to %s: %s", path.name, target_dir, exc)
        return None


def _write(target_dir: Path, name: str, lines: list[str]) -> Path | None:
    path = target_dir / name
    try:
        target_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        return path
    except OSError as exc:
        log.warning("inbox: could not write %s: %s", path, exc)
        return None


def _time_text(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _where(folder: Path, path: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def _not_moved(path: Path) -> str:
    if not path.exists():
        return (f"移動できませんでした（{path.name} は取り込み中に取り除かれました） / Could not "
                f"be moved ({path.name} was taken away during the import)")
    return (f"移動できませんでした（{path.name} は受け取りフォルダに残っています） / Could not "
            f"be moved ({path.name} is still in the inbox)")
