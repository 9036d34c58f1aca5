-- A counter that moves with every committed change, whichever instance made
-- it: anonymous readers' cached pages and ETags are valid while it stands
-- still (Store.DataVersion; SQLite's PRAGMA data_version plays this part
-- there, so this migration is PostgreSQL's alone).
--
-- A statement-level trigger on every table bumps it in the same transaction
-- as the change. Writes already run one at a time (Store.inTx takes an
-- advisory lock), so the single row costs no extra waiting. A table added by
-- a later migration needs the same trigger: models' TestEveryTableBumpsDataVersion
-- fails until it has one.
CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = current_schema() AND tablename NOT IN ('data_version', 'schema_migrations')
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
            FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()', t || '_bump_data_version', t);
    END LOOP;
END;
$$;
