-- The capture time as the extension sent it, with the user's UTC offset: adapters resolve
-- "yesterday" and "10:42" in the user's own time zone, and goen reparse needs the same.
ALTER TABLE captures ADD COLUMN captured_at_local TEXT;

-- When the fields a capture wrote on the contact were captured: an older capture read later
-- (goen reparse, an import of old data) fills gaps but never overwrites what a newer one said.
ALTER TABLE contacts ADD COLUMN fields_captured_at TEXT;
