"""``goen import PATH``: import a data export (issue 8) with a progress bar on stderr, ending
with a summary of what was created, updated, merged and skipped (skips grouped by reason).

cli.py calls ``register(sub)`` to add the command.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from companion.db import Database
from companion.services.imports import ImportFailed, ImportSummary, import_path
from companion.services.preferences import EffectiveSettings
from companion.settings import SettingsError, load_settings

EXAMPLES_SHOWN = 3   # rows named per skip reason; the rest are counted


def _progress_bar(done: int, total: int) -> None:
    # the same bar as `goen reparse` (cli._progress_bar), kept here so that cli.py need not be
    # imported by this module (cli.py imports this one)
    if sys.stderr.isatty():
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done * 100 // max(total, 1)}%",
              end=end, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class SkipGroup:
    """The rows skipped for one reason: how many, and where the first few were."""
    reason: str
    count: int
    examples: list[str]

    @property
    def more(self) -> bool:
        return self.count > len(self.examples)


def skip_groups(summary: ImportSummary, examples: int = EXAMPLES_SHOWN) -> list[SkipGroup]:
    """Skips grouped by reason, the most frequent first, with up to ``examples`` places each
    (the command's summary and the web view's import page show the same)."""
    by_reason = Counter(summary.skip_counts if summary.skip_counts is not None
                        else (s.reason for s in summary.skipped))
    return [SkipGroup(reason, count,
                      [s.where for s in summary.skipped if s.reason == reason][:examples])
            for reason, count in by_reason.most_common()]


def summary_lines(summary: ImportSummary) -> list[str]:
    lines = [f"取り込み完了 / Import finished: {summary.source}",
             f"  作成 / created: {summary.created}",
             f"  更新 / updated: {summary.updated}",
             f"  統合 / merged: {summary.merged}",
             f"  追加したやり取り / interactions added: {summary.interactions_added}",
             f"  スキップ / skipped: {summary.skipped_count}"]
    for group in skip_groups(summary):
        more = ", …" if group.more else ""
        lines.append(f"    {group.count} × {group.reason} ({', '.join(group.examples)}{more})")
    if summary.duplicates_merged or summary.duplicates_proposed:
        lines += [f"  同一人物として統合 / merged as the same person: {summary.duplicates_merged}",
                  f"  同一人物の候補（確認待ち） / possible duplicates to review: "
                  f"{summary.duplicates_proposed}"]
    return lines


def cmd_import(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        base = load_settings()
    except SettingsError as exc:
        raise SystemExit(f"goen: setting problem: {exc}") from None
    db = Database(base.db_path)
    try:
        db.migrate()
        # my_profiles as the user set them in the web view win over the environment's
        settings = EffectiveSettings(base, db)
        summary = import_path(db, settings, args.path, progress=_progress_bar)
    except ImportFailed as exc:
        print(f"goen import: {exc.message}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print("\n".join(summary_lines(summary)), file=out)
    return 0


def register(sub) -> None:
    command = sub.add_parser(
        "import",
        help="import a data export (LinkedIn, X, Facebook, Mastodon, vCard, Google Contacts CSV "
             "or a Goen JSON export; a zip, a folder or one file) into the database")
    command.add_argument("path", help="the export: a zip, the folder it unpacks to, or a CSV")
    command.set_defaults(func=cmd_import)
