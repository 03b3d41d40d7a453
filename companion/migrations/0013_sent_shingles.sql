-- The shingles of the user's sent messages (services/followup/guard_shingles.py), kept so that a
-- fresh process builds its near-duplicate index from them instead of masking and hashing ten
-- thousand messages again (~0.4 s at 10,000 contacts, bench/bench_followup.py). A row is used
-- only while its key still matches the message's text and the recipient's names.
CREATE TABLE sent_shingles (
    interaction_id INTEGER PRIMARY KEY REFERENCES interactions (id) ON DELETE CASCADE,
    text_key INTEGER NOT NULL,       -- CRC-32 of the text and the names masked in it
    hashes BLOB NOT NULL             -- the shingles' CRC-32 hashes, uint32 little-endian
);
