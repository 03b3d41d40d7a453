-- The follow-up engine's state (issue 6): facts with their sources, the relationship with each
-- contact, a give-and-take ledger, and what the user did with each suggestion.

-- What a message, a note or successive captures state. Each fact rests on exactly one source:
-- a message (interaction_id), a note (note_id), or a change between two captures (capture_id
-- of the newer one). The span is character offsets into that source's text.
CREATE TABLE facts (
    id                INTEGER PRIMARY KEY,
    contact_id        INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    interaction_id    INTEGER REFERENCES interactions (id) ON DELETE CASCADE,
    note_id           INTEGER REFERENCES notes (id) ON DELETE CASCADE,
    capture_id        INTEGER REFERENCES captures (id) ON DELETE SET NULL,
    -- 'interaction:<id>', 'note:<id>' or 'capture:<id>': one NOT NULL key for the UNIQUE below
    -- (SQLite treats NULLs as distinct in a UNIQUE constraint)
    source            TEXT NOT NULL,
    kind              TEXT NOT NULL
                      CHECK (kind IN ('promise', 'question', 'event', 'change', 'interest')),
    whose             TEXT NOT NULL CHECK (whose IN ('me', 'them')),
    label             TEXT NOT NULL DEFAULT '',  -- commitment / proposal / new_job / title / ...
    lang              TEXT,            -- ja / en
    span_start        INTEGER NOT NULL DEFAULT -1,  -- -1: no span (a change between captures)
    span_end          INTEGER,
    span_text         TEXT,
    due               TEXT,            -- ISO date: promises and questions
    event_date        TEXT,            -- ISO date: events
    detail            TEXT NOT NULL DEFAULT '{}',  -- JSON: terms; field/old/new for a change
    status            TEXT NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'kept', 'answered', 'done', 'dismissed')),
    status_at         TEXT,
    status_source     TEXT,            -- 'user', or 'interaction:<id>' that kept/answered it
    stated_at         TEXT NOT NULL,   -- when the source said it (message time, capture time)
    created_at        TEXT NOT NULL,
    -- analysing the same source again finds the same facts: nothing is duplicated
    UNIQUE (source, kind, span_start, label)
);
CREATE INDEX facts_contact ON facts (contact_id, status, kind);
CREATE INDEX facts_open_due ON facts (status, due);
CREATE INDEX facts_interaction ON facts (interaction_id);

-- The relationship, as the user sees it. tier_source: 'proposed' (from the interaction
-- pattern) until the user picks one ('user'), after which it is never changed for them.
ALTER TABLE contacts ADD COLUMN tier TEXT
    CHECK (tier IS NULL OR tier IN ('inner', 'close', 'active', 'wide', 'dormant'));
ALTER TABLE contacts ADD COLUMN tier_source TEXT
    CHECK (tier_source IS NULL OR tier_source IN ('proposed', 'user'));
ALTER TABLE contacts ADD COLUMN purpose TEXT;     -- why this relationship matters to me
ALTER TABLE contacts ADD COLUMN offer TEXT;       -- what I can offer them
ALTER TABLE contacts ADD COLUMN last_two_way_at TEXT;  -- last exchange that got an answer

-- Give and take: help, introductions, information given or received.
CREATE TABLE ledger (
    id            INTEGER PRIMARY KEY,
    contact_id    INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    flow          TEXT NOT NULL CHECK (flow IN ('given', 'received')),
    kind          TEXT NOT NULL CHECK (kind IN ('help', 'introduction', 'information', 'other')),
    text          TEXT,
    fact_id       INTEGER REFERENCES facts (id) ON DELETE SET NULL,
    note_id       INTEGER REFERENCES notes (id) ON DELETE SET NULL,
    occurred_at   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX ledger_contact ON ledger (contact_id, occurred_at);

-- What the user did with a suggestion. A suggestion's key is stable across recomputation
-- (e.g. 'promise:<fact id>', 'cadence:<contact id>:<due date>'), so done / snooze / dismiss
-- outlive the ranking that produced it.
CREATE TABLE suggestion_actions (
    suggestion_key  TEXT PRIMARY KEY,
    contact_id      INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    reason          TEXT NOT NULL,     -- the suggestion's why-now kind, for learning per contact
    action          TEXT NOT NULL CHECK (action IN ('done', 'snoozed', 'dismissed')),
    until           TEXT,              -- snoozed until (ISO date)
    acted_at        TEXT NOT NULL
);
CREATE INDEX suggestion_actions_contact ON suggestion_actions (contact_id, action, reason);
