-- Rate limits kept in the database rather than in one process's memory, so
-- that every instance sharing the database counts the same attempts (a
-- token bucket per key: tokens left, and when they were last refilled, in
-- Unix milliseconds). Old buckets are deleted as new ones are made.
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    tokens       REAL NOT NULL,
    refilled_ms  INTEGER NOT NULL
);
CREATE INDEX rate_limits_refilled ON rate_limits (refilled_ms);
