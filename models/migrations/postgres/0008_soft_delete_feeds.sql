-- Deleting a feed hides it and its candidates instead of erasing them: adding
-- the same address again brings it back with the editors' decisions.
ALTER TABLE feeds ADD COLUMN deleted_at TIMESTAMP;
ALTER TABLE feeds ADD COLUMN deleted_by_id BIGINT REFERENCES users (id);
