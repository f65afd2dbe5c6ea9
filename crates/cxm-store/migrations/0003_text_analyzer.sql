-- Which analyzer build wrote each text analysis (`cxm_text::analyzer_id`:
-- the crate version and a hash of its bundled models and tables). A row from
-- another build is stale: after an upgrade the stored texts are re-analysed.
-- Rows from before this column existed carry '' and are stale too.
ALTER TABLE text_analyses ADD COLUMN analyzer TEXT NOT NULL DEFAULT '';
