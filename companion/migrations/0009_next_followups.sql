-- Each person's next follow-up as the popup shows it (services/followup/next_kept.py), kept
-- with the state it was drafted from: a lookup reads it instead of drafting again, as long as
-- nothing it rests on has changed (the stamp). Filled in the background by the daily thread
-- and on a lookup that finds it stale; it is only ever a copy, never the only record of
-- anything.
CREATE TABLE next_followups (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,              -- the language asked for where the contact's is unknown
    stamp TEXT NOT NULL,             -- what it was drafted from (next_kept.stamp), as JSON
    result TEXT,                     -- the next_followup JSON, or NULL: nothing to suggest
    drafted_at TEXT NOT NULL,
    PRIMARY KEY (contact_id, lang)
) WITHOUT ROWID;
