-- Merging two contacts who are the same person (issue 9), and undoing it exactly
-- (services/merge.py). One row per merge: the merged contact's rows were moved to the kept one,
-- or dropped where the kept one already had the same (a tag both had); `log` holds everything
-- an undo needs to put both back as they were: the merged contact's whole row, the kept
-- contact's row before and after, the ids of every row moved, every row dropped in full, and
-- the statuses the merge's follow-up refresh changed.
--
-- No foreign keys to contacts: the merged contact's row is deleted by the merge, and a later
-- merge may delete the kept one too (merged into a third person) while this record must stay
-- to be undone in turn. An undo checks that the kept contact still exists.
-- reason: 'user', 'proposal:<id>', 'certain:<reason code>' (who or what asked for the merge).
CREATE TABLE merges (
    id          INTEGER PRIMARY KEY,
    kept_id     INTEGER NOT NULL,
    merged_id   INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    merged_at   TEXT NOT NULL,
    undone_at   TEXT,
    log         TEXT NOT NULL,       -- JSON (services/merge.py says what it holds)
    CHECK (kept_id <> merged_id)
);
CREATE INDEX merges_kept ON merges (kept_id);
CREATE INDEX merges_merged ON merges (merged_id);
