-- Deleting a rating label (only ever one no fact-check used) keeps the row,
-- so an admin can bring it back; its name is free again meanwhile.
ALTER TABLE rating_labels ADD COLUMN deleted_at TIMESTAMP;
DROP INDEX rating_labels_name;
CREATE UNIQUE INDEX rating_labels_name ON rating_labels (lower(name)) WHERE deleted_at IS NULL;
