-- Fact-checks: the site's rating scale, verdicts with their reviewed workflow,
-- published versions (corrections), and claim assignments.

-- The rating scale is data: labels in order, each with a colour, a written
-- definition and an optional numeric value. A label in use is retired, never deleted.
CREATE TABLE rating_labels (
    id          INTEGER PRIMARY KEY,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    colour      TEXT NOT NULL CHECK (colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    definition  TEXT NOT NULL,
    value       INTEGER,
    retired_at  TIMESTAMP,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX rating_labels_name ON rating_labels (lower(name));
CREATE INDEX rating_labels_position ON rating_labels (position, id);

-- The default scale: six levels from True to False, and Unproven outside the numbers.
INSERT INTO rating_labels (position, name, colour, definition, value, created_at, updated_at) VALUES
 (1, 'True', '#1b6e3a', 'The claim is accurate and nothing significant is missing.', 6, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
 (2, 'Mostly true', '#3f7a1d', 'The claim is accurate but needs clarification or additional information.', 5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
 (3, 'Half true', '#7a5c00', 'The claim is partially accurate but leaves out important details or takes things out of context.', 4, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
 (4, 'Misleading', '#9a4a00', 'The claim contains accurate elements arranged to give a false impression.', 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
 (5, 'Mostly false', '#a8321c', 'The claim contains an element of truth but ignores facts that would give a different impression.', 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
 (6, 'False', '#9b1c1c', 'The claim is not accurate.', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
 (7, 'Unproven', '#4b5563', 'The evidence available does not allow the claim to be proved or disproved.', NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- A verdict is one fact-check of a claim. Its working fields are the draft;
-- what readers see is its latest published version (verdict_versions).
-- lock_version guards against stale edits.
CREATE TABLE verdicts (
    id               INTEGER PRIMARY KEY,
    claim_id         INTEGER NOT NULL REFERENCES claims (id),
    state            TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'approved', 'published', 'withdrawn')),
    author_id        INTEGER NOT NULL REFERENCES users (id),
    reviewer_id      INTEGER REFERENCES users (id),
    rating_label_id  INTEGER NOT NULL REFERENCES rating_labels (id),
    conclusion       TEXT NOT NULL,
    explanation      TEXT NOT NULL,
    sources          TEXT NOT NULL DEFAULT '[]',
    lock_version     INTEGER NOT NULL DEFAULT 1,
    published_number INTEGER NOT NULL DEFAULT 0,
    return_comment   TEXT NOT NULL DEFAULT '',
    withdrawal_note  TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    published_at     TIMESTAMP,
    withdrawn_at     TIMESTAMP
);
-- One live fact-check per claim; a withdrawn one leaves room for a new one.
CREATE UNIQUE INDEX verdicts_one_per_claim ON verdicts (claim_id) WHERE state <> 'withdrawn';
CREATE INDEX verdicts_state ON verdicts (state, updated_at);
CREATE INDEX verdicts_author ON verdicts (author_id, state);
CREATE INDEX verdicts_published ON verdicts (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX verdicts_rating ON verdicts (rating_label_id);

-- Every publication of a verdict: version 1 is the first, later ones are
-- corrections with their public note. Nothing here is ever updated.
CREATE TABLE verdict_versions (
    id              INTEGER PRIMARY KEY,
    verdict_id      INTEGER NOT NULL REFERENCES verdicts (id),
    number          INTEGER NOT NULL,
    rating_label_id INTEGER NOT NULL REFERENCES rating_labels (id),
    conclusion      TEXT NOT NULL,
    explanation     TEXT NOT NULL,
    sources         TEXT NOT NULL DEFAULT '[]',
    correction_note TEXT NOT NULL DEFAULT '',
    author_id       INTEGER NOT NULL REFERENCES users (id),
    reviewer_id     INTEGER REFERENCES users (id),
    publisher_id    INTEGER NOT NULL REFERENCES users (id),
    published_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX verdict_versions_number ON verdict_versions (verdict_id, number);

-- The workflow's steps with their comments (a return always has one).
CREATE TABLE verdict_steps (
    id         INTEGER PRIMARY KEY,
    verdict_id INTEGER NOT NULL REFERENCES verdicts (id),
    actor_id   INTEGER NOT NULL REFERENCES users (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX verdict_steps_verdict ON verdict_steps (verdict_id, id);

-- Annotations on the passages a verdict relies on.
CREATE TABLE verdict_annotations (
    verdict_id    INTEGER NOT NULL REFERENCES verdicts (id),
    annotation_id INTEGER NOT NULL REFERENCES annotations (id),
    PRIMARY KEY (verdict_id, annotation_id)
);

-- Which fact-checker a claim is assigned to.
CREATE TABLE claim_assignments (
    claim_id       INTEGER PRIMARY KEY REFERENCES claims (id),
    assignee_id    INTEGER NOT NULL REFERENCES users (id),
    assigned_by_id INTEGER NOT NULL REFERENCES users (id),
    assigned_at    TIMESTAMP NOT NULL
);
CREATE INDEX claim_assignments_assignee ON claim_assignments (assignee_id);
