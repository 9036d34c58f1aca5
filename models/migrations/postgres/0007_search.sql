-- Full-text search over articles, claims, events, entities and annotations:
-- PostgreSQL's counterpart of SQLite's FTS5 index (sqlite/0007_search.sql),
-- searched by models/search_pg.go.
--
-- search_docs has a row per searchable thing, with the same ids as on SQLite:
-- an article's id for articles, and a negative number for everything else
-- (claims -(2^32 + id), events -(2·2^32 + id), entities -(3·2^32 + id),
-- annotations -(4·2^32 + id)). It holds the columns search filters on and
-- tsv, the thing's words as a tsvector: the title weighted A, the names
-- (bylines, aliases, tags) B, the body C. Articles' text stays in articles
-- only (its vector is here); the other kinds' text is copied here too (a
-- claim's gathers its restatement and the quotes that report it), since
-- snippets are cut from it.
--
-- Triggers keep search_docs in step inside the transaction of every write, so
-- no code path can forget them; they live here, in a migration, so that no
-- later schema change drops them unnoticed. `web reindex` rebuilds everything.
--
-- No extension is needed: accents are folded by Unicode decomposition
-- (normalize, which needs a UTF8 database) and the `simple` configuration
-- lower-cases without stemming or stop words, as SQLite's unicode61 tokenizer
-- does. Lower-casing letters beyond ASCII follows the database's locale (any
-- UTF-8 locale does; the C locale folds only ASCII letters).

-- While search_state.paused is true the triggers leave the vectors alone:
-- `web reindex` sets it inside its own transaction while it rebuilds them all,
-- and clears it before committing.
CREATE TABLE search_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    paused BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO search_state (id, paused) VALUES (1, FALSE);

CREATE TABLE search_docs (
    id         BIGINT PRIMARY KEY, -- as the row's rowid in SQLite's search_index
    kind       TEXT NOT NULL CHECK (kind IN ('article', 'claim', 'event', 'entity', 'annotation')),
    ref_id     BIGINT NOT NULL,    -- the id in the kind's own table
    -- The indexed text of kinds other than articles (articles' is in articles).
    title      TEXT NOT NULL DEFAULT '',
    names      TEXT NOT NULL DEFAULT '', -- entities' aliases, annotations' tags
    body       TEXT NOT NULL DEFAULT '',
    -- The date results are shown with and filtered on, and ties broken by.
    sort_at    TIMESTAMP,
    date_text  TEXT NOT NULL DEFAULT '', -- claims' and events' dates as ISO text of their precision
    -- Who may see it: an article's status, an annotation's visibility.
    status     TEXT NOT NULL DEFAULT '',
    deleted    BOOLEAN NOT NULL DEFAULT FALSE,
    hidden     BOOLEAN NOT NULL DEFAULT FALSE, -- an annotation hidden by a moderator
    owner_id   BIGINT,                         -- an annotation's author
    article_id BIGINT,                         -- an annotation's article
    outlet_id  BIGINT,                         -- an article's outlet
    tsv        TSVECTOR NOT NULL DEFAULT ''
);

-- One index per kind: a search ranks each kind's matches apart (newest first
-- up to a cap), and a word common in articles costs nothing when it is
-- looked up among claims.
CREATE INDEX search_docs_article ON search_docs USING gin (tsv) WHERE kind = 'article';
CREATE INDEX search_docs_claim ON search_docs USING gin (tsv) WHERE kind = 'claim';
CREATE INDEX search_docs_event ON search_docs USING gin (tsv) WHERE kind = 'event';
CREATE INDEX search_docs_entity ON search_docs USING gin (tsv) WHERE kind = 'entity';
CREATE INDEX search_docs_annotation ON search_docs USING gin (tsv) WHERE kind = 'annotation';

-- search_fold is text as the index compares it: decomposed, its combining
-- marks dropped ("Zürich" is found by "zurich"). Text in ASCII alone has none,
-- and skips the work. (Case is folded by the `simple` dictionary.) Search
-- queries are folded by it too (search_query).
CREATE FUNCTION search_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN t ~ '[^\x01-\x7f]'
        THEN regexp_replace(normalize(t, NFD), '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+', '', 'g')
        ELSE t END
$$;

-- search_words folds text and turns punctuation into spaces, so the parser
-- sees only words: left alone it keeps "covid-19", "3.5" or "a@b.org" whole
-- (and drops "<b>"), where SQLite's tokenizer, and searchquery, see
-- neighbouring words. The class is ASCII's punctuation and symbols and the
-- commonest others (a UTF-8 locale's parser separates the rest itself).
CREATE FUNCTION search_words(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT regexp_replace(search_fold(t),
        '[!-/:-@[-`{-~\u00a0¡¦§¨«¬\u00ad¯°±´¶·¸»¿×÷‐‑‒–—―‖‘’‚‛“”„‟†‡•…‰′″‹›⁄€£¥©®™\u3000、。「」，．：；！？]+', ' ', 'g')
$$;

-- search_vector is a document's vector: its title weighted A, names B, body C.
-- The body counts up to its 100,000th character: a tsvector holds at most
-- 1 MB (a longer text of short, all different words would make saving the
-- article fail), and word positions stop at 16,383 anyway, which is about
-- as far. Articles of a few thousand words are indexed whole.
CREATE FUNCTION search_vector(title text, names text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('simple', search_words(COALESCE(title, ''))), 'A')
        || setweight(to_tsvector('simple', search_words(COALESCE(names, ''))), 'B')
        || setweight(to_tsvector('simple', search_words(left(COALESCE(body, ''), 100000))), 'C')
$$;

-- search_query reads a tsquery that models/search_pg.go wrote (every word
-- quoted), folded as documents are.
CREATE FUNCTION search_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_tsquery('simple', search_fold(q))
$$;

-- Quotes reporting a claim or event count as its text only while the article
-- they come from is public: a draft's or a deleted article's words must not be
-- findable, or shown in a snippet, through the claim.
CREATE VIEW search_public_mentions AS
    SELECT m.id, m.claim_id, m.event_id, m.quote_exact
    FROM mentions m JOIN search_docs a ON a.id = m.article_id
    WHERE a.kind = 'article' AND NOT a.deleted AND a.status IN ('published', 'retracted');

CREATE FUNCTION search_claim_quotes(claim_id bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(string_agg(p.quote_exact, ' … ' ORDER BY p.id), '') FROM search_public_mentions p WHERE p.claim_id = $1
$$;
CREATE FUNCTION search_event_quotes(event_id bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(string_agg(p.quote_exact, ' … ' ORDER BY p.id), '') FROM search_public_mentions p WHERE p.event_id = $1
$$;
CREATE FUNCTION search_entity_aliases(entity_id bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(string_agg(a.alias, ' · ' ORDER BY a.id), '') FROM entity_aliases a WHERE a.entity_id = $1
$$;

-- search_docs: the vector of every kind but articles (whose text is not here).
CREATE FUNCTION search_docs_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title OR NEW.names IS DISTINCT FROM OLD.names
            OR NEW.body IS DISTINCT FROM OLD.body)
        AND NOT (SELECT s.paused FROM search_state s) THEN
        NEW.tsv := search_vector(NEW.title, NEW.names, NEW.body);
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER search_docs_vector BEFORE INSERT OR UPDATE OF title, names, body ON search_docs
    FOR EACH ROW WHEN (NEW.id < 0) EXECUTE FUNCTION search_docs_vector();

-- Articles: their vector, status, outlet and dates.
CREATE FUNCTION search_articles_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    search_paused boolean := (SELECT s.paused FROM search_state s);
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_docs WHERE id = OLD.id;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO search_docs (id, kind, ref_id, sort_at, status, deleted, outlet_id, tsv)
        VALUES (NEW.id, 'article', NEW.id, COALESCE(NEW.published_at, NEW.created_at), NEW.status,
            NEW.deleted_at IS NOT NULL, NEW.outlet_id,
            CASE WHEN search_paused THEN ''::tsvector ELSE search_vector(NEW.title, NEW.byline, NEW.body_text) END);
    ELSE
        UPDATE search_docs SET sort_at = COALESCE(NEW.published_at, NEW.created_at), status = NEW.status,
            deleted = NEW.deleted_at IS NOT NULL, outlet_id = NEW.outlet_id,
            tsv = CASE WHEN NOT search_paused AND (NEW.title, NEW.byline, NEW.body_text) IS DISTINCT FROM (OLD.title, OLD.byline, OLD.body_text)
                THEN search_vector(NEW.title, NEW.byline, NEW.body_text) ELSE tsv END
        WHERE id = NEW.id;
        -- Publishing, unpublishing, deleting or restoring an article adds or
        -- removes its quotes from the text of the claims and events it reports.
        IF (OLD.status IN ('published', 'retracted') AND OLD.deleted_at IS NULL)
            <> (NEW.status IN ('published', 'retracted') AND NEW.deleted_at IS NULL) THEN
            UPDATE search_docs SET body = search_claim_quotes(ref_id)
            WHERE id IN (SELECT -4294967296 - claim_id FROM mentions WHERE article_id = NEW.id AND claim_id IS NOT NULL);
            UPDATE search_docs SET body = search_event_quotes(ref_id)
            WHERE id IN (SELECT -8589934592 - event_id FROM mentions WHERE article_id = NEW.id AND event_id IS NOT NULL);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_articles AFTER INSERT OR DELETE
    OR UPDATE OF title, byline, body_text, status, deleted_at, published_at, created_at, outlet_id ON articles
    FOR EACH ROW EXECUTE FUNCTION search_articles_sync();

-- Claims: the restatement, and the quotes that report them.
CREATE FUNCTION search_claims_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_docs WHERE id = -4294967296 - OLD.id;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
        VALUES (-4294967296 - NEW.id, 'claim', NEW.id, NEW.restatement, search_claim_quotes(NEW.id),
            COALESCE(NEW.said_sort, NEW.created_at), NEW.said_on);
    ELSE
        UPDATE search_docs SET title = NEW.restatement, sort_at = COALESCE(NEW.said_sort, NEW.created_at), date_text = NEW.said_on
        WHERE id = -4294967296 - NEW.id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_claims AFTER INSERT OR DELETE OR UPDATE OF restatement, said_on, said_sort, created_at ON claims
    FOR EACH ROW EXECUTE FUNCTION search_claims_sync();

-- Events: the title, and the quotes that report them.
CREATE FUNCTION search_events_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_docs WHERE id = -8589934592 - OLD.id;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
        VALUES (-8589934592 - NEW.id, 'event', NEW.id, NEW.title, search_event_quotes(NEW.id), NEW.starts_sort, NEW.starts_on);
    ELSE
        UPDATE search_docs SET title = NEW.title, sort_at = NEW.starts_sort, date_text = NEW.starts_on
        WHERE id = -8589934592 - NEW.id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_events AFTER INSERT OR DELETE OR UPDATE OF title, starts_on, starts_sort ON events
    FOR EACH ROW EXECUTE FUNCTION search_events_sync();

-- Mentions change the quotes of their claim or event (OLD is null for an
-- insert, NEW for a delete).
CREATE FUNCTION search_mentions_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET body = search_claim_quotes(ref_id)
    WHERE id IN (-4294967296 - OLD.claim_id, -4294967296 - NEW.claim_id);
    UPDATE search_docs SET body = search_event_quotes(ref_id)
    WHERE id IN (-8589934592 - OLD.event_id, -8589934592 - NEW.event_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_mentions AFTER INSERT OR DELETE OR UPDATE OF quote_exact, claim_id, event_id, article_id ON mentions
    FOR EACH ROW EXECUTE FUNCTION search_mentions_sync();

-- Entities: the name, the aliases and the description.
CREATE FUNCTION search_entities_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_docs WHERE id = -12884901888 - OLD.id;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO search_docs (id, kind, ref_id, title, names, body, sort_at)
        VALUES (-12884901888 - NEW.id, 'entity', NEW.id, NEW.name, search_entity_aliases(NEW.id), NEW.description, NEW.created_at);
    ELSE
        UPDATE search_docs SET title = NEW.name, body = NEW.description, sort_at = NEW.created_at
        WHERE id = -12884901888 - NEW.id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_entities AFTER INSERT OR DELETE OR UPDATE OF name, description, created_at ON entities
    FOR EACH ROW EXECUTE FUNCTION search_entities_sync();

CREATE FUNCTION search_entity_aliases_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET names = search_entity_aliases(ref_id)
    WHERE id IN (-12884901888 - OLD.entity_id, -12884901888 - NEW.entity_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_entity_aliases AFTER INSERT OR DELETE OR UPDATE OF alias, entity_id ON entity_aliases
    FOR EACH ROW EXECUTE FUNCTION search_entity_aliases_sync();

-- Annotations: the body and tags, and what decides who may read them.
CREATE FUNCTION search_annotations_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_docs WHERE id = -17179869184 - OLD.id;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO search_docs (id, kind, ref_id, names, body, sort_at, status, deleted, hidden, owner_id, article_id)
        VALUES (-17179869184 - NEW.id, 'annotation', NEW.id, NEW.tags, NEW.body_source, NEW.created_at,
            NEW.visibility, NEW.deleted_at IS NOT NULL, NEW.moderation = 'hidden', NEW.author_id, NEW.article_id);
    ELSE
        UPDATE search_docs SET names = NEW.tags, body = NEW.body_source, sort_at = NEW.created_at,
            status = NEW.visibility, deleted = NEW.deleted_at IS NOT NULL, hidden = NEW.moderation = 'hidden',
            owner_id = NEW.author_id, article_id = NEW.article_id
        WHERE id = -17179869184 - NEW.id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_annotations AFTER INSERT OR DELETE
    OR UPDATE OF body_source, tags, visibility, moderation, deleted_at, author_id, article_id, created_at ON annotations
    FOR EACH ROW EXECUTE FUNCTION search_annotations_sync();

-- What is there already (models.pgSearchDocsSQL does the same in a rebuild).
INSERT INTO search_docs (id, kind, ref_id, sort_at, status, deleted, outlet_id, tsv)
    SELECT id, 'article', id, COALESCE(published_at, created_at), status, deleted_at IS NOT NULL, outlet_id,
        search_vector(title, byline, body_text)
    FROM articles;
INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
    SELECT -4294967296 - c.id, 'claim', c.id, c.restatement, search_claim_quotes(c.id), COALESCE(c.said_sort, c.created_at), c.said_on
    FROM claims c;
INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
    SELECT -8589934592 - e.id, 'event', e.id, e.title, search_event_quotes(e.id), e.starts_sort, e.starts_on
    FROM events e;
INSERT INTO search_docs (id, kind, ref_id, title, names, body, sort_at)
    SELECT -12884901888 - e.id, 'entity', e.id, e.name, search_entity_aliases(e.id), e.description, e.created_at
    FROM entities e;
INSERT INTO search_docs (id, kind, ref_id, names, body, sort_at, status, deleted, hidden, owner_id, article_id)
    SELECT -17179869184 - n.id, 'annotation', n.id, n.tags, n.body_source, n.created_at,
        n.visibility, n.deleted_at IS NOT NULL, n.moderation = 'hidden', n.author_id, n.article_id
    FROM annotations n;
