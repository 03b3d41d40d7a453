"""Stock phrases: sentences said in the same words to many people.

"資料を送ります。" or "I'll get it to you by Thursday for sure." written to hundreds of people
is no memory of anyone in particular. A draft does not quote such a sentence, does not recall
it as the thing to talk about, and does not name the matter it mentions in passing; it reaches
for what was said to this person only. A sentence is stock when facts with exactly that text
belong to at least ``STOCK_CONTACTS`` different contacts.

The set is read once a day per database (one grouped scan of the facts: about a second at a
million facts, so the companion's daily thread warms it, companion/jobs.py); sentences that
become common during the day count from the next.
"""

from __future__ import annotations

import threading
import weakref
from datetime import date

from companion.db import Database

STOCK_CONTACTS = 3

_CACHE: "weakref.WeakKeyDictionary[Database, tuple[date, frozenset[str]]]" = \
    weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def stock_spans(db: Database, today: date) -> frozenset[str]:
    """The span texts said to ``STOCK_CONTACTS`` or more contacts."""
    with _LOCK:
        cached = _CACHE.get(db)
        if cached and cached[0] == today:
            return cached[1]
    found = frozenset(r[0] for r in db.query_all(
        "SELECT span_text FROM facts WHERE span_text IS NOT NULL GROUP BY span_text"
        " HAVING COUNT(DISTINCT contact_id) >= ?", (STOCK_CONTACTS,)))
    with _LOCK:
        _CACHE[db] = (today, found)
    return found
