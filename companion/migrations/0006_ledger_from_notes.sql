-- Ledger entries read from notes (services/followup/ledger_notes.py). Each entry now says where
-- it came from:
--   'user'     recorded by hand (POST /contacts/<id>/ledger), with or without a note_id;
--   'promise'  a kept commitment of either side (fact_id);
--   'note'     read from the note note_id: replaced when the note is read again, removed with it.
ALTER TABLE ledger ADD COLUMN source TEXT NOT NULL DEFAULT 'user'
    CHECK (source IN ('user', 'promise', 'note'));
UPDATE ledger SET source = 'promise' WHERE fact_id IS NOT NULL;

-- A note entry the user deleted, or replaced by one of their own for the same note, flow and
-- kind: kept out of the ledger's answers, so that reading the note again does not bring it back.
ALTER TABLE ledger ADD COLUMN hidden_at TEXT;

-- Reading the same note again adds nothing: one entry per note, flow and sentence.
CREATE UNIQUE INDEX ledger_note_sentence ON ledger (note_id, flow, text) WHERE source = 'note';

-- Deleting a note removes what was read from it; entries the user recorded by hand for it stay
-- (their note_id becomes NULL, as before).
CREATE TRIGGER ledger_note_deleted BEFORE DELETE ON notes
BEGIN
    DELETE FROM ledger WHERE note_id = OLD.id AND source = 'note';
END;
