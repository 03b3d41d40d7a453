"""Today's list as the web view's Today page shows it, kept between page loads.

Computing the list reads every open fact: about 1.3 s at 10,000 contacts and a million facts
(bench/bench_followup.py), more than the page may take (DESIGN.md: usable within 1 s). So the
list is kept per database, day, language, length and settings, with a stamp of what it rests on
(the newest interaction, fact, status change, contact, note and action, and the stock sentences'
refresh):

* the stamp holds: the kept list;
* on a large network (``STALE_OK_CONTACTS``) whose data changed the same day: the kept list at
  once, less what the user has acted on since (done, dismissed, snoozed), while the new one is
  computed in the background; a capture moves one person's suggestion, not the whole list;
* otherwise (a small network, a new day, nothing kept): computed now.

The daily thread (companion/jobs.py) computes it ahead, so the first Today page of the day is
quick too; GET /api/v1/suggestions answers from the same kept lists. One list is computed at
a time: a second caller waits, then finds the first one's answer kept.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass
from datetime import date

from companion.db import Database
from companion.services.followup import suggest

log = logging.getLogger(__name__)

STALE_OK_CONTACTS = 2000
PAGE_LENGTH = 20      # what the Today page shows (and the daily thread computes ahead)
_STAMP = (
    "SELECT (SELECT MAX(id) FROM interactions), (SELECT MAX(id) FROM facts),"
    " (SELECT MAX(status_at) FROM facts), (SELECT COUNT(*) FROM contacts),"
    " (SELECT MAX(updated_at) FROM contacts), (SELECT MAX(updated_at) FROM notes),"
    " (SELECT COUNT(*) || '/' || COALESCE(MAX(acted_at), '') FROM suggestion_actions),"
    " (SELECT last_at FROM job_runs WHERE name = 'refresh_stock')")


@dataclass
class _Kept:
    stamp: tuple
    found: list


_LOCK = threading.Lock()
_KEPT: dict[tuple, _Kept] = {}
_COMPUTING: set[tuple] = set()
_COMPUTE_LOCK = threading.Lock()


def _key(db: Database, day: date, limit: int, settings, user_lang: str) -> tuple:
    cadence = tuple(sorted(suggest.cadences(settings).items()))
    mine = tuple(getattr(settings, "my_profiles", ()) or ())
    return (str(db.path), day.isoformat(), limit, user_lang, cadence, mine)


def _stamp(db: Database) -> tuple:
    return tuple(db.query_one(_STAMP))


def _keep(key: tuple, kept: _Kept) -> None:
    """Keep a list, forgetting those of other days (the server runs for weeks; call with
    ``_LOCK`` held)."""
    for old in [k for k in _KEPT if k[1] != key[1]]:
        del _KEPT[old]
    _KEPT[key] = kept


def _compute(db: Database, day: date, limit: int, settings, user_lang: str) -> _Kept:
    stamp = _stamp(db)    # before: a change made while computing makes the next call redo it
    found = suggest.suggestions_for_today(db, day, limit, settings=settings,
                                          user_lang=user_lang)
    return _Kept(stamp, found)


def todays_list(db: Database, day: date, limit: int, *, settings=None,
                user_lang: str = "ja") -> list:
    key = _key(db, day, limit, settings, user_lang)
    now = _stamp(db)
    with _LOCK:
        kept = _KEPT.get(key)
    if kept is not None and kept.stamp == now:
        return kept.found
    if kept is not None and now[3] >= STALE_OK_CONTACTS:
        _refresh_in_background(db, day, limit, settings, user_lang, key)
        return _not_acted_on(db, kept.found, day)
    with _computing(key):
        with _LOCK:                 # another caller may have computed it while this one waited
            kept = _KEPT.get(key)
        if kept is not None and kept.stamp == _stamp(db):
            return kept.found
        fresh = _compute(db, day, limit, settings, user_lang)
        with _LOCK:
            _keep(key, fresh)
        return fresh.found


@contextlib.contextmanager
def _computing(key: tuple):
    """One computation of a list at a time, whatever its key: two at once (the daily thread
    preparing it, a page or the API asking for it) would hold twice the ~50 MB one takes at
    10,000 contacts. A caller for the same key then finds the answer kept."""
    with _COMPUTE_LOCK:
        yield


def warm(db: Database, day: date, limit: int, *, settings=None, user_lang: str = "ja") -> None:
    """Compute and keep the list now (the daily thread)."""
    key = _key(db, day, limit, settings, user_lang)
    with _computing(key):
        fresh = _compute(db, day, limit, settings, user_lang)
        with _LOCK:
            _keep(key, fresh)


def forget() -> None:
    with _LOCK:
        _KEPT.clear()


def _refresh_in_background(db, day, limit, settings, user_lang, key) -> None:
    with _LOCK:
        if key in _COMPUTING:
            return
        _COMPUTING.add(key)

    def run() -> None:
        try:
            with _computing(key):
                fresh = _compute(db, day, limit, settings, user_lang)
                with _LOCK:
                    _keep(key, fresh)
        except Exception:   # noqa: BLE001 - the kept list stays; the next load tries again
            log.exception("computing today's list in the background failed")
        finally:
            with _LOCK:
                _COMPUTING.discard(key)

    threading.Thread(target=run, name="goen-todays-list", daemon=True).start()


def _not_acted_on(db: Database, found: list, day: date) -> list:
    """The kept list without what the user did since: done and dismissed suggestions are gone,
    snoozed ones until their date (as suggest._visible)."""
    if not found:
        return found
    keys = [s.key for s in found]
    marks = ",".join("?" * len(keys))
    acted = {r[0]: (r[1], r[2]) for r in db.query_all(
        f"SELECT suggestion_key, action, until FROM suggestion_actions"
        f" WHERE suggestion_key IN ({marks})", keys)}
    out = []
    for s in found:
        action = acted.get(s.key)
        if action is None or (action[0] == "snoozed" and action[1] is not None
                              and action[1][:10] <= day.isoformat()):
            out.append(s)
    return out
