-- Editors' picks and pins: when a moderator featured a comment (NULL: not featured), and the one
-- comment staff pinned to the top of a thread (no foreign key: `migrate-data` copies threads
-- before comments).
ALTER TABLE comments ADD COLUMN featured_at BIGINT;
ALTER TABLE threads ADD COLUMN pinned_comment_id BIGINT;
