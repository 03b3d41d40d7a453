-- Events and communities (issue 7): 勉強会, 交流会, conferences, and who the user met there; and
-- links between two contacts that no other table holds (services/network.py).

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'other'
                CHECK (kind IN ('study_group', 'meetup', 'conference', 'party', 'seminar',
                                'hackathon', 'other')),
    starts_on   TEXT,                -- ISO date (YYYY-MM-DD); NULL when unknown
    place       TEXT,
    url         TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX events_starts_on ON events (starts_on DESC, id DESC);

-- Who the user met at an event; note: what was said there ("talked about Rust in logistics").
CREATE TABLE event_people (
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    note        TEXT,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (event_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX event_people_contact ON event_people (contact_id, event_id);

-- Two contacts who know each other, where nothing else says so: a mutual connection a site
-- showed, or an introduction (a introduced b to the user). Captures keep no mutual connections
-- (no adapter reads them), so this is their place. Stored once per pair and kind with a < b;
-- for introduced_by, introducer says which of the two made the introduction.
-- source: 'user' (entered by hand), 'import', 'capture', 'generated' (bench/gen_network.py).
CREATE TABLE contact_links (
    a           INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    b           INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('introduced_by', 'mutual')),
    introducer  INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    source      TEXT NOT NULL DEFAULT 'user'
                CHECK (source IN ('user', 'import', 'capture', 'generated')),
    created_at  TEXT NOT NULL,
    CHECK (a < b),
    PRIMARY KEY (a, b, kind)
) WITHOUT ROWID;
CREATE INDEX contact_links_b ON contact_links (b);
