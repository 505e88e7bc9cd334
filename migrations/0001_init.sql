-- Why: every Gogga database starts with a small key/value table that says
-- which application made it and when, so a restore can refuse an archive
-- from something else and support can tell old databases apart.
-- The schema version itself is PRAGMA user_version (one per migration).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

INSERT INTO meta (key, value) VALUES ('app', 'gogga');
INSERT INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
