"""The import framework: what every importer returns, how an export is opened, and which
importer reads it.

An export is a folder, a zip or a single file (``Source``). Zips are checked before anything
is read: more than ``MAX_TOTAL_BYTES`` uncompressed in all, or a large member that expands more
than ``MAX_RATIO`` times, is refused as a zip bomb; a truncated or damaged zip is refused with a
plain message. Members are read as streams, never extracted to disk.

Importers write in batches, each batch in one transaction and each person whole inside one
batch: a failure part way (a damaged member, a file pulled away) rolls back only the batch in
hand, and what earlier batches imported stays. Importing the same export again adds nothing:
people are found by their canonical profile URL, interactions by an external id derived from
the export's row (UNIQUE (platform, external_id)).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import fnmatch
import io
import re
import sqlite3
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Callable, Iterator, Protocol

from companion.db import Database
from companion.errors import ApiError
from companion.services.followup.reader_pool import ReaderPool
from companion.services.followup.store import Stored
from companion.services.search_bulk import deferred

Progress = Callable[[int, int], None]   # (done, total), in bytes read of the export's files

MAX_TOTAL_BYTES = 2 * 1024 ** 3
MAX_RATIO = 200
# A small member with a high ratio (a CSV of one repeated line) is no threat; only members
# expanding past this size are held to MAX_RATIO.
RATIO_CHECKED_FROM = 1024 * 1024
BATCH_ROWS = 500
_DOWNLOAD_COPY = re.compile(r"\s*\(\d{1,3}\)(?=\.[^.]+$)")   # "name (1).csv"
IMPORT_CACHE_KIB = -65536   # PRAGMA cache_size in KiB (negative) while importing


class ImportFailed(ApiError):
    """The export cannot be read (400 import_failed); the message says why in both languages."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(400, "import_failed", message, details)


@dataclass
class Skipped:
    where: str      # file and row, e.g. "messages.csv:12"
    reason: str     # bilingual, the same text for every row skipped for the same reason


@dataclass
class ImportSummary:
    source: str
    created: int = 0
    updated: int = 0
    merged: int = 0
    interactions_added: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    # after the import, the duplicate pass (services/matching/proposals.py): the same person
    # twice on certain evidence, merged; likely the same, waiting for the user to decide
    duplicates_merged: int = 0
    duplicates_proposed: int = 0
    # set when ``skipped`` keeps only the first rows of each reason (a summary sent by an
    # import worker, imports/worker.py): how many rows each reason skipped in all
    skip_counts: dict[str, int] | None = None

    @property
    def skipped_count(self) -> int:
        if self.skip_counts is not None:
            return sum(self.skip_counts.values())
        return len(self.skipped)

    def compacted(self, examples: int) -> "ImportSummary":
        """The same summary keeping ``examples`` skipped rows per reason, with the counts: an
        export whose owner is unknown skips every row, 200,000 of them."""
        counts: dict[str, int] = {}
        kept = []
        for skip in self.skipped:
            counts[skip.reason] = counts.get(skip.reason, 0) + 1
            if counts[skip.reason] <= examples:
                kept.append(skip)
        if self.skip_counts is not None:
            counts = dict(self.skip_counts)
        return dataclasses.replace(self, skipped=kept, skip_counts=counts)


def add_matching(summary: ImportSummary, matching) -> None:
    """The duplicate pass's counts (a RefreshSummary, or None when it did not run)."""
    if matching is not None:
        summary.duplicates_merged = matching.auto_merged
        summary.duplicates_proposed = matching.proposed


# -- opening an export ----------------------------------------------------------------------------

class _Counting(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for the progress bar)."""

    def __init__(self, inner: IO[bytes], on_read: Callable[[int], None]):
        self._inner = inner
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        if n:
            self._on_read(n)
        return n

    def close(self) -> None:
        self._inner.close()
        super().close()


class Source:
    """The files of an export by lower-case base name: a folder (searched two levels down), a
    zip, or one file."""

    def __init__(self, path: Path):
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._files: dict[str, object] = {}
        self._paths: dict[str, object] = {}   # every file by its path inside the export
        self._copies: dict[str, object] = {}  # "connections.csv" for "Connections (1).csv"
        self.read_bytes = 0
        self.progress: Progress | None = None
        self.total_bytes = 0
        # how messages are read for facts: worker processes for the whole import
        # (followup/reader_pool.py), set by import_path; None reads them in this process
        self.reader = None
        if path.is_dir():
            # MAX_DEPTH levels and MAX_FILES files at most: Facebook's export nests messages
            # five folders deep, but a whole home folder given by mistake must not be walked
            for child in _walk(path):
                self._add_name(child.name, child)
                self._paths[child.relative_to(path).as_posix()] = child
        elif path.is_file() and (path.suffix.lower() == ".zip" or _zip_magic(path)):
            # a truncated zip is no zip to is_zipfile (its directory at the end is gone):
            # the name or the first bytes say it was meant as one, and _open_zip says why not
            self._zip = _open_zip(path)
            for info in self._zip.infolist():
                if not info.is_dir():
                    self._add_name(Path(info.filename).name, info)
                    self._paths[info.filename] = info
        elif path.is_file():
            self._add_name(path.name, path)
            self._paths[path.name] = path
        else:
            raise ImportFailed(f"ファイルが見つかりません / No such file or folder: {path}")
        for name, entry in self._copies.items():
            self._files.setdefault(name, entry)

    def has(self, name: str) -> bool:
        return name.lower() in self._files

    def _add_name(self, name: str, entry) -> None:
        # A browser saves a second download of Connections.csv as "Connections (1).csv": the
        # file is found under its own name too, unless the export also has the real one.
        self._files.setdefault(name.lower(), entry)
        plain = _DOWNLOAD_COPY.sub("", name)
        if plain != name:
            self._copies.setdefault(plain.lower(), entry)

    def paths(self, pattern: str = "*") -> list[str]:
        """Paths inside the export (``/``-separated) matching a case-insensitive glob, sorted:
        for exports that hold many files of one name in different folders (Facebook's
        messages/inbox/<thread>/message_1.json)."""
        pattern = pattern.lower()
        return sorted(p for p in self._paths if fnmatch.fnmatchcase(p.lower(), pattern))

    def _entry(self, name: str):
        # a path from paths(), else a base name
        entry = self._paths.get(name)
        return entry if entry is not None else self._files[name.lower()]

    def read(self, name: str, limit: int = 512 * 1024 * 1024) -> bytes:
        """A whole member (a base name or a path from paths()) as bytes, counted for the
        progress bar; a member larger than ``limit`` is refused (one JSON file is parsed in
        memory)."""
        if self.size(name) > limit:
            raise ImportFailed(f"{name} が大きすぎます（上限 {limit} バイト） / {name} is too "
                               f"large (limit {limit} bytes)")
        try:
            with self._open_binary(name) as raw:
                data = raw.read(limit + 1)
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise ImportFailed(f"{name} が壊れています（途中で切れた zip?） / {name} is damaged "
                               f"(a truncated zip?): {exc}") from None
        except OSError as exc:
            raise ImportFailed(f"{name} を読んでいる途中で失敗しました / Reading {name} "
                               f"failed part way: {exc}") from None
        self._count(len(data))
        return data

    def size(self, name: str) -> int:
        entry = self._entry(name)
        return entry.file_size if isinstance(entry, zipfile.ZipInfo) else entry.stat().st_size

    def modified_at(self, name: str) -> str | None:
        """A member's modification time as stored UTC text (a zip keeps it without a zone:
        read as UTC, a few hours off at most, which only orders it against captures)."""
        entry = self._paths.get(name) or self._files.get(name.lower())
        try:
            if isinstance(entry, zipfile.ZipInfo):
                moment = datetime(*entry.date_time, tzinfo=timezone.utc)
            elif entry is not None:
                moment = datetime.fromtimestamp(entry.stat().st_mtime, timezone.utc)
            else:
                return None
        except (OSError, ValueError):
            return None
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def _open_binary(self, name: str) -> IO[bytes]:
        entry = self._entry(name)
        try:
            if isinstance(entry, zipfile.ZipInfo):
                return self._zip.open(entry)
            return open(entry, "rb")
        except (OSError, zipfile.BadZipFile) as exc:
            raise ImportFailed(f"{name} を開けません / Cannot open {name}: {exc}") from None

    def _count(self, n: int) -> None:
        self.read_bytes += n
        if self.progress is not None:
            self.progress(min(self.read_bytes, self.total_bytes), self.total_bytes)

    def rows(self, name: str) -> Iterator[tuple[int, list[str]]]:
        """The CSV rows of a member with their line numbers. The encoding is UTF-8 (with or
        without BOM) as LinkedIn writes it; a file re-saved by Excel on a Japanese Windows is
        Shift_JIS (cp932), elsewhere cp1252: the first 64 KB decide."""
        with self._open_binary(name) as raw:
            head = raw.read(65536)
        encoding = sniff_encoding(head)
        binary = io.BufferedReader(_Counting(self._open_binary(name), self._count))
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        try:
            reader = csv.reader(text)
            for row in reader:
                yield reader.line_num, row
        except UnicodeDecodeError:
            raise ImportFailed(f"{name} の文字コードを読めません / {name} is not in a known "
                               f"text encoding (read as {encoding})") from None
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise ImportFailed(f"{name} が壊れています（途中で切れた zip?） / {name} is damaged "
                               f"(a truncated zip?): {exc}") from None
        except csv.Error as exc:
            raise ImportFailed(f"{name} は CSV として読めません / {name} is not a readable "
                               f"CSV: {exc}") from None
        except OSError as exc:  # the file went away or the disk failed mid-import
            raise ImportFailed(f"{name} を読んでいる途中で失敗しました / Reading {name} "
                               f"failed part way: {exc}") from None
        finally:
            text.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def sniff_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), else Shift_JIS (cp932), else cp1252. Shift_JIS comes before
    cp1252 because a Japanese Excel is the likely re-saver here; a cp1252 file with accents can
    be taken for Shift_JIS (a known limit)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    complete = len(head) < 65536
    for encoding in ("utf-8", "cp932"):
        try:
            head.decode(encoding)
            return encoding
        except UnicodeDecodeError as exc:
            # the first 64 KB may end inside a character
            if not complete and exc.start >= len(head) - 3:
                return encoding
    return "cp1252"


MAX_DEPTH = 7
MAX_FILES = 200_000


def _walk(root: Path) -> list[Path]:
    """The files under a folder, shallow ones first (so that a base name's first file is the
    least nested), at most MAX_DEPTH folders down."""
    found: list[Path] = []
    level = [root]
    for _ in range(MAX_DEPTH + 1):
        deeper: list[Path] = []
        for folder in level:
            try:
                children = sorted(folder.iterdir())
            except OSError:
                continue
            for child in children:
                if child.is_symlink():
                    continue   # a link out of the export is not part of it
                if child.is_file():
                    found.append(child)
                    if len(found) > MAX_FILES:
                        raise ImportFailed(
                            f"フォルダのファイルが多すぎます（上限 {MAX_FILES}） / The folder holds "
                            f"more than {MAX_FILES} files: is it an export? {root}")
                elif child.is_dir():
                    deeper.append(child)
        level = deeper
        if not level:
            break
    return found


def _zip_magic(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _truncated(path: Path) -> str:
    return (f"zip が壊れているか途中で切れています / The zip is damaged or truncated: "
            f"{path.name}")


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFailed(_truncated(path), {"error": str(exc)}) from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if (info.file_size >= RATIO_CHECKED_FROM
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            archive.close()
            raise ImportFailed(
                f"zip 爆弾の疑いがあるため読みません（{info.filename} が "
                f"{info.file_size // max(info.compress_size, 1)} 倍に展開されます。上限 "
                f"{MAX_RATIO} 倍） / Refused as a likely zip bomb: {info.filename} expands "
                f"{info.file_size // max(info.compress_size, 1)} times (limit {MAX_RATIO}).")
    if total > MAX_TOTAL_BYTES:
        archive.close()
        raise ImportFailed(
            f"zip の展開後の大きさが上限を超えています（{total} バイト、上限 {MAX_TOTAL_BYTES}） / "
            f"Refused: the zip expands to {total} bytes (limit {MAX_TOTAL_BYTES}).")
    # The central directory can be intact while member data is cut off: testzip reads every
    # member (CRC-checked) before anything is written, so a damaged zip adds nothing.
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
        archive.close()
        raise ImportFailed(_truncated(path), {"error": str(exc)}) from None
    if bad is not None:
        archive.close()
        raise ImportFailed(_truncated(path), {"member": bad})
    return archive


# -- writing --------------------------------------------------------------------------------------

@contextlib.contextmanager
def batch(db: Database) -> Iterator[sqlite3.Connection]:
    """One batch of an import: a write transaction in which the contact search index is
    rebuilt once per changed person at the end instead of at every row written
    (services/search_bulk.py: 30,000 connections took 17.6 s, 90 % of it in the triggers)."""
    with db.transaction() as conn, deferred(conn):
        yield conn


_INSERT_INTERACTION = (
    "INSERT INTO interactions (contact_id, platform, kind, direction, occurred_at, text,"
    " thread_key, external_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (platform, external_id) DO NOTHING")


def insert_interactions(conn: sqlite3.Connection, rows: list[tuple]) -> list[Stored]:
    """Write many interactions in one executemany, each row (contact_id, platform, kind,
    direction, occurred_at, text, thread_key, external_id, created_at); one already stored
    (the same platform and external id, also earlier in ``rows``) is left as it is. Returns
    the new ones in the form followup.store.analyze_interactions reads, in id order.

    A statement per message (INSERT … RETURNING id) was a fifth of importing 200,000. The new
    rows are those above the largest id before: the caller's write transaction holds the
    database, and a table without AUTOINCREMENT gives a new row the largest id + 1
    (https://www.sqlite.org/autoinc.html)."""
    if not rows:
        return []
    if not conn.in_transaction:   # the ids above MAX(id) are ours only inside one
        raise RuntimeError("insert_interactions needs the caller's write transaction")
    cursor = conn.cursor()
    cursor.row_factory = None
    before = cursor.execute("SELECT COALESCE(MAX(id), 0) FROM interactions").fetchone()[0]
    cursor.executemany(_INSERT_INTERACTION, rows)
    return cursor.execute(
        "SELECT id, contact_id, direction, occurred_at, text, NULL FROM interactions"
        " WHERE id > ? ORDER BY id", (before,)).fetchall()


# -- the registry ---------------------------------------------------------------------------------

class Importer(Protocol):
    name: str

    def detect(self, source: Source) -> bool: ...

    def run(self, db: Database, settings, source: Source) -> ImportSummary: ...


REGISTRY: list[Importer] = []


def register(importer: Importer) -> Importer:
    REGISTRY.append(importer)
    return importer


def _registered() -> list[Importer]:
    # Importers register themselves when their module is imported: every module of this
    # package but this one is one importer. Each detect() looks for its own file names or
    # header, so the order (by priority, then module name) only matters for the generic ones.
    import importlib
    import pkgutil
    package = importlib.import_module("companion.services.imports")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name != "base":
            importlib.import_module(f"companion.services.imports.{module.name}")
    return sorted(REGISTRY, key=lambda imp: getattr(imp, "priority", 50))


def _detect_in(source: Source) -> Importer | None:
    return next((imp for imp in _registered() if imp.detect(source)), None)


def detect(path: str | Path) -> Importer | None:
    """The importer that reads this export, or None. Raises ImportFailed for a zip that must
    not be opened (bomb, truncated)."""
    source = Source(Path(path))
    try:
        return _detect_in(source)
    finally:
        source.close()


def import_path(db: Database, settings, path: str | Path,
                progress: Progress | None = None, *, match: bool = True) -> ImportSummary:
    """Import the export at ``path`` with the importer that recognises it, then (``match``)
    look for the same person twice across the whole network (issue 9): merged when certain,
    proposed for the user to decide when likely. (``match=False``: the caller runs that pass
    itself, as the import bench does to time both.)"""
    source = Source(Path(path))
    try:
        importer = _detect_in(source)
        if importer is None:
            raise ImportFailed(
                f"取り込める形式ではありません / Not an export Goen can import: {Path(path).name}")
        source.progress = progress
        # my_profiles as set in the web view (preferences) win over the environment's
        from companion.services.preferences import effective
        conn = db.connect()
        (cache_size,) = conn.execute("PRAGMA cache_size").fetchone()
        # A large import inserts into indexes keyed by hashes (interactions' external ids):
        # random pages, which SQLite's default 2 MB page cache keeps reading back. 64 MB for
        # the import's connection only, given back after.
        conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        try:
            with ReaderPool() as reader:
                source.reader = reader
                summary = importer.run(db, effective(settings, db), source)
        finally:
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
        if progress is not None and source.total_bytes:
            progress(source.total_bytes, source.total_bytes)
        # issue 9: duplicates the import made are merged when certain, proposed when likely;
        # a failure there is logged and never fails the import, which is saved already
        if match:
            from companion.services.matching.proposals import refresh_after_import
            add_matching(summary, refresh_after_import(db, summary))
        return summary
    finally:
        source.close()
