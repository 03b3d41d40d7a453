-- Ways to reach a person that are not a profile on a site (issue 8): e-mail addresses, phone
-- numbers, web pages, postal addresses and birthdays, as vCards, Google Contacts and LinkedIn's
-- Connections.csv carry them. `value` is as the source wrote it; `value_norm` is the form two
-- records are compared in (e-mail lower-cased, phone digits only with a leading + kept, URL
-- canonical), so the same address from two imports is one row, and issue 9's matching can find
-- people sharing one through the index. An 'import_key' is not shown: it is the id an import
-- gave the person (a vCard's UID, else a hash of the card), so the same file imported again
-- finds them even when the card has no e-mail address or profile URL.

CREATE TABLE contact_details (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL
                CHECK (kind IN ('email', 'phone', 'url', 'address', 'birthday', 'im',
                                'import_key')),
    value       TEXT NOT NULL,
    value_norm  TEXT NOT NULL,
    label       TEXT,               -- home, work, cell, … as the source named it
    source      TEXT NOT NULL,      -- vcard, google_csv, linkedin, manual, …
    created_at  TEXT NOT NULL,
    UNIQUE (contact_id, kind, value_norm)
);
CREATE INDEX contact_details_value ON contact_details (kind, value_norm);
