-- Accounts, sessions, outlets, articles with revisions, audit log, settings.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('reader', 'factchecker', 'editor', 'admin')),
    disabled_at   TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE outlets (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    slug       TEXT NOT NULL,
    home_url   TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX outlets_name ON outlets (name COLLATE NOCASE);
CREATE UNIQUE INDEX outlets_slug ON outlets (slug);

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    outlet_id       INTEGER NOT NULL REFERENCES outlets (id),
    title           TEXT NOT NULL,
    byline          TEXT NOT NULL DEFAULT '',
    source_url      TEXT NOT NULL DEFAULT '',
    published_at    TIMESTAMP,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retracted')),
    retraction_note TEXT NOT NULL DEFAULT '',
    body_format     TEXT NOT NULL CHECK (body_format IN ('markdown', 'html')),
    body_source     TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_by_id   INTEGER REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    deleted_at      TIMESTAMP,
    deleted_by_id   INTEGER REFERENCES users (id)
);
-- The home page and outlet pages list published articles newest first.
CREATE INDEX articles_listing ON articles (status, published_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX articles_outlet ON articles (outlet_id, published_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX articles_updated ON articles (updated_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX articles_deleted ON articles (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE article_revisions (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id),
    number          INTEGER NOT NULL,
    outlet_id       INTEGER NOT NULL REFERENCES outlets (id),
    title           TEXT NOT NULL,
    byline          TEXT NOT NULL DEFAULT '',
    source_url      TEXT NOT NULL DEFAULT '',
    published_at    TIMESTAMP,
    status          TEXT NOT NULL,
    retraction_note TEXT NOT NULL DEFAULT '',
    body_format     TEXT NOT NULL,
    body_source     TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    summary         TEXT NOT NULL DEFAULT '',
    author_id       INTEGER REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX article_revisions_number ON article_revisions (article_id, number);

CREATE TABLE audit_entries (
    id           INTEGER PRIMARY KEY,
    actor_id     INTEGER REFERENCES users (id),
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   INTEGER NOT NULL,
    before_value TEXT NOT NULL DEFAULT '',
    after_value  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX audit_entries_subject ON audit_entries (subject_type, subject_id, created_at);
CREATE INDEX audit_entries_created ON audit_entries (created_at DESC);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
