-- Where imported threads and comments came from (format and id in the source file), so that
-- importing a file again adds nothing twice and replies find their parents.
CREATE TABLE import_sources (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    format TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    local_id BIGINT NOT NULL,
    UNIQUE (site_id, format, kind, source_id)
);
CREATE INDEX import_sources_local ON import_sources (kind, local_id);
