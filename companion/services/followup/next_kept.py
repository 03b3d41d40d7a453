"""Each person's next follow-up, kept between lookups (table ``next_followups``).

Drafting a person's strongest suggestion reads their facts and runs the template guard: a few
milliseconds, tens for a busy tie. The popup asks for it on every page it opens, so the answer
is kept with a stamp of everything it rests on and used again while the stamp holds:

* the day, the language asked for (the draft's language where the contact's is unknown) and
  the companion's version (an upgrade drafts everyone again);
* the contact's row (updated, tier, last two-way exchange), their newest interaction, fact and
  note, their identities (a site newly linked to them), how many of their facts are open or dismissed and their latest status change, and
  what the user did with their suggestions;
* the stock sentences' and the user's own interests' freshness (common.py, shared.py), and
  the settings it was drafted under (cadences, the user's own profiles);
* for a person with a stated need, also the introductions' offer index (other people's
  profiles and interests), since someone new may now be the one to introduce.

A stale or missing entry is drafted again on the spot (as without this table) and kept. The
daily thread drafts everyone's ahead (companion/jobs.py), so the first lookups of the day are
quick too.
"""

from __future__ import annotations

import json
from datetime import date

from companion import __version__
from companion.db import Database, utc_now
from companion.services.followup import shared, suggest

_PERSON = (
    "SELECT c.updated_at, c.tier, c.last_two_way_at,"
    " (SELECT MAX(id) FROM interactions WHERE contact_id = c.id),"
    " (SELECT MAX(id) FROM facts WHERE contact_id = c.id),"
    " (SELECT COUNT(*) FROM facts WHERE contact_id = c.id AND status = 'open'),"
    " (SELECT COUNT(*) FROM facts WHERE contact_id = c.id AND status = 'dismissed'),"
    " (SELECT MAX(status_at) FROM facts WHERE contact_id = c.id),"
    " (SELECT MAX(updated_at) FROM notes WHERE contact_id = c.id),"
    " (SELECT COUNT(*) || '/' || COALESCE(MAX(id), 0) FROM identities WHERE contact_id = c.id),"
    " (SELECT COUNT(*) || '/' || COALESCE(MAX(acted_at), '') FROM suggestion_actions"
    "  WHERE contact_id = c.id OR suggestion_key LIKE 'intro:%:' || c.id)"
    " FROM contacts c WHERE c.id = ?")
_OFFERS = ("SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(updated_at), ''),"
           " (SELECT COALESCE(MAX(id), 0) FROM facts WHERE kind = 'interest') FROM contacts")


_OWN_PARTS = 7   # the stamp's parts every person has; a person with a need adds the offers


def stamp(db: Database, contact_id: int, day: date, lang: str, settings=None,
          with_offers: bool = False) -> list | None:
    """What the person's next follow-up rests on; None for an unknown contact."""
    person = db.query_one(_PERSON, (contact_id,))
    if person is None:
        return None
    stock = db.query_one("SELECT last_at FROM job_runs WHERE name = 'refresh_stock'")
    # the settings it was drafted under: cadences per tier, the user's own profiles
    cadence = [[tier, days] for tier, days in sorted(suggest.cadences(settings).items())]
    out = [day.isoformat(), lang, __version__, list(person), stock[0] if stock else None,
           shared.my_interests_stamp(db, getattr(settings, "my_profiles", ())), cadence]
    if with_offers:
        out.append(list(db.query_one(_OFFERS)))
    return out


def _current(db: Database, contact_id: int, day: date, lang: str, settings) -> dict | None:
    """The kept row when its stamp still holds, else None."""
    row = db.query_one("SELECT stamp, result FROM next_followups WHERE contact_id = ?"
                       " AND lang = ?", (contact_id, lang))
    if row is None:
        return None
    kept = json.loads(row["stamp"])
    now = stamp(db, contact_id, day, lang, settings, with_offers=len(kept) > _OWN_PARTS)
    return row if now == kept else None


def next_followup(db: Database, contact_id: int, today: date | str | None = None, *,
                  settings=None, user_lang: str = "ja") -> dict | None:
    """``suggest.next_followup``, kept: the same answer, drafted again only when something
    it rests on has changed."""
    day = suggest.day_of(today)
    row = _current(db, contact_id, day, user_lang, settings)
    if row is not None:
        return json.loads(row["result"]) if row["result"] else None
    return draft(db, contact_id, day, settings=settings, user_lang=user_lang)


def draft(db: Database, contact_id: int, day: date, *, settings=None,
          user_lang: str = "ja") -> dict | None:
    """Draft the person's next follow-up now and keep it."""
    before = stamp(db, contact_id, day, user_lang, settings, with_offers=True)
    if before is None:
        return None
    result, had_needs = suggest.next_followup_and_needs(db, contact_id, day, settings=settings,
                                                        user_lang=user_lang)
    if not had_needs:
        before = before[:_OWN_PARTS]
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO next_followups (contact_id, lang, stamp, result, drafted_at)"
            " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM contacts WHERE id = ?)"
            " ON CONFLICT (contact_id, lang) DO UPDATE SET stamp = excluded.stamp,"
            " result = excluded.result, drafted_at = excluded.drafted_at",
            (contact_id, user_lang, json.dumps(before, ensure_ascii=False),
             json.dumps(result, ensure_ascii=False) if result else None, utc_now(),
             contact_id))
    return result


def draft_everyone(db: Database, day: date | None = None, *, settings=None,
                   user_lang: str = "ja", stop=None) -> int:
    """Bring every person's kept next follow-up up to date (the daily thread); how many were
    drafted. ``stop``: a threading.Event that ends the work early (the server stopping)."""
    day = day or suggest.day_of(None)
    drafted = 0
    for (contact_id,) in db.query_all("SELECT id FROM contacts ORDER BY id"):
        if stop is not None and stop.is_set():
            break
        if _current(db, contact_id, day, user_lang, settings) is not None:
            continue
        draft(db, contact_id, day, settings=settings, user_lang=user_lang)
        drafted += 1
    return drafted

