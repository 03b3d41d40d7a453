-- Preferences the user changes in the web view (issue 7): the user's own profiles, the cadence
-- of each tier, the web view's language. One row per name; the value is JSON text. Where a row
-- exists it wins over the setting of the same name (environment or default), see
-- companion/services/preferences.py; deleting the row brings the setting back.

CREATE TABLE preferences (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,     -- JSON
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;
