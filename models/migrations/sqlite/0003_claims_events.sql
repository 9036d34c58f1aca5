-- Entities, claims, events, their anchored mentions in articles, tags and timelines.

CREATE TABLE entities (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'organisation', 'place')),
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX entities_slug ON entities (slug);
CREATE INDEX entities_kind_name ON entities (kind, name);

-- Other spellings and scripts; alias_key is the case-folded form used to match.
CREATE TABLE entity_aliases (
    id        INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    alias_key TEXT NOT NULL
);
CREATE UNIQUE INDEX entity_aliases_once ON entity_aliases (entity_id, alias_key);
CREATE INDEX entity_aliases_key ON entity_aliases (alias_key);

-- A role an entity held over a date range ("foreign minister", 2023-2025).
CREATE TABLE entity_roles (
    id         INTEGER PRIMARY KEY,
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    starts_on  TEXT NOT NULL DEFAULT '',
    ends_on    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX entity_roles_entity ON entity_roles (entity_id);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL
);
CREATE UNIQUE INDEX tags_slug ON tags (slug);

-- Dates are kept as ISO text whose length is their precision ("2025",
-- "2025-03", "2025-03-14", "2025-03-14T09:30:00Z"), with a timestamp to sort on.
CREATE TABLE claims (
    id           INTEGER PRIMARY KEY,
    claimant_id  INTEGER REFERENCES entities (id),
    said_on      TEXT NOT NULL DEFAULT '',
    said_sort    TIMESTAMP,
    restatement  TEXT NOT NULL,
    stance       TEXT NOT NULL CHECK (stance IN ('asserts', 'denies', 'rumour')),
    created_by_id INTEGER REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX claims_claimant ON claims (claimant_id, said_sort);
CREATE INDEX claims_said ON claims (said_sort);

CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    starts_on     TEXT NOT NULL,
    starts_sort   TIMESTAMP NOT NULL,
    ends_on       TEXT NOT NULL DEFAULT '',
    ends_sort     TIMESTAMP,
    status        TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled', 'postponed', 'denied', 'rumoured')),
    place_id      INTEGER REFERENCES entities (id),
    created_by_id INTEGER REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX events_starts ON events (starts_sort);
CREATE INDEX events_place ON events (place_id, starts_sort);
CREATE INDEX events_status ON events (status, starts_sort);

CREATE TABLE event_participants (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities (id),
    PRIMARY KEY (event_id, entity_id)
);
CREATE INDEX event_participants_entity ON event_participants (entity_id);

CREATE TABLE claim_tags (
    claim_id INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (claim_id, tag_id)
);
CREATE INDEX claim_tags_tag ON claim_tags (tag_id);

CREATE TABLE event_tags (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (event_id, tag_id)
);
CREATE INDEX event_tags_tag ON event_tags (tag_id);

-- A passage of an article that reports a claim or an event, anchored like an
-- annotation and resolved again in every revision.
CREATE TABLE mentions (
    id                 INTEGER PRIMARY KEY,
    article_id         INTEGER NOT NULL REFERENCES articles (id),
    claim_id           INTEGER REFERENCES claims (id),
    event_id           INTEGER REFERENCES events (id),
    has_passage        INTEGER NOT NULL DEFAULT 1,
    quote_exact        TEXT NOT NULL,
    quote_prefix       TEXT NOT NULL DEFAULT '',
    quote_suffix       TEXT NOT NULL DEFAULT '',
    position_start     INTEGER NOT NULL,
    position_end       INTEGER NOT NULL,
    made_on_revision   INTEGER NOT NULL,
    anchor_revision    INTEGER NOT NULL,
    anchor_status      TEXT NOT NULL CHECK (anchor_status IN ('exact', 'moved', 'fuzzy', 'orphan', 'confirmed')),
    anchor_start       INTEGER NOT NULL,
    anchor_end         INTEGER NOT NULL,
    anchor_score       REAL NOT NULL DEFAULT 1,
    needs_confirmation INTEGER NOT NULL DEFAULT 0,
    created_by_id      INTEGER REFERENCES users (id),
    created_at         TIMESTAMP NOT NULL,
    CHECK ((claim_id IS NULL) <> (event_id IS NULL))
);
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX mentions_claim ON mentions (claim_id) WHERE claim_id IS NOT NULL;
CREATE INDEX mentions_event ON mentions (event_id) WHERE event_id IS NOT NULL;

CREATE TABLE timelines (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    rule_kind   TEXT NOT NULL DEFAULT 'manual' CHECK (rule_kind IN ('manual', 'tag', 'entity')),
    rule_value  TEXT NOT NULL DEFAULT '',
    created_by_id INTEGER REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX timelines_slug ON timelines (slug);

CREATE TABLE timeline_entries (
    id          INTEGER PRIMARY KEY,
    timeline_id INTEGER NOT NULL REFERENCES timelines (id) ON DELETE CASCADE,
    claim_id    INTEGER REFERENCES claims (id),
    event_id    INTEGER REFERENCES events (id),
    CHECK ((claim_id IS NULL) <> (event_id IS NULL))
);
CREATE UNIQUE INDEX timeline_entries_claim ON timeline_entries (timeline_id, claim_id) WHERE claim_id IS NOT NULL;
CREATE UNIQUE INDEX timeline_entries_event ON timeline_entries (timeline_id, event_id) WHERE event_id IS NOT NULL;

-- Suggestions an editor dismissed, so they are not offered again for that article.
CREATE TABLE suggestion_dismissals (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    key        TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, key)
);
