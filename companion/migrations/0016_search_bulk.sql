-- Bulk writes (issue 8): an import of 30,000 people spent 90 % of its time in the triggers of
-- migration 0010, which rebuild and fold a contact's search text in SQL on every insert of the
-- contact, its identity, its tags and its notes (twice or more per new person). Inside one write
-- transaction a bulk writer may switch the triggers to only note which contacts changed
-- (contacts_search_deferred); services/search.py `deferred()` then rebuilds those contacts' text
-- once, folded in Python with the same table (a test checks both fold alike), and switches back
-- before the transaction commits. The switch is a row written in the same transaction, so no
-- other connection ever sees it on, and a rollback takes it back with everything else.
-- Every other writer is unchanged: with the switch off, each trigger does what 0010's did.
-- (A deleted contact's row and a renamed tag are rare and still handled at once.) The noting
-- uses NOT EXISTS, not INSERT OR IGNORE: an outer statement's conflict clause (the identity
-- upsert's ON CONFLICT) overrides a trigger's OR IGNORE (https://www.sqlite.org/lang_createtrigger.html).

CREATE TABLE contacts_search_mode (deferred INTEGER NOT NULL CHECK (deferred IN (0, 1)));
INSERT INTO contacts_search_mode VALUES (0);
CREATE TABLE contacts_search_deferred (id INTEGER PRIMARY KEY);

DROP TRIGGER contacts_search_contact_added;
DROP TRIGGER contacts_search_contact_changed;
DROP TRIGGER contacts_search_identity_added;
DROP TRIGGER contacts_search_identity_changed;
DROP TRIGGER contacts_search_identity_deleted;
DROP TRIGGER contacts_search_note_added;
DROP TRIGGER contacts_search_note_changed;
DROP TRIGGER contacts_search_note_deleted;
DROP TRIGGER contacts_search_tag_linked;
DROP TRIGGER contacts_search_tag_relinked;
DROP TRIGGER contacts_search_tag_unlinked;
CREATE TRIGGER contacts_search_contact_added
    AFTER INSERT ON contacts
BEGIN
    DELETE FROM contacts_fts WHERE rowid = NEW.id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT NEW.id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = NEW.id);
END;
CREATE TRIGGER contacts_search_contact_changed
    AFTER UPDATE OF display_name, family_name, given_name, reading,
    organisation, headline, title, location ON contacts
BEGIN
    DELETE FROM contacts_fts WHERE rowid = NEW.id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT NEW.id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = NEW.id);
END;
CREATE TRIGGER contacts_search_identity_added
    AFTER INSERT ON identities
BEGIN
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT NEW.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = NEW.contact_id);
END;
CREATE TRIGGER contacts_search_identity_changed
    AFTER UPDATE OF contact_id, handle, display_name
    ON identities
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT OLD.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = OLD.contact_id);
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT NEW.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = NEW.contact_id);
END;
CREATE TRIGGER contacts_search_identity_deleted
    AFTER DELETE ON identities
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT OLD.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = OLD.contact_id);
END;
CREATE TRIGGER contacts_search_note_added
    AFTER INSERT ON notes
BEGIN
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT NEW.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = NEW.contact_id);
END;
CREATE TRIGGER contacts_search_note_changed
    AFTER UPDATE OF contact_id, body ON notes
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT OLD.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = OLD.contact_id);
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT NEW.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = NEW.contact_id);
END;
CREATE TRIGGER contacts_search_note_deleted
    AFTER DELETE ON notes
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT OLD.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = OLD.contact_id);
END;
CREATE TRIGGER contacts_search_tag_linked
    AFTER INSERT ON contact_tags
BEGIN
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT NEW.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = NEW.contact_id);
END;
CREATE TRIGGER contacts_search_tag_relinked
    AFTER UPDATE ON contact_tags
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT OLD.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = OLD.contact_id);
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT NEW.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = NEW.contact_id);
END;
CREATE TRIGGER contacts_search_tag_unlinked
    AFTER DELETE ON contact_tags
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id
        AND (SELECT deferred FROM contacts_search_mode) = 0;
    INSERT INTO contacts_search_deferred (id)
        SELECT OLD.contact_id WHERE (SELECT deferred FROM contacts_search_mode) = 1
        AND NOT EXISTS (SELECT 1 FROM contacts_search_deferred WHERE id = OLD.contact_id);
END;
