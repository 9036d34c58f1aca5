-- Full-text search over articles, claims, events, entities and annotations.
--
-- One FTS5 index, search_index, holds every kind, so one ranking (bm25) with
-- the same word statistics covers them all. Its rowid says what a row is:
-- an article's id for articles, and a negative number for everything else
-- (claims -(2^32 + id), events -(2·2^32 + id), entities -(3·2^32 + id),
-- annotations -(4·2^32 + id)).
--
-- search_docs has a row per searchable thing: for articles only the few
-- columns search filters on (copied so that checking a match never reads the
-- article's long row), for the other kinds also the text that is indexed
-- (a claim's text gathers its restatement and the quotes that report it).
-- The index is "external content" over the view search_content, which reads
-- articles' text from articles and the rest from search_docs, so article
-- bodies are stored once.
--
-- Triggers keep both in step inside the transaction of every write, so no
-- code path can forget them; they live here, in a migration, so that no later
-- schema change drops them unnoticed. `web reindex` rebuilds everything.

-- While search_state.paused is 1 the triggers leave search_index alone:
-- `web reindex` sets it inside its own transaction while it rebuilds the
-- index from scratch, and clears it before committing.
CREATE TABLE search_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    paused INTEGER NOT NULL DEFAULT 0
);
INSERT INTO search_state (id, paused) VALUES (1, 0);

CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY, -- the row's rowid in search_index
    kind       TEXT NOT NULL CHECK (kind IN ('article', 'claim', 'event', 'entity', 'annotation')),
    ref_id     INTEGER NOT NULL,    -- the id in the kind's own table
    -- The indexed text of kinds other than articles (articles' is in articles).
    title      TEXT NOT NULL DEFAULT '',
    names      TEXT NOT NULL DEFAULT '', -- entities' aliases, annotations' tags
    body       TEXT NOT NULL DEFAULT '',
    -- The date results are shown with and filtered on, and ties broken by.
    sort_at    TIMESTAMP,
    date_text  TEXT NOT NULL DEFAULT '', -- claims' and events' dates as ISO text of their precision
    -- Who may see it: an article's status, an annotation's visibility.
    status     TEXT NOT NULL DEFAULT '',
    deleted    INTEGER NOT NULL DEFAULT 0,
    hidden     INTEGER NOT NULL DEFAULT 0, -- an annotation hidden by a moderator
    owner_id   INTEGER,                    -- an annotation's author
    article_id INTEGER,                    -- an annotation's article
    outlet_id  INTEGER                     -- an article's outlet
);

CREATE VIEW search_content (rid, title, names, body) AS
    SELECT id, title, byline, body_text FROM articles
    UNION ALL
    SELECT id, title, names, body FROM search_docs WHERE id < 0;

-- unicode61 with remove_diacritics 2 folds case and accents ("Zürich" is found
-- by "zurich"); the prefix indexes make 2- and 3-letter prefixes (word*) cheap.
CREATE VIRTUAL TABLE search_index USING fts5 (
    title, names, body,
    content = 'search_content',
    content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- Quotes reporting a claim or event count as its text only while the article
-- they come from is public: a draft's or a deleted article's words must not be
-- findable, or shown in a snippet, through the claim.
CREATE VIEW search_public_mentions AS
    SELECT m.claim_id, m.event_id, m.quote_exact
    FROM mentions m JOIN search_docs a ON a.id = m.article_id
    WHERE a.kind = 'article' AND a.deleted = 0 AND a.status IN ('published', 'retracted');

-- What is there already.
INSERT INTO search_docs (id, kind, ref_id, sort_at, status, deleted, outlet_id)
    SELECT id, 'article', id, COALESCE(published_at, created_at), status, deleted_at IS NOT NULL, outlet_id FROM articles;
INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
    SELECT -4294967296 - c.id, 'claim', c.id, c.restatement,
        COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.claim_id = c.id), ''),
        COALESCE(c.said_sort, c.created_at), c.said_on
    FROM claims c;
INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
    SELECT -8589934592 - e.id, 'event', e.id, e.title,
        COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.event_id = e.id), ''),
        e.starts_sort, e.starts_on
    FROM events e;
INSERT INTO search_docs (id, kind, ref_id, title, names, body, sort_at)
    SELECT -12884901888 - e.id, 'entity', e.id, e.name,
        COALESCE((SELECT group_concat(a.alias, ' · ') FROM entity_aliases a WHERE a.entity_id = e.id), ''),
        e.description, e.created_at
    FROM entities e;
INSERT INTO search_docs (id, kind, ref_id, names, body, sort_at, status, deleted, hidden, owner_id, article_id)
    SELECT -17179869184 - n.id, 'annotation', n.id, n.tags, n.body_source, n.created_at,
        n.visibility, n.deleted_at IS NOT NULL, n.moderation = 'hidden', n.author_id, n.article_id
    FROM annotations n;
INSERT INTO search_index (search_index) VALUES ('rebuild');

-- search_docs → search_index, for every kind but articles.
CREATE TRIGGER search_docs_index_ai AFTER INSERT ON search_docs
WHEN new.id < 0 AND (SELECT paused FROM search_state) = 0 BEGIN
    INSERT INTO search_index (rowid, title, names, body) VALUES (new.id, new.title, new.names, new.body);
END;
CREATE TRIGGER search_docs_index_au AFTER UPDATE OF title, names, body ON search_docs
WHEN old.id < 0 AND (old.title IS NOT new.title OR old.names IS NOT new.names OR old.body IS NOT new.body)
    AND (SELECT paused FROM search_state) = 0 BEGIN
    INSERT INTO search_index (search_index, rowid, title, names, body) VALUES ('delete', old.id, old.title, old.names, old.body);
    INSERT INTO search_index (rowid, title, names, body) VALUES (new.id, new.title, new.names, new.body);
END;
CREATE TRIGGER search_docs_index_ad AFTER DELETE ON search_docs
WHEN old.id < 0 AND (SELECT paused FROM search_state) = 0 BEGIN
    INSERT INTO search_index (search_index, rowid, title, names, body) VALUES ('delete', old.id, old.title, old.names, old.body);
END;

-- Articles: their text goes straight into the index; their status, outlet and
-- dates into search_docs.
CREATE TRIGGER search_articles_index_ai AFTER INSERT ON articles
WHEN (SELECT paused FROM search_state) = 0 BEGIN
    INSERT INTO search_index (rowid, title, names, body) VALUES (new.id, new.title, new.byline, new.body_text);
END;
CREATE TRIGGER search_articles_index_au AFTER UPDATE OF title, byline, body_text ON articles
WHEN (old.title IS NOT new.title OR old.byline IS NOT new.byline OR old.body_text IS NOT new.body_text)
    AND (SELECT paused FROM search_state) = 0 BEGIN
    INSERT INTO search_index (search_index, rowid, title, names, body) VALUES ('delete', old.id, old.title, old.byline, old.body_text);
    INSERT INTO search_index (rowid, title, names, body) VALUES (new.id, new.title, new.byline, new.body_text);
END;
CREATE TRIGGER search_articles_index_ad AFTER DELETE ON articles
WHEN (SELECT paused FROM search_state) = 0 BEGIN
    INSERT INTO search_index (search_index, rowid, title, names, body) VALUES ('delete', old.id, old.title, old.byline, old.body_text);
END;
CREATE TRIGGER search_articles_docs_ai AFTER INSERT ON articles BEGIN
    INSERT INTO search_docs (id, kind, ref_id, sort_at, status, deleted, outlet_id)
    VALUES (new.id, 'article', new.id, COALESCE(new.published_at, new.created_at), new.status, new.deleted_at IS NOT NULL, new.outlet_id);
END;
CREATE TRIGGER search_articles_docs_au AFTER UPDATE OF status, deleted_at, published_at, created_at, outlet_id ON articles BEGIN
    UPDATE search_docs SET sort_at = COALESCE(new.published_at, new.created_at), status = new.status,
        deleted = new.deleted_at IS NOT NULL, outlet_id = new.outlet_id
    WHERE id = new.id;
    -- Publishing, unpublishing, deleting or restoring an article adds or
    -- removes its quotes from the text of the claims and events it reports.
    UPDATE search_docs
    SET body = COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.claim_id = search_docs.ref_id), '')
    WHERE (old.status IN ('published', 'retracted') AND old.deleted_at IS NULL) IS NOT (new.status IN ('published', 'retracted') AND new.deleted_at IS NULL)
        AND id IN (SELECT -4294967296 - claim_id FROM mentions WHERE article_id = new.id AND claim_id IS NOT NULL);
    UPDATE search_docs
    SET body = COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.event_id = search_docs.ref_id), '')
    WHERE (old.status IN ('published', 'retracted') AND old.deleted_at IS NULL) IS NOT (new.status IN ('published', 'retracted') AND new.deleted_at IS NULL)
        AND id IN (SELECT -8589934592 - event_id FROM mentions WHERE article_id = new.id AND event_id IS NOT NULL);
END;
CREATE TRIGGER search_articles_docs_ad AFTER DELETE ON articles BEGIN
    DELETE FROM search_docs WHERE id = old.id;
END;

-- Claims: the restatement, and the quotes that report them.
CREATE TRIGGER search_claims_ai AFTER INSERT ON claims BEGIN
    INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
    VALUES (-4294967296 - new.id, 'claim', new.id, new.restatement,
        COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.claim_id = new.id), ''),
        COALESCE(new.said_sort, new.created_at), new.said_on);
END;
CREATE TRIGGER search_claims_au AFTER UPDATE OF restatement, said_on, said_sort, created_at ON claims BEGIN
    UPDATE search_docs SET title = new.restatement, sort_at = COALESCE(new.said_sort, new.created_at), date_text = new.said_on
    WHERE id = -4294967296 - new.id;
END;
CREATE TRIGGER search_claims_ad AFTER DELETE ON claims BEGIN
    DELETE FROM search_docs WHERE id = -4294967296 - old.id;
END;

-- Events: the title, and the quotes that report them.
CREATE TRIGGER search_events_ai AFTER INSERT ON events BEGIN
    INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
    VALUES (-8589934592 - new.id, 'event', new.id, new.title,
        COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.event_id = new.id), ''),
        new.starts_sort, new.starts_on);
END;
CREATE TRIGGER search_events_au AFTER UPDATE OF title, starts_on, starts_sort ON events BEGIN
    UPDATE search_docs SET title = new.title, sort_at = new.starts_sort, date_text = new.starts_on
    WHERE id = -8589934592 - new.id;
END;
CREATE TRIGGER search_events_ad AFTER DELETE ON events BEGIN
    DELETE FROM search_docs WHERE id = -8589934592 - old.id;
END;

-- Mentions change the quotes of their claim or event.
CREATE TRIGGER search_mentions_ai AFTER INSERT ON mentions BEGIN
    UPDATE search_docs
    SET body = COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.claim_id = new.claim_id), '')
    WHERE id = -4294967296 - new.claim_id;
    UPDATE search_docs
    SET body = COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.event_id = new.event_id), '')
    WHERE id = -8589934592 - new.event_id;
END;
CREATE TRIGGER search_mentions_au AFTER UPDATE OF quote_exact, claim_id, event_id, article_id ON mentions BEGIN
    UPDATE search_docs
    SET body = COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.claim_id = search_docs.ref_id), '')
    WHERE id IN (-4294967296 - old.claim_id, -4294967296 - new.claim_id);
    UPDATE search_docs
    SET body = COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.event_id = search_docs.ref_id), '')
    WHERE id IN (-8589934592 - old.event_id, -8589934592 - new.event_id);
END;
CREATE TRIGGER search_mentions_ad AFTER DELETE ON mentions BEGIN
    UPDATE search_docs
    SET body = COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.claim_id = old.claim_id), '')
    WHERE id = -4294967296 - old.claim_id;
    UPDATE search_docs
    SET body = COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.event_id = old.event_id), '')
    WHERE id = -8589934592 - old.event_id;
END;

-- Entities: the name, the aliases and the description.
CREATE TRIGGER search_entities_ai AFTER INSERT ON entities BEGIN
    INSERT INTO search_docs (id, kind, ref_id, title, names, body, sort_at)
    VALUES (-12884901888 - new.id, 'entity', new.id, new.name,
        COALESCE((SELECT group_concat(a.alias, ' · ') FROM entity_aliases a WHERE a.entity_id = new.id), ''),
        new.description, new.created_at);
END;
CREATE TRIGGER search_entities_au AFTER UPDATE OF name, description, created_at ON entities BEGIN
    UPDATE search_docs SET title = new.name, body = new.description, sort_at = new.created_at
    WHERE id = -12884901888 - new.id;
END;
CREATE TRIGGER search_entities_ad AFTER DELETE ON entities BEGIN
    DELETE FROM search_docs WHERE id = -12884901888 - old.id;
END;
CREATE TRIGGER search_entity_aliases_ai AFTER INSERT ON entity_aliases BEGIN
    UPDATE search_docs
    SET names = COALESCE((SELECT group_concat(a.alias, ' · ') FROM entity_aliases a WHERE a.entity_id = new.entity_id), '')
    WHERE id = -12884901888 - new.entity_id;
END;
CREATE TRIGGER search_entity_aliases_au AFTER UPDATE OF alias, entity_id ON entity_aliases BEGIN
    UPDATE search_docs
    SET names = COALESCE((SELECT group_concat(a.alias, ' · ') FROM entity_aliases a WHERE a.entity_id = search_docs.ref_id), '')
    WHERE id IN (-12884901888 - old.entity_id, -12884901888 - new.entity_id);
END;
CREATE TRIGGER search_entity_aliases_ad AFTER DELETE ON entity_aliases BEGIN
    UPDATE search_docs
    SET names = COALESCE((SELECT group_concat(a.alias, ' · ') FROM entity_aliases a WHERE a.entity_id = old.entity_id), '')
    WHERE id = -12884901888 - old.entity_id;
END;

-- Annotations: the body and tags, and what decides who may read them.
CREATE TRIGGER search_annotations_ai AFTER INSERT ON annotations BEGIN
    INSERT INTO search_docs (id, kind, ref_id, names, body, sort_at, status, deleted, hidden, owner_id, article_id)
    VALUES (-17179869184 - new.id, 'annotation', new.id, new.tags, new.body_source, new.created_at,
        new.visibility, new.deleted_at IS NOT NULL, new.moderation = 'hidden', new.author_id, new.article_id);
END;
CREATE TRIGGER search_annotations_au_text AFTER UPDATE OF body_source, tags ON annotations BEGIN
    UPDATE search_docs SET names = new.tags, body = new.body_source WHERE id = -17179869184 - new.id;
END;
CREATE TRIGGER search_annotations_au_access AFTER UPDATE OF visibility, moderation, deleted_at, author_id, article_id, created_at ON annotations BEGIN
    UPDATE search_docs SET status = new.visibility, deleted = new.deleted_at IS NOT NULL, hidden = new.moderation = 'hidden',
        owner_id = new.author_id, article_id = new.article_id, sort_at = new.created_at
    WHERE id = -17179869184 - new.id;
END;
CREATE TRIGGER search_annotations_ad AFTER DELETE ON annotations BEGIN
    DELETE FROM search_docs WHERE id = -17179869184 - old.id;
END;
