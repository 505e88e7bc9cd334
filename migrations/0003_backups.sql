-- Why: backup status must survive restarts. The scheduler runs a backup on
-- start when one is overdue (it needs the time of the last success), and the
-- backups screen shows the last failure with its reason until a later run
-- succeeds. One row per attempt; the store keeps the newest 200.
-- Times are Unix seconds (UTC).
CREATE TABLE backup_runs (
    id          TEXT PRIMARY KEY NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
    target      TEXT NOT NULL,
    archive     TEXT,
    bytes       INTEGER,
    message     TEXT NOT NULL
) STRICT;

CREATE INDEX backup_runs_by_outcome ON backup_runs (ok, finished_at);
