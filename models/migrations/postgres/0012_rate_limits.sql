-- Rate limits kept in the database rather than in one process's memory, so
-- that every instance sharing the database counts the same attempts (a
-- token bucket per key: tokens left, and when they were last refilled, in
-- Unix milliseconds). Old buckets are deleted as new ones are made.
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    tokens       DOUBLE PRECISION NOT NULL,
    refilled_ms  BIGINT NOT NULL
);
CREATE INDEX rate_limits_refilled ON rate_limits (refilled_ms);

-- Every table moves data_version (0011).
CREATE TRIGGER rate_limits_bump_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rate_limits
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
