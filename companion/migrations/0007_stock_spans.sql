-- Sentences said in the same words to many people (services/followup/common.py), refreshed by
-- the daily job refresh_stock: a draft computed in a fresh process reads them here instead of
-- grouping every fact again (about a second at a million facts).
CREATE TABLE stock_spans (
    span_text TEXT PRIMARY KEY,
    read_at TEXT NOT NULL            -- when refresh_stock found it (the same for one refresh)
) WITHOUT ROWID;
