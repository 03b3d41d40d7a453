"""Goen's own JSON export (``goen export``, services/export_json.py) brought back with
``goen import`` or the web view's import page, like any other export.

It is recognised by its first few kilobytes: a JSON object whose ``"format"`` is
``"goen-export"`` (export_json.FORMAT, written as the first key), as a single ``.json`` file or
a ``.json`` at the top of a zip or folder. Detection reads only those kilobytes, so a large
export costs nothing to recognise and other exports' JSON files are not parsed.

The import itself is export_json.import_all: every row with its id, in one transaction, and only
into an empty database (a JSON export is a whole database, not a list of people to merge: to go
back in time, restore a backup). Its refusals become ImportFailed, in both languages; nothing is
written when it refuses. The summary counts the contacts as created and the interactions as
added.
"""

from __future__ import annotations

import json
import re

from companion.db import Database
from companion.services import export_json
from companion.services.imports.base import ImportFailed, ImportSummary, Source, register

HEAD_BYTES = 4096
MAX_TOP_LEVEL_FILES = 5     # the .json files at the top of a zip or folder looked into
MAX_EXPORT_BYTES = 1024 ** 3   # parsed in memory: a larger one is refused before reading
_HEAD = re.compile(r'^\s*\{[^{}\[\]]*"format"\s*:\s*"' + re.escape(export_json.FORMAT) + '"')


def _head(source: Source, name: str) -> str:
    # Source has no public "first bytes of a member": its reader is used for those few KB
    with source._open_binary(name) as raw:    # noqa: SLF001 (same package)
        data = raw.read(HEAD_BYTES)
    return data.decode("utf-8-sig", errors="ignore")


def _candidates(source: Source) -> list[str]:
    return [p for p in source.paths("*.json") if "/" not in p][:MAX_TOP_LEVEL_FILES]


def _export_member(source: Source) -> str | None:
    for name in _candidates(source):
        try:
            if _HEAD.match(_head(source, name)):
                return name
        except (ImportFailed, OSError):
            continue
    return None


def _failed(exc: export_json.ExportError) -> ImportFailed:
    return ImportFailed(f"{exc.message_ja} / {exc.message}",
                        {"code": exc.code, "status": exc.status})


class GoenJsonImporter:
    name = "goen_json"
    # exact and cheap: tried before the generic detectors
    priority = 10

    def detect(self, source: Source) -> bool:
        return _export_member(source) is not None

    def run(self, db: Database, settings, source: Source) -> ImportSummary:
        name = _export_member(source)
        if name is None:    # detect() said yes a moment ago: the file changed under us
            raise ImportFailed("Goen の JSON エクスポートではありません / This is not a Goen "
                               "JSON export.")
        source.total_bytes = source.size(name)
        raw = source.read(name, limit=MAX_EXPORT_BYTES)
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ImportFailed(f"{name} は UTF-8 ではありません / {name} is not UTF-8 "
                               "text.") from None
        except (ValueError, RecursionError) as exc:
            raise ImportFailed(f"{name} は JSON として読めません（途中で切れている?） / "
                               f"{name} is not readable JSON (cut short?): {exc}") from None
        del raw
        try:
            result = export_json.import_all(db, data)
        except export_json.ExportError as exc:
            raise _failed(exc) from None
        return ImportSummary(source=f"goen-json:{source.path.name}",
                             created=result.counts.get("contacts", 0),
                             interactions_added=result.counts.get("interactions", 0))


register(GoenJsonImporter())
