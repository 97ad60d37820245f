-- The moderators' desk: notes moderators keep on an author of a site (an account, a verified
-- address's hash or a guest identity, spelled `account:ID`, `email:HASH`, `guest:KEY`).
CREATE TABLE author_notes (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX author_notes_subject ON author_notes (site_id, subject, id);
