-- Proposals of one person kept as two contacts (issue 9), and the user's "not the same person".
--
-- identity_proposals: one row per pair of contacts (a_id < b_id) that matching found likely to
-- be one person. `status`:
--   open      shown to the user; refresh updates its score and reasons, and deletes it once the
--             pair no longer matches (nothing was decided about it, so nothing is lost)
--   accepted  the user merged the two (the row goes with the merged contact, see below)
--   rejected  "not now": hidden; proposed again only when new evidence appears (a reason code the
--             pair did not have when it was rejected), and never merged automatically
--   not_same  "not the same person": never proposed again and never merged automatically, also
--             after either contact is merged with a third (identity_not_same below)
-- `reasons` is the JSON list of compare()'s reasons ({code, weight, en, ja}).

CREATE TABLE identity_proposals (
    -- AUTOINCREMENT: an undone merge puts moved rows back by id (services/merge.py); an id is
    -- never given to another proposal
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    a_id        INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    b_id        INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    score       REAL NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('same', 'likely')),
    reasons     TEXT NOT NULL DEFAULT '[]',
    status      TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'accepted', 'rejected', 'not_same')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    decided_at  TEXT,
    UNIQUE (a_id, b_id)
);
CREATE INDEX identity_proposals_status ON identity_proposals (status, score DESC, id);
CREATE INDEX identity_proposals_b ON identity_proposals (b_id);   -- the cascade from contacts

-- a_id < b_id, checked on insert. Not a CHECK constraint: services/merge.py moves every row
-- that references the merged contact to the kept one, and a moved pair may be the wrong way
-- round or one contact twice, so the move must not fail...
CREATE TRIGGER identity_proposals_ordered BEFORE INSERT ON identity_proposals
WHEN NEW.a_id >= NEW.b_id
BEGIN
    SELECT RAISE(ABORT, 'identity_proposals: a_id must be less than b_id');
END;

-- ...and a moved proposal is deleted at once, as the merged contact's delete would have
-- cascaded: it was about the two contacts as they were; the next refresh compares the merged
-- contact afresh, and "not the same person" lives on in identity_not_same below.
CREATE TRIGGER identity_proposals_moved AFTER UPDATE OF a_id, b_id ON identity_proposals
BEGIN
    DELETE FROM identity_proposals WHERE id = NEW.id;
END;

-- "Not the same person", remembered by what identifies each side rather than by the contacts'
-- rows alone: a merge moves profiles and e-mail addresses to the kept contact and deletes the
-- other row (with its proposals), so a decision keyed by contact ids alone would be forgotten.
-- Each side's anchors when the user decided: 'c:<contact id>', 'p:<canonical profile URL>' of
-- every profile on a site where a URL is one person's (identities are UNIQUE (platform, url),
-- so such a URL belongs to one contact at a time), 'e:<e-mail>' of every personal address
-- (shared mailboxes such as info@ left out). One row per pair of anchors, a_key < b_key; a pair
-- of contacts is "not the same" when one anchor of each side makes a row.
CREATE TABLE identity_not_same (
    a_key       TEXT NOT NULL,
    b_key       TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    PRIMARY KEY (a_key, b_key),
    CHECK (a_key < b_key)
) WITHOUT ROWID;
CREATE INDEX identity_not_same_b ON identity_not_same (b_key);

-- A merge (the merges table, migration 0017) makes the merged contact's 'c:' anchors the kept
-- one's, so a decision about a contact known by nothing else (no profile, no address) survives
-- the merge too; one the user merged anyway ("c:kept" with itself) is dropped.
CREATE TRIGGER merges_carry_not_same AFTER INSERT ON merges
BEGIN
    INSERT OR IGNORE INTO identity_not_same (a_key, b_key, decided_at)
        SELECT MIN(other_key, 'c:' || NEW.kept_id), MAX(other_key, 'c:' || NEW.kept_id),
               decided_at
        FROM (SELECT CASE WHEN a_key = 'c:' || NEW.merged_id THEN b_key ELSE a_key END
                         AS other_key, decided_at
              FROM identity_not_same
              WHERE a_key = 'c:' || NEW.merged_id OR b_key = 'c:' || NEW.merged_id)
        WHERE other_key <> 'c:' || NEW.kept_id;
    DELETE FROM identity_not_same
        WHERE a_key = 'c:' || NEW.merged_id OR b_key = 'c:' || NEW.merged_id;
END;

-- A new contact may be given the id of a deleted one (INTEGER PRIMARY KEY reuses the largest
-- id once its row is gone): it starts with no decision of a stranger's.
CREATE TRIGGER contacts_new_not_same AFTER INSERT ON contacts
BEGIN
    DELETE FROM identity_not_same WHERE a_key = 'c:' || NEW.id OR b_key = 'c:' || NEW.id;
END;
