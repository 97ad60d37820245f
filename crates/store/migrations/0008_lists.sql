-- The page lists: a thread's comments by creation time (its Atom feed). The site's latest
-- comments and the most discussed threads use comments_created (0002).
CREATE INDEX comments_thread_created ON comments (thread_id, created_at);
