#!/usr/bin/env python3
"""Build the backup benchmark's store: about MB MiB of realistic rows in
DATA_DIR/gogga.db (which `gogga status` has created and migrated).

Usage: backup_store.py DATA_DIR [MB]   (default 1024)

Rows, in transactions of one document each, like the library writes them:
documents; 40 chunks per document of 1.2-1.8 KB of real text (Rust sources
and docs from ~/.cargo/registry/src); one 384-d float32 vector per chunk
(values in -0.2..0.2, like normalised MiniLM embeddings: they barely
compress); 2,000 conversations of 20 messages of 200-1000 characters.
Tables use plausible shapes with IF NOT EXISTS (the library's and chat's
migrations will own the real ones). Deterministic (seeded)."""

import array
import os
import random
import sqlite3
import sys
import time

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, ord INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks (document_id, ord);
CREATE TABLE IF NOT EXISTS embeddings (chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    model TEXT NOT NULL, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL, content TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation_id);
"""


def corpus(limit):
    out = []
    size = 0
    root = os.path.expanduser("~/.cargo/registry/src")
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if f.endswith((".rs", ".md")):
                try:
                    with open(os.path.join(dirpath, f), "r", encoding="utf-8") as fh:
                        text = fh.read()
                except (OSError, UnicodeDecodeError):
                    continue
                out.append(text)
                size += len(text)
                if size >= limit:
                    return "".join(out)
    return "".join(out)


def main():
    data_dir = sys.argv[1]
    mb = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    db = sqlite3.connect(os.path.join(data_dir, "gogga.db"))
    db.executescript(SCHEMA)
    if db.execute("SELECT count(*) FROM chunks").fetchone()[0] > 0:
        print("store exists")
        return
    rng = random.Random(42)
    text = corpus(64 << 20)
    chunks_total = mb * 1024 * 1024 // 3200  # ~3.2 KB per chunk with vector and indexes
    per_doc = 40
    started = time.time()
    for d in range(chunks_total // per_doc):
        with db:
            cur = db.execute("INSERT INTO documents (path, sha256) VALUES (?, ?)", (f"/home/me/docs/{d}.md", f"{d:064x}"))
            doc = cur.lastrowid
            for ord_ in range(per_doc):
                n = rng.randrange(1200, 1800)
                at = rng.randrange(0, len(text) - n)
                cur = db.execute("INSERT INTO chunks (document_id, ord, text) VALUES (?, ?, ?)", (doc, ord_, text[at : at + n]))
                vec = array.array("f", [rng.uniform(-0.2, 0.2) for _ in range(384)]).tobytes()
                db.execute("INSERT INTO embeddings (chunk_id, model, vector) VALUES (?, 'all-MiniLM-L6-v2', ?)", (cur.lastrowid, vec))
    with db:
        for c in range(2000):
            cur = db.execute("INSERT INTO conversations (title) VALUES (?)", (f"chat {c}",))
            for m in range(20):
                n = rng.randrange(200, 1000)
                at = rng.randrange(0, len(text) - n)
                db.execute(
                    "INSERT INTO messages (conversation_id, role, content) VALUES (?, ?, ?)",
                    (cur.lastrowid, "user" if m % 2 == 0 else "assistant", text[at : at + n]),
                )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"generated {chunks_total // per_doc * per_doc} chunks in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
