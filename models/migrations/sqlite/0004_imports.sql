-- Importing articles: outlets' feeds and the candidates they list, bulk import
-- jobs run from the browser, and a lookup of articles by their original address.

-- Imported articles store their address normalised (see importer.NormalizeURL),
-- so "was this page imported before?" is an index lookup.
CREATE INDEX articles_source_url ON articles (source_url) WHERE source_url <> '';

CREATE TABLE feeds (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL,
    outlet_id       INTEGER NOT NULL REFERENCES outlets (id),
    title           TEXT NOT NULL DEFAULT '',
    last_fetched_at TIMESTAMP,
    last_error      TEXT NOT NULL DEFAULT '',
    item_count      INTEGER NOT NULL DEFAULT 0,
    created_by_id   INTEGER REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX feeds_url ON feeds (url);

-- Items seen in feeds: candidates for editors to import or dismiss.
CREATE TABLE feed_items (
    id           INTEGER PRIMARY KEY,
    feed_id      INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMP,
    state        TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'imported', 'dismissed')),
    article_id   INTEGER REFERENCES articles (id),
    decided_by_id INTEGER REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX feed_items_url ON feed_items (feed_id, url);
CREATE INDEX feed_items_state ON feed_items (state, published_at DESC, id DESC);
CREATE INDEX feed_items_by_url ON feed_items (url);

-- Bulk imports started from the browser. The state lives here, not in the
-- process, so any instance can show a job's progress and report.
CREATE TABLE import_jobs (
    id            INTEGER PRIMARY KEY,
    file_name     TEXT NOT NULL,
    kind          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    state         TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    total         INTEGER NOT NULL DEFAULT 0,
    processed     INTEGER NOT NULL DEFAULT 0,
    imported      INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    rate          REAL NOT NULL DEFAULT 0,
    rejections    TEXT NOT NULL DEFAULT '[]',
    error         TEXT NOT NULL DEFAULT '',
    created_by_id INTEGER REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    started_at    TIMESTAMP,
    finished_at   TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX import_jobs_created ON import_jobs (created_at DESC, id DESC);
