"""Deferred contact-search upkeep for bulk writers (migration 0016).

The search triggers of migration 0010 rebuild and fold a contact's text in SQL each time the
contact, one of its identities, tags or notes is written: about 0.2 ms each, twice or more per
new person, which was 90 % of importing 30,000 LinkedIn connections. Inside ``deferred(conn)``
the triggers only note which contacts changed; on leaving it, those contacts' texts are rebuilt
once each, folded in Python by ``search.normalise`` (the same table as the SQL trigger: a test
checks both fold alike), and the triggers switched back. All of it happens inside the caller's
write transaction, so no reader ever sees a contact without its search row, and an exception
(which rolls the transaction back) takes the switch back too.

Usage, inside a write transaction::

    with db.transaction() as conn, deferred(conn):
        ... many inserts ...
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

from companion.services.search import normalise as _cached_normalise

# unwrapped: a bulk write folds each text once, and would only evict the cache the search page
# keeps for its names
normalise = _cached_normalise.__wrapped__

CHUNK = 500   # contacts whose text is read per query (SQLite's variable limit is far above)


@contextmanager
def deferred(conn: sqlite3.Connection) -> Iterator[None]:
    if not conn.in_transaction:
        raise RuntimeError("deferred() needs an open write transaction")
    (already,) = conn.execute("SELECT deferred FROM contacts_search_mode").fetchone()
    if already:           # nested: the outer block flushes
        yield
        return
    conn.execute("UPDATE contacts_search_mode SET deferred = 1")
    try:
        yield
        flush(conn)
    finally:
        # Normally the caller's transaction rolls back on an error, taking the switch with it;
        # but a caller that catches the error and commits must not leave the triggers noting
        # forever (the index would go stale for every writer). The contacts noted so far are
        # rebuilt too, so what the caller keeps is indexed.
        if conn.in_transaction:
            if conn.execute("SELECT 1 FROM contacts_search_deferred LIMIT 1").fetchone():
                flush(conn)
            conn.execute("UPDATE contacts_search_mode SET deferred = 0")


def flush(conn: sqlite3.Connection) -> int:
    """Rebuild the search rows of the contacts noted while deferred; returns how many."""
    ids = [r[0] for r in conn.execute("SELECT id FROM contacts_search_deferred ORDER BY id")]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM contacts_fts WHERE rowid IN ({marks})", chunk)
        rows = conn.execute(f"SELECT id, t FROM contacts_search_raw WHERE id IN ({marks})",
                            chunk).fetchall()
        docs, keys = [], []
        for contact_id, text in rows:
            folded = normalise(text)
            # the first line is the sort key, the rest the indexed text from its line break on,
            # exactly as the trigger stores them
            cut = folded.index("\n")
            docs.append((contact_id, folded[cut:]))
            keys.append((folded[:cut], contact_id, folded[:cut]))
        conn.executemany("INSERT INTO contacts_fts (rowid, doc) VALUES (?, ?)", docs)
        conn.executemany("UPDATE contacts SET sort_key = ? WHERE id = ? AND sort_key IS NOT ?",
                         keys)
    conn.execute("DELETE FROM contacts_search_deferred")
    return len(ids)
