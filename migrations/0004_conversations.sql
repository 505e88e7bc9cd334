-- Why: chat. Conversations hold messages; each assistant message keeps how
-- it was made (route: tier, layer, model; usage and cost; timing; whether
-- it was stopped, answered from search alone, or failed) so history, usage
-- reports and exports never have to recompute anything. Citations are a
-- snapshot of the passage they point at (path, title, page, snippet): they
-- must survive the document being edited or removed, restarts and exports,
-- so they carry no foreign key to chunks. `reply_to` links an answer to
-- the user message it answers; regenerating adds a second answer with the
-- same `reply_to` (alternatives). `request_id` is the caller's id for a
-- turn: the unique index makes a double send store one answer.
-- `change_seq` grows on every insert or edit (from `message_changes`, which
-- never goes back) so a process's in-memory message search index can catch
-- up with changes made by another process.
-- Timestamps are milliseconds since the Unix epoch, like the library's.

CREATE TABLE conversations (
    id          TEXT PRIMARY KEY NOT NULL,
    title       TEXT NOT NULL,
    -- 1 until the user names it: the first exchange then gives the title.
    title_auto  INTEGER NOT NULL DEFAULT 1 CHECK (title_auto IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX conversations_updated ON conversations (updated_at, id);

CREATE TABLE messages (
    id              TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content         TEXT NOT NULL,
    thinking        TEXT,
    reply_to        TEXT REFERENCES messages (id) ON DELETE CASCADE,
    request_id      TEXT,
    tier            TEXT,
    layer           TEXT,
    model           TEXT,
    via_cepo        INTEGER NOT NULL DEFAULT 0,
    language        TEXT,
    tokens_in       INTEGER,
    tokens_out      INTEGER,
    cost_usd        REAL,
    cost_zar        REAL,
    usage_estimated INTEGER NOT NULL DEFAULT 0,
    first_token_ms  INTEGER,
    total_ms        INTEGER,
    stopped         INTEGER NOT NULL DEFAULT 0,
    search_only     INTEGER NOT NULL DEFAULT 0,
    only_documents  INTEGER NOT NULL DEFAULT 0,
    dropped_markers INTEGER NOT NULL DEFAULT 0,
    error_code      TEXT,
    error_message   TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    change_seq      INTEGER NOT NULL
) STRICT;
-- A conversation's messages in insertion order (the index keeps rowids
-- sorted within one conversation).
CREATE INDEX messages_conversation ON messages (conversation_id);
CREATE INDEX messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;
-- One answer per request id (idempotent sends).
CREATE UNIQUE INDEX messages_request ON messages (request_id, role) WHERE request_id IS NOT NULL;
-- Usage per day: answers by time.
CREATE INDEX messages_usage ON messages (created_at) WHERE role = 'assistant';
CREATE INDEX messages_change ON messages (change_seq);
-- The last change_seq handed out: never goes back, even when the newest
-- messages are deleted, so a catch-up never skips a change.
CREATE TABLE message_changes (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
) STRICT;
INSERT INTO message_changes (id, value) VALUES (1, 0);

CREATE TABLE citations (
    message_id    TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    marker        INTEGER NOT NULL,
    chunk_id      INTEGER NOT NULL,
    document_id   TEXT NOT NULL,
    document_path TEXT NOT NULL,
    title         TEXT NOT NULL,
    page          INTEGER,
    heading       TEXT,
    snippet       TEXT NOT NULL,
    PRIMARY KEY (message_id, marker)
) STRICT, WITHOUT ROWID;
