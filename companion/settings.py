"""Every setting of the companion, in one table.

Each setting has a name, a default and a help text. Any setting can be given in the environment as
``GOEN_<NAME>`` (upper case) or passed to ``create_app(config={...})`` by its lower-case name.
Nothing is read at import time: ``load_settings()`` reads the environment when it is called.
docs/SETTINGS.md is generated from this table (``goen settings --markdown``) and a test keeps it
in step.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Callable, Mapping

import platformdirs

ENV_PREFIX = "GOEN_"
APP_NAME = "goen"


def _default_data_dir() -> str:
    return platformdirs.user_data_dir(APP_NAME, appauthor=False)


def _int(value: str | int) -> int:
    return int(value)


def _days(value: str | int) -> int:
    days = int(value)
    if not 1 <= days <= 3650:
        raise ValueError("must be a number of days from 1 to 3650")
    return days


def _keep(value: str | int) -> int:
    keep = int(value)
    if not 0 <= keep <= 1000:
        raise ValueError("must be a number of backups from 0 to 1000")
    return keep


def _str_list(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(part.strip() for part in str(value).split(",") if part.strip())


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = str(value).strip().lower()
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return value

    return parse


@dataclasses.dataclass(frozen=True)
class Setting:
    name: str
    default: Any  # a value, or a callable giving the value when settings are loaded
    help: str
    parse: Callable[[Any], Any] = str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", _default_data_dir,
            "Folder holding the database, the token file and backups. Default: the per-user "
            "data folder (platformdirs), e.g. ~/.local/share/goen on Linux.", str),
    Setting("port", 47290, "Loopback port the companion listens on (always 127.0.0.1); 0 picks a free one "
            "and prints it.", _int),
    Setting("threads", 4, "Worker threads of the waitress server.", _int),
    Setting("max_body_bytes", 10 * 1024 * 1024,
            "Largest request body accepted, in bytes; larger ones get 413.", _int),
    # A data export uploaded on the web view's import page can be hundreds of MB (LinkedIn's
    # with its messages): this one route gets its own, larger limit.
    Setting("max_upload_bytes", 512 * 1024 * 1024,
            "Largest file accepted by the web view's import page (POST /import), in bytes; "
            "larger ones get 413. Every other request keeps max_body_bytes.", _int),
    Setting("max_html_chars", 8 * 1024 * 1024,
            "Largest captured HTML accepted, in characters; larger ones get 413.", _int),
    Setting("token_backend", "auto",
            "Where the API token lives: auto (OS keyring, or a 0600 file in data_dir where no "
            "keyring backend exists), keyring, or file.", _choice("auto", "keyring", "file")),
    Setting("extension_ids", ("bddjgpkhpndbfbomeobifkpedemfoeno",),
            "Comma-separated Chromium extension ids allowed as Origin (chrome-extension://<id>); "
            "the default is Goen's own extension (its fixed manifest key, docs/EXTENSION.md). "
            "Firefox's per-install moz-extension://<uuid> origins are always allowed when "
            "well-formed.", _str_list),
    Setting("my_profiles", (),
            "Comma-separated URLs of the user's own profiles, to tell their messages from "
            "other people's.", _str_list),
    Setting("log_level", "info", "Logging level: debug, info, warning or error.",
            _choice("debug", "info", "warning", "error")),
    # Cadences per relationship tier (issue 6), after Dunbar's layers: the few closest people
    # are seen about every week or two, the next layer about monthly, the active circle about
    # quarterly, the wider network a couple of times a year and long, thin ties once a year.
    # See companion/services/followup/README.md.
    Setting("cadence_inner_days", 14,
            "Days between contacts for the inner tier (the handful of closest people, Dunbar's "
            "~5: about every two weeks).", _days),
    Setting("cadence_close_days", 30,
            "Days between contacts for the close tier (Dunbar's ~15: about monthly).", _days),
    Setting("cadence_active_days", 90,
            "Days between contacts for the active tier (Dunbar's ~50: about quarterly).", _days),
    Setting("cadence_wide_days", 180,
            "Days between contacts for the wide tier (Dunbar's ~150: about twice a year).",
            _days),
    Setting("cadence_dormant_days", 365,
            "Days between contacts for a dormant tie (no exchange for a year: a yearly touch "
            "keeps a long, thin tie alive).", _days),
    # Backups (issue 8, docs/BACKUP.md): a week of daily copies by default, enough to go back
    # past a mistake noticed a few days late without filling the disk.
    Setting("backup_keep", 7,
            "Automatic daily backups kept (the oldest are deleted); 0 turns automatic backups "
            "off. `goen backup` makes one at any time.", _keep),
    Setting("backup_dir", "",
            "Folder for backups. Default (empty): backups/ in the data folder.", str),
    # The watched inbox (issue 8, services/inbox.py): an export dropped there is imported
    # while the companion runs. On by default: a folder nobody drops into costs nothing.
    Setting("inbox_dir", "",
            "Folder watched while the companion runs: an export dropped there is imported, "
            "then moved to processed/ or failed/. Default (empty): inbox/ in the data folder; "
            "`off` turns the watching off.", str),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class SettingsError(ValueError):
    """A setting was given a value it cannot take."""


@dataclasses.dataclass(frozen=True)
class Settings:
    data_dir: Path
    port: int
    threads: int
    max_body_bytes: int
    max_upload_bytes: int
    max_html_chars: int
    token_backend: str
    extension_ids: tuple[str, ...]
    my_profiles: tuple[str, ...]
    log_level: str
    cadence_inner_days: int
    cadence_close_days: int
    cadence_active_days: int
    cadence_wide_days: int
    cadence_dormant_days: int
    backup_keep: int
    backup_dir: str
    inbox_dir: str

    @property
    def db_path(self) -> Path:
        return self.data_dir / "goen.sqlite3"

    @property
    def token_path(self) -> Path:
        return self.data_dir / "token"

    @property
    def backups_dir(self) -> Path:
        if self.backup_dir:
            return Path(self.backup_dir).expanduser()
        return self.data_dir / "backups"

    @property
    def cadence_days(self) -> dict[str, int]:
        """Days between contacts per relationship tier, closest first."""
        return {"inner": self.cadence_inner_days, "close": self.cadence_close_days,
                "active": self.cadence_active_days, "wide": self.cadence_wide_days,
                "dormant": self.cadence_dormant_days}


def load_settings(overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from defaults, then ``GOEN_*`` environment variables, then ``overrides``."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(_BY_NAME)
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        env_name = ENV_PREFIX + setting.name.upper()
        if setting.name in overrides:
            raw, source = overrides[setting.name], "config"
        elif environ.get(env_name, "") != "":
            raw, source = environ[env_name], env_name
        else:
            raw, source = setting.default, None
            if callable(raw):
                raw = raw()
        try:
            values[setting.name] = setting.parse(raw)
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"{source or setting.name}: {raw!r} is not valid: {exc}") from exc
    values["data_dir"] = Path(values["data_dir"]).expanduser()
    if not 0 <= values["port"] <= 65535:
        raise SettingsError(f"port: {values['port']} is not a TCP port")
    return Settings(**values)


def settings_markdown() -> str:
    """The settings table as Markdown, for docs/SETTINGS.md."""
    lines = [
        "# Settings",
        "",
        "Every setting can be set in the environment as `GOEN_<NAME>`. This file is generated by",
        "`goen settings --markdown` from `companion/settings.py`; a test keeps them in step.",
        "",
        "| environment variable | default | what it does |",
        "| --- | --- | --- |",
    ]
    for s in SETTINGS:
        default = "per-user data folder" if callable(s.default) else s.default
        if isinstance(default, tuple):
            default = ",".join(default) or "(empty)"
        lines.append(f"| `{ENV_PREFIX}{s.name.upper()}` | `{default}` | {s.help} |")
    return "\n".join(lines) + "\n"
