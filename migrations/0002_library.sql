-- Why: the document library. SQLite is its source of truth: the tantivy
-- index and the in-memory vectors are rebuilt from these tables. Documents
-- are files (in the shared library when conversation_id is NULL, else
-- attached to one conversation; no foreign key yet: conversations arrive
-- with the chat issue). Chunks get never-reused integer ids
-- (AUTOINCREMENT) because tantivy and the vector index key on them: a
-- reused id could make a stale index entry look current after a crash.
-- Embeddings are keyed by (model, chunk text hash), so identical text is
-- embedded once and a changed file keeps the vectors of its unchanged
-- chunks. Jobs are the durable work queue: a lease (leased_by,
-- lease_until) that expires puts a crashed worker's job back in the queue.

CREATE TABLE documents (
    id              TEXT PRIMARY KEY NOT NULL,
    path            TEXT NOT NULL,
    conversation_id TEXT,
    title           TEXT NOT NULL,
    format          TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    mtime_ns        INTEGER NOT NULL,
    content_hash    BLOB,
    status          TEXT NOT NULL CHECK (status IN ('ready', 'failed')),
    error_code      TEXT,
    error           TEXT,
    chunk_count     INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;
-- One document per file and scope; also serves path-prefix scans (folders).
CREATE UNIQUE INDEX documents_path_scope ON documents (path, ifnull(conversation_id, ''));
CREATE INDEX documents_conversation ON documents (conversation_id) WHERE conversation_id IS NOT NULL;

CREATE TABLE chunks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal     INTEGER NOT NULL,
    page        INTEGER,
    heading     TEXT NOT NULL DEFAULT '',
    char_start  INTEGER NOT NULL,
    char_end    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    hash        BLOB NOT NULL
) STRICT;
CREATE UNIQUE INDEX chunks_document ON chunks (document_id, ordinal);
CREATE INDEX chunks_hash ON chunks (hash);

CREATE TABLE embeddings (
    id     INTEGER PRIMARY KEY,
    model  TEXT NOT NULL,
    hash   BLOB NOT NULL,
    dim    INTEGER NOT NULL,
    vector BLOB NOT NULL
) STRICT;
CREATE UNIQUE INDEX embeddings_model_hash ON embeddings (model, hash);

CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    outcome     TEXT,
    error_code  TEXT,
    error       TEXT,
    leased_by   TEXT,
    lease_until INTEGER,
    not_before  INTEGER NOT NULL DEFAULT 0,
    batch       TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_queued ON jobs (kind, not_before, id) WHERE state = 'queued';
CREATE INDEX jobs_queued_payload ON jobs (kind, payload) WHERE state = 'queued';
CREATE INDEX jobs_running ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_batch ON jobs (batch, state) WHERE batch IS NOT NULL;
CREATE INDEX jobs_finished ON jobs (updated_at) WHERE state IN ('done', 'failed', 'cancelled');

CREATE TABLE folders (
    id           TEXT PRIMARY KEY NOT NULL,
    path         TEXT NOT NULL UNIQUE,
    added_at     INTEGER NOT NULL,
    last_scan_at INTEGER
) STRICT;
