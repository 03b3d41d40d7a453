-- The companion's daily jobs (companion/jobs.py): the local day each one last ran, so a job
-- runs once a day however often the companion is started, and again the first time it runs
-- on a new day.
CREATE TABLE job_runs (
    name TEXT PRIMARY KEY,
    last_day TEXT NOT NULL,          -- the local date (YYYY-MM-DD) of the last successful run
    last_at TEXT NOT NULL,           -- when it finished, UTC ISO 8601
    seconds REAL NOT NULL,           -- how long it took
    result TEXT                      -- what it reported (a count), for goen doctor
);

-- The offer index of introductions (services/followup/suggest_intro.py) asks for the newest
-- contacts.updated_at on every use, to bring itself up to date: an index makes it one seek.
CREATE INDEX contacts_updated_at ON contacts (updated_at);
