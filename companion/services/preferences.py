"""Preferences the user changes in the web view, and the effective settings they make.

A few settings (settings.py) can also be changed from the web view's Settings page: the user's
own profiles, the cadence of each tier, and the web view's language. What the page saves is a
*preference*, kept in the ``preferences`` table (migration 0012) as JSON text by name. The
effective value of such a setting is the preference where one is set, else the setting
(environment or default): this module is the one place that rule lives.

``EffectiveSettings`` wraps the loaded ``Settings`` and the database and answers every attribute
as ``Settings`` would, but with preferences laid over it. The app keeps one in
``app.extensions["goen.settings"]``, so every service handed "the settings" (suggestions,
drafts, captures telling my messages from theirs, the daily jobs) reads the effective values
without knowing preferences exist. Values are cached and the cache is dropped whenever this
module writes a preference; another process writing the same database (a second companion on
one data folder is not supported) would be seen after ``CACHE_SECONDS``.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from companion.db import Database, utc_now
from companion.errors import bad_request
from companion.settings import _BY_NAME, Settings, SettingsError

TIERS = ("inner", "close", "active", "wide", "dormant")
LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
# Settings the web view may override; each is parsed by the setting's own parser.
SETTING_PREFERENCES = ("my_profiles",) + tuple(f"cadence_{tier}_days" for tier in TIERS)
# Preferences that are not settings at all.
OWN_PREFERENCES = ("language",)
NAMES = SETTING_PREFERENCES + OWN_PREFERENCES
MAX_PROFILES = 20
MAX_PROFILE_CHARS = 500
CACHE_SECONDS = 5.0

_generation = 0             # bumped by every write in this process: caches compare it
_generation_lock = threading.Lock()


def _bump() -> None:
    global _generation
    with _generation_lock:
        _generation += 1


def parse_value(name: str, value: Any) -> Any:
    """A preference's value as the program uses it; bad_request (400) when it cannot be one."""
    if name not in NAMES:
        raise bad_request(f"Unknown preference: {name}.", "name")
    if name == "language":
        if value not in LANGUAGES:
            raise bad_request("language must be ja or en.", name)
        return value
    if name == "my_profiles":
        if isinstance(value, str):
            value = value.replace("\n", ",")
        if not isinstance(value, (str, list, tuple)):
            raise bad_request("my_profiles must be a list of URLs.", name)
    try:
        parsed = _BY_NAME[name].parse(value)
    except (TypeError, ValueError, SettingsError) as exc:
        raise bad_request(f"{name}: {exc}", name) from None
    if name == "my_profiles":
        if len(parsed) > MAX_PROFILES or any(len(p) > MAX_PROFILE_CHARS for p in parsed):
            raise bad_request(f"At most {MAX_PROFILES} profile URLs of "
                              f"{MAX_PROFILE_CHARS} characters.", name)
        if any(not p.startswith(("https://", "http://")) for p in parsed):
            raise bad_request("Each profile must be an http(s) URL.", name)
    return parsed


def get_preferences(db: Database) -> dict[str, Any]:
    """The preferences that are set, by name, parsed. A value that no longer parses (written
    by an older version) is ignored rather than breaking every page."""
    found = {}
    for row in db.query_all("SELECT name, value FROM preferences"):
        if row["name"] not in NAMES:
            continue
        try:
            found[row["name"]] = parse_value(row["name"], json.loads(row["value"]))
        except Exception:  # noqa: BLE001 (a stale value falls back to the setting)
            continue
    return found


def set_preferences(db: Database, values: dict[str, Any]) -> dict[str, Any]:
    """Set several preferences at once (all or none); a value of None clears one, so the
    setting applies again. Returns the preferences now set."""
    parsed = {name: (None if value is None else parse_value(name, value))
              for name, value in values.items()}
    now = utc_now()
    with db.transaction() as conn:
        for name, value in parsed.items():
            if value is None:
                conn.execute("DELETE FROM preferences WHERE name = ?", (name,))
            else:
                stored = list(value) if isinstance(value, tuple) else value
                conn.execute(
                    "INSERT INTO preferences (name, value, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
                    " updated_at = excluded.updated_at",
                    (name, json.dumps(stored, ensure_ascii=False), now))
    _bump()
    return get_preferences(db)


class EffectiveSettings:
    """``Settings`` with the user's preferences laid over it (see the module's docstring)."""

    def __init__(self, base: Settings, db: Database):
        self._base = base
        self._db = db
        self._lock = threading.Lock()
        self._cached: dict[str, Any] | None = None
        self._cached_at = 0.0
        self._cached_generation = -1

    @property
    def base(self) -> Settings:
        """The settings as loaded (environment and defaults), without preferences."""
        return self._base

    def preferences(self) -> dict[str, Any]:
        with self._lock:
            fresh = (self._cached is not None and self._cached_generation == _generation
                     and time.monotonic() - self._cached_at < CACHE_SECONDS)
            if not fresh:
                try:
                    self._cached = get_preferences(self._db)
                except Exception:  # noqa: BLE001 (a database before migration 0012)
                    self._cached = {}
                self._cached_at = time.monotonic()
                self._cached_generation = _generation
            return dict(self._cached)

    @property
    def language(self) -> str:
        return self.preferences().get("language", DEFAULT_LANGUAGE)

    @property
    def cadence_days(self) -> dict[str, int]:
        return {tier: getattr(self, f"cadence_{tier}_days") for tier in TIERS}

    def source(self, name: str) -> str:
        """Where the effective value comes from: ``preference`` or ``setting``."""
        return "preference" if name in self.preferences() else "setting"

    def __getattr__(self, name: str) -> Any:
        # only called for names not found on the instance or the class
        if name.startswith("_"):
            raise AttributeError(name)
        if name in SETTING_PREFERENCES:
            prefs = self.preferences()
            if name in prefs:
                return prefs[name]
        return getattr(self._base, name)

    def __repr__(self) -> str:
        return f"EffectiveSettings({self._base!r}, preferences={self.preferences()!r})"


def effective(settings: Settings | EffectiveSettings, db: Database) -> EffectiveSettings:
    return settings if isinstance(settings, EffectiveSettings) else EffectiveSettings(settings,
                                                                                      db)
