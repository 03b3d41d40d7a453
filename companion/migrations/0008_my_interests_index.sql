-- IF NOT EXISTS: databases made while this index was still part of 0005 have it already.
-- The user's own interest statements (services/followup/shared.py): a few among a million
-- facts, read newest first for every draft computation.
CREATE INDEX IF NOT EXISTS facts_my_interests ON facts (id) WHERE kind = 'interest' AND whose = 'me';
