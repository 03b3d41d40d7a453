-- What the web view's Today page lists across every contact (companion/web/pages_today.py):
-- open promises, mine overdue first, and their questions waiting for an answer. Without these
-- each list sorted every open fact (a million facts: 1.5 s and 1.0 s at 10,000 contacts).
CREATE INDEX facts_open_promises ON facts (whose, due, stated_at, id)
    WHERE status = 'open' AND kind = 'promise';
CREATE INDEX facts_waiting_questions ON facts (stated_at, id)
    WHERE status = 'open' AND kind = 'question' AND whose = 'them';
-- the newest status change anywhere: part of the stamp of today's kept list (today_kept.py)
CREATE INDEX facts_status_at ON facts (status_at);
