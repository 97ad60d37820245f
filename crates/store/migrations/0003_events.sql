-- Thread events, kept for a while so that live readers who lost their connection can catch up.
CREATE TABLE thread_events (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads (id),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX thread_events_thread ON thread_events (thread_id, id);
CREATE INDEX thread_events_at ON thread_events (at);
