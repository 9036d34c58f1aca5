-- Annotations on article passages, their anchors per revision, edit history,
-- flags, moderation log and per-user API tokens.

CREATE TABLE annotations (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id),
    parent_id       INTEGER REFERENCES annotations (id),
    author_id       INTEGER NOT NULL REFERENCES users (id),
    motivation      TEXT NOT NULL CHECK (motivation IN ('commenting', 'assessing', 'questioning', 'linking', 'highlighting', 'tagging', 'replying')),
    body_source     TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',
    tags            TEXT NOT NULL DEFAULT '',
    evidence        TEXT NOT NULL DEFAULT '[]',
    visibility      TEXT NOT NULL CHECK (visibility IN ('public', 'staff', 'private')),
    replies_open    INTEGER NOT NULL DEFAULT 1,
    -- The selection as the annotator made it, against revision made_on_revision.
    -- has_passage = 0 for page notes and replies.
    has_passage      INTEGER NOT NULL DEFAULT 0,
    quote_exact      TEXT NOT NULL DEFAULT '',
    quote_prefix     TEXT NOT NULL DEFAULT '',
    quote_suffix     TEXT NOT NULL DEFAULT '',
    position_start   INTEGER NOT NULL DEFAULT 0,
    position_end     INTEGER NOT NULL DEFAULT 0,
    made_on_revision INTEGER NOT NULL,
    -- Where the passage is in the article's current revision.
    anchor_revision    INTEGER NOT NULL,
    anchor_status      TEXT NOT NULL DEFAULT 'page' CHECK (anchor_status IN ('page', 'exact', 'moved', 'fuzzy', 'orphan', 'confirmed')),
    anchor_start       INTEGER NOT NULL DEFAULT 0,
    anchor_end         INTEGER NOT NULL DEFAULT 0,
    anchor_score       REAL NOT NULL DEFAULT 1,
    needs_confirmation INTEGER NOT NULL DEFAULT 0,
    moderation      TEXT NOT NULL DEFAULT 'visible' CHECK (moderation IN ('visible', 'hidden')),
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    deleted_at      TIMESTAMP
);
CREATE INDEX annotations_article ON annotations (article_id, parent_id, anchor_start);
CREATE INDEX annotations_author ON annotations (author_id, created_at);
CREATE INDEX annotations_parent ON annotations (parent_id) WHERE parent_id IS NOT NULL;

-- The outcome of resolving each passage in each revision, kept for the record.
CREATE TABLE annotation_anchors (
    annotation_id      INTEGER NOT NULL REFERENCES annotations (id),
    revision_number    INTEGER NOT NULL,
    status             TEXT NOT NULL,
    start_pos          INTEGER NOT NULL,
    end_pos            INTEGER NOT NULL,
    score              REAL NOT NULL,
    needs_confirmation INTEGER NOT NULL DEFAULT 0,
    created_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (annotation_id, revision_number)
);

-- Every saved version of an annotation's content.
CREATE TABLE annotation_edits (
    id            INTEGER PRIMARY KEY,
    annotation_id INTEGER NOT NULL REFERENCES annotations (id),
    version       INTEGER NOT NULL,
    motivation    TEXT NOT NULL,
    body_source   TEXT NOT NULL,
    tags          TEXT NOT NULL DEFAULT '',
    evidence      TEXT NOT NULL DEFAULT '[]',
    visibility    TEXT NOT NULL,
    replies_open  INTEGER NOT NULL,
    editor_id     INTEGER REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX annotation_edits_version ON annotation_edits (annotation_id, version);

CREATE TABLE flags (
    id             INTEGER PRIMARY KEY,
    annotation_id  INTEGER NOT NULL REFERENCES annotations (id),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    reason         TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    resolved_at    TIMESTAMP,
    resolved_by_id INTEGER REFERENCES users (id)
);
CREATE INDEX flags_open ON flags (resolved_at, created_at);
CREATE UNIQUE INDEX flags_once ON flags (annotation_id, user_id) WHERE resolved_at IS NULL;

CREATE TABLE moderation_log (
    id            INTEGER PRIMARY KEY,
    annotation_id INTEGER NOT NULL REFERENCES annotations (id),
    moderator_id  INTEGER NOT NULL REFERENCES users (id),
    action        TEXT NOT NULL CHECK (action IN ('hide', 'restore')),
    reason        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX moderation_log_annotation ON moderation_log (annotation_id, created_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
