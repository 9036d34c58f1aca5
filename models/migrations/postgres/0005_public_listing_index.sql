-- The public listings (the home page) read published and retracted articles
-- newest first. A partial index with exactly that condition gives SQLite the
-- order directly, instead of sorting every public article. It replaces the
-- status-first index, which made the planner sort; outlet pages keep using
-- articles_outlet, already in date order per outlet.
DROP INDEX articles_listing;
CREATE INDEX articles_public_listing ON articles (published_at DESC, id DESC)
    WHERE deleted_at IS NULL AND status IN ('published', 'retracted');
