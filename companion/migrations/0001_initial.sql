-- Contacts, their identities on each site, what was said, what was captured, notes and tags.
-- Times are ISO 8601 UTC text (companion.db.utc_now). Deleting a contact removes everything
-- derived from that person (ON DELETE CASCADE).

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    display_name  TEXT NOT NULL,
    family_name   TEXT,
    given_name    TEXT,
    reading       TEXT,            -- furigana / phonetic name
    sort_key      TEXT NOT NULL,   -- reading or name, case-folded: the order of the contact list
    headline      TEXT,
    organisation  TEXT,
    title         TEXT,
    location      TEXT,
    bio           TEXT,
    avatar_url    TEXT,
    locked_fields TEXT NOT NULL DEFAULT '[]',  -- JSON list of fields the user edited by hand
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX contacts_sort ON contacts (sort_key, id);

CREATE TABLE identities (
    id            INTEGER PRIMARY KEY,
    contact_id    INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    platform      TEXT NOT NULL,   -- linkedin, x, github, mastodon, bluesky, ..., web
    url           TEXT NOT NULL,   -- canonical profile URL (companion.urls)
    handle        TEXT,
    display_name  TEXT,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    UNIQUE (platform, url)
);
CREATE INDEX identities_contact ON identities (contact_id);
CREATE INDEX identities_handle ON identities (platform, handle);

CREATE TABLE captures (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL,
    canonical_url   TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('profile', 'thread', 'auto')),
    title           TEXT,
    html_zlib       BLOB NOT NULL,   -- the raw capture, zlib-compressed, kept for reparse
    html_sha256     TEXT NOT NULL,
    html_chars      INTEGER NOT NULL,
    captured_at     TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    adapter_id      TEXT,
    adapter_version TEXT,
    status          TEXT NOT NULL
                    CHECK (status IN ('received', 'parsed', 'needs_attention', 'failed')),
    error           TEXT,
    warnings        TEXT NOT NULL DEFAULT '[]',  -- JSON list
    contact_id      INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    UNIQUE (url, html_sha256)
);
CREATE INDEX captures_contact ON captures (contact_id);
CREATE INDEX captures_status ON captures (status);

CREATE TABLE interactions (
    id           INTEGER PRIMARY KEY,
    contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    platform     TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'message'
                 CHECK (kind IN ('message', 'meeting', 'call', 'event', 'email', 'other')),
    direction    TEXT NOT NULL CHECK (direction IN ('in', 'out', 'both')),
    occurred_at  TEXT NOT NULL,
    text         TEXT,
    thread_key   TEXT,
    external_id  TEXT,              -- the site's message id, or a stable hash; NULL when manual
    capture_id   INTEGER REFERENCES captures (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (platform, external_id)
);
CREATE INDEX interactions_contact_time ON interactions (contact_id, occurred_at DESC);
CREATE INDEX interactions_thread ON interactions (platform, thread_key);

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX notes_contact ON notes (contact_id);

CREATE TABLE tags (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE contact_tags (
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags (tag_id);
