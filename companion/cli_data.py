"""``goen backup``, ``goen restore PATH`` and ``goen export``: the user's data, kept and taken
out (issue 8; docs/BACKUP.md). ``register(sub)`` adds the three commands to cli.py's parser.

Commands print what a person needs; errors go to stderr in English and Japanese, with a
non-zero exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from companion.settings import Settings, SettingsError, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise SystemExit(f"goen: setting problem: {exc}") from None


def _fail(message: str, message_ja: str | None = None) -> int:
    print(f"goen: {message}", file=sys.stderr)
    if message_ja:
        print(f"goen: {message_ja}", file=sys.stderr)
    return 1


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def cmd_backup(args: argparse.Namespace) -> int:
    from companion.db import Database
    from companion.services.backup import BackupError, backup

    settings = _settings()
    if not settings.db_path.exists():
        return _fail(f"no database at {settings.db_path} yet: nothing to back up.",
                     f"{settings.db_path} にデータベースがまだありません。")
    db = Database(settings.db_path)
    try:
        result = backup(db, Path(args.dir).expanduser() if args.dir else settings.backups_dir)
    except BackupError as exc:
        return _fail(exc.message, exc.message_ja)
    except OSError as exc:
        return _fail(f"the backup could not be written: {exc}",
                     f"バックアップを書き込めませんでした: {exc}")
    finally:
        db.close()
    print(f"Backup written ({_size(result.bytes)}, {result.seconds:.1f} s):")
    print(result.path)
    return 0


def _companion_running(settings: Settings) -> str | None:
    """A sentence when the companion answers on its port, else None. The same probe as
    `goen doctor` (cli._probe). The restore itself also refuses a database another program
    has open (services/backup.py), which covers a companion on another port."""
    from companion.cli import _probe
    from companion.token_store import TokenError, TokenStore

    token = None
    with contextlib.suppress(TokenError, OSError):
        token = TokenStore(settings.data_dir, settings.token_backend).peek()
    state, text = _probe(settings.port, token)
    return text if state == "ok" else None


def cmd_restore(args: argparse.Namespace) -> int:
    from companion.services.backup import BackupError, check_backup, restore

    settings = _settings()
    path = Path(args.path).expanduser()
    try:
        version = check_backup(path)
    except BackupError as exc:
        return _fail(exc.message, exc.message_ja)
    running = _companion_running(settings)
    if running:
        return _fail(f"{running}: stop it (Ctrl+C where `goen serve` runs) before restoring.",
                     "コンパニオンが起動中です。復元の前に停止してください。")
    print(f"Backup:   {path} (checked: intact, schema version {version})")
    print(f"Replaces: {settings.db_path}")
    print("The current database is kept beside it as goen-before-restore-<time>.sqlite3.")
    if not args.yes:
        if not sys.stdin.isatty():
            return _fail("add --yes to restore (the current data is replaced).",
                         "復元するには --yes を付けてください（現在のデータは置き換えられます）。")
        answer = input("Restore now? 復元しますか？ [y/N] ").strip().lower()
        if answer not in ("y", "yes", "はい"):
            print("Nothing was changed.")
            return 1
    try:
        result = restore(settings.db_path, path)
    except BackupError as exc:
        return _fail(exc.message, exc.message_ja)
    print(f"Restored {result.contacts} contacts in {result.seconds:.1f} s "
          f"(schema version {result.schema_version}).")
    if result.kept_path:
        print(f"The previous database is kept at {result.kept_path}")
    print("Start the companion again with `goen serve`.")
    return 0


def write_private(path: Path, write, newline: str | None = None) -> None:
    """Write a file only its owner can read, whole or not at all: ``write(f)`` fills
    ``<path>.partial`` (created 0600), which is then renamed over nothing. ``newline=""``
    keeps the line ends the writer writes (vCard and CSV want CRLF on every system)."""
    partial = path.with_name(path.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            write(f)
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise


EXTENSIONS = {"json": "json", "vcard": "vcf", "csv": "csv"}


def _export_cards(db, fmt: str, target: Path | None) -> int:
    """The vCard or CSV export (services/export_cards.py), written as it is read."""
    from companion.services.export_cards import write_csv, write_vcards

    writer = write_vcards if fmt == "vcard" else write_csv
    count = 0

    def fill(f) -> None:
        nonlocal count
        count = writer(db, f)

    try:
        if target is None:
            # standard output as UTF-8 with the format's own CRLF, whatever the console's
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is None:          # a text-only stream (tests): as it is
                fill(sys.stdout)
                return 0
            sys.stdout.flush()
            out = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
            try:
                fill(out)
            finally:
                out.detach()
            return 0
        write_private(target, fill, newline="")
    except OSError as exc:
        return _fail(f"the export could not be written: {exc}",
                     f"エクスポートを書き込めませんでした: {exc}")
    finally:
        db.close()
    name = "vCard 4.0" if fmt == "vcard" else "CSV"
    print(f"Exported {count} contacts as {name} to:")
    print(target)
    print("It holds your contacts in plain text: keep it somewhere private.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from companion.db import Database
    from companion.services.export_json import export_all

    settings = _settings()
    if not settings.db_path.exists():
        return _fail(f"no database at {settings.db_path} yet: nothing to export.",
                     f"{settings.db_path} にデータベースがまだありません。")
    fmt = getattr(args, "format", None) or "json"
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    output = args.output or f"goen-export-{stamp}.{EXTENSIONS[fmt]}"
    target = None if output == "-" else Path(output).expanduser().absolute()
    if target is not None and target.exists():
        return _fail(f"{target} already exists; choose another --output.",
                     f"{target} はすでにあります。別の --output を指定してください。")
    db = Database(settings.db_path)
    if fmt != "json":
        return _export_cards(db, fmt, target)
    try:
        data = export_all(db)
    finally:
        db.close()

    def dump(f) -> None:
        json.dump(data, f, ensure_ascii=False)
        f.write("\n")

    if target is None:
        dump(sys.stdout)
        return 0
    try:
        write_private(target, dump)
    except OSError as exc:
        return _fail(f"the export could not be written: {exc}",
                     f"エクスポートを書き込めませんでした: {exc}")
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in data["tables"].items()
                       if name in ("contacts", "interactions", "notes", "facts"))
    print(f"Exported {counts} (and the rest of your data) to:")
    print(target)
    print("It holds your whole network in plain text: keep it somewhere private.")
    return 0


def register(sub) -> None:
    """Add backup, restore and export to cli.py's subcommands."""
    backup = sub.add_parser("backup", help="make a backup of the database now (prints its path)")
    backup.add_argument("--dir", metavar="DIR",
                        help="folder for the backup (default: GOEN_BACKUP_DIR, or backups/ in "
                             "the data folder)")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="replace the database with a backup (the current "
                                             "one is kept); the companion must be stopped")
    restore.add_argument("path", metavar="PATH", help="the backup file (.sqlite3)")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(func=cmd_restore)

    export = sub.add_parser("export", help="write all your data to one file")
    export.add_argument("--format", choices=["json", "vcard", "csv"], default="json",
                        help="json: everything, imports back into an empty database "
                             "(default); vcard: the contacts as vCard 4.0 for an address "
                             "book; csv: one row per contact for a spreadsheet")
    export.add_argument("--output", metavar="FILE",
                        help="file to write (default: goen-export-<time>.json, .vcf or .csv "
                             "here; - for standard output)")
    export.set_defaults(func=cmd_export)
