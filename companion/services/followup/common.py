"""Stock phrases: sentences said in the same words to many people.

"資料を送ります。" or "I'll get it to you by Thursday for sure." written to hundreds of people
is no memory of anyone in particular. A draft does not quote such a sentence, does not recall
it as the thing to talk about, and does not name the matter it mentions in passing; it reaches
for what was said to this person only. A sentence is stock when facts with exactly that text
belong to at least ``STOCK_CONTACTS`` different contacts.

Finding them groups every fact (about a second at a million facts), so it is a daily job of
the companion (``refresh_stock``, companion/jobs.py) that keeps them in the ``stock_spans``
table; drafts read the table (kept in memory until the job runs again). Sentences that become
common during the day count from the next run. A database where the job never ran is read
once on first use.
"""

from __future__ import annotations

import threading
import weakref

from companion.db import Database, utc_now

STOCK_CONTACTS = 3

_CACHE: "weakref.WeakKeyDictionary[Database, tuple[object, frozenset[str]]]" = \
    weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def refresh_stock(db: Database) -> int:
    """Find the stock sentences again and keep them in ``stock_spans``; how many there are."""
    rows = db.query_all(
        "SELECT span_text FROM facts WHERE span_text IS NOT NULL GROUP BY span_text"
        " HAVING COUNT(DISTINCT contact_id) >= ?", (STOCK_CONTACTS,))
    now = utc_now()
    with db.transaction() as conn:
        conn.execute("DELETE FROM stock_spans")
        conn.executemany("INSERT INTO stock_spans (span_text, read_at) VALUES (?, ?)",
                         [(r[0], now) for r in rows])
    with _LOCK:
        _CACHE.pop(db, None)
    return len(rows)


def stock_spans(db: Database) -> frozenset[str]:
    """The stock sentences, as the last ``refresh_stock`` found them (on a database where it
    found none yet, it runs once per process first). Asked for every draft computation, so
    the check is one row: when the daily job last ran (a refresh in this process clears the
    memory itself)."""
    row = db.query_one("SELECT last_at FROM job_runs WHERE name = 'refresh_stock'")
    stamp = row[0] if row else None
    with _LOCK:
        cached = _CACHE.get(db)
        if cached and cached[0] == stamp:
            return cached[1]
    if cached is None and db.query_one("SELECT 1 FROM stock_spans LIMIT 1") is None:
        refresh_stock(db)
    found = frozenset(r[0] for r in db.query_all("SELECT span_text FROM stock_spans"))
    with _LOCK:
        _CACHE[db] = (stamp, found)
    return found
