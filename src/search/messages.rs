//! [`MessageIndex`]: full-text search over chat messages, separate from the
//! library's chunk index. It lives in memory in each process and is a
//! cache of SQLite: the chat coordinator fills it from the store's change
//! sequence (`high_water` says how far it has read) the first time someone
//! searches, then catches up before every search. Hence no writer lock to
//! share between the desktop app and the CLI, and nothing on disk to go
//! stale. Only the message id is stored; snippets are cut from the current
//! text the caller reads back from SQLite, so a deleted or edited message
//! never shows old words. Delete-then-add by id; explicit commits.

use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, ErrorKind, Result};

/// The writer's memory (tantivy's minimum; messages are small).
const WRITER_HEAP: usize = 15_000_000;

fn search_err(context: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Search, format!("{context}: {e}"))
}

/// One message to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageDoc {
    pub id: String,
    pub text: String,
}

/// The in-memory message index.
pub struct MessageIndex {
    id: Field,
    text: Field,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    parser: QueryParser,
    high_water: AtomicI64,
}

impl std::fmt::Debug for MessageIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageIndex").field("high_water", &self.high_water()).finish_non_exhaustive()
    }
}

impl MessageIndex {
    /// An empty index.
    pub fn new() -> Result<MessageIndex> {
        let mut b = Schema::builder();
        let stemmed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let id = b.add_text_field("id", STRING | STORED);
        let text = b.add_text_field("text", stemmed);
        let index = Index::create_in_ram(b.build());
        let writer = index
            .writer_with_num_threads(1, WRITER_HEAP)
            .map_err(|e| search_err("message index writer", e))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| search_err("message index reader", e))?;
        let mut parser = QueryParser::for_index(&index, vec![text]);
        // Every word must appear: a search in history is for one message.
        parser.set_conjunction_by_default();
        Ok(MessageIndex {
            id,
            text,
            reader,
            writer: Mutex::new(writer),
            parser,
            high_water: AtomicI64::new(0),
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The last change sequence indexed.
    pub fn high_water(&self) -> i64 {
        self.high_water.load(Ordering::Acquire)
    }

    /// Add or replace messages and commit; `high_water` moves to
    /// `change_seq` (never back).
    pub fn upsert(&self, docs: &[MessageDoc], change_seq: i64) -> Result<()> {
        let mut w = self.writer();
        for d in docs {
            w.delete_term(Term::from_field_text(self.id, &d.id));
            let mut doc = TantivyDocument::default();
            doc.add_text(self.id, &d.id);
            doc.add_text(self.text, &d.text);
            w.add_document(doc).map_err(|e| search_err("indexing a message", e))?;
        }
        w.commit().map_err(|e| search_err("committing the message index", e))?;
        self.reader.reload().map_err(|e| search_err("reloading the message index", e))?;
        self.high_water.fetch_max(change_seq, Ordering::AcqRel);
        Ok(())
    }

    /// Remove messages and commit.
    pub fn delete(&self, ids: &[String]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut w = self.writer();
        for id in ids {
            w.delete_term(Term::from_field_text(self.id, id));
        }
        w.commit().map_err(|e| search_err("committing the message index", e))?;
        self.reader.reload().map_err(|e| search_err("reloading the message index", e))
    }

    /// Message ids matching `query` (every word, stemmed), best first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<(String, f32)>> {
        let (query, _ignored_syntax_errors) = self.parser.parse_query_lenient(query);
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())
            .map_err(|e| search_err("searching messages", e))?;
        let mut out = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| search_err("reading a hit", e))?;
            if let Some(id) = doc.get_first(self.id).and_then(|v| v.as_str()) {
                out.push((id.to_owned(), score));
            }
        }
        Ok(out)
    }

    /// A snippet of `text` around the words of `query`, split into parts
    /// with `true` for matched words; the start of the text when none match.
    pub fn snippet(&self, query: &str, text: &str, max_chars: usize) -> Result<Vec<(String, bool)>> {
        let (parsed, _) = self.parser.parse_query_lenient(query);
        let searcher = self.reader.searcher();
        let mut generator =
            SnippetGenerator::create(&searcher, &*parsed, self.text).map_err(|e| search_err("snippet", e))?;
        generator.set_max_num_chars(max_chars);
        let snippet = generator.snippet(text);
        let fragment = snippet.fragment();
        if fragment.is_empty() {
            let head: String = text.chars().take(max_chars).collect();
            return Ok(vec![(head, false)]);
        }
        let mut parts = Vec::new();
        let mut at = 0;
        for range in snippet.highlighted() {
            if range.start > at {
                parts.push((fragment[at..range.start].to_owned(), false));
            }
            parts.push((fragment[range.clone()].to_owned(), true));
            at = range.end;
        }
        if at < fragment.len() {
            parts.push((fragment[at..].to_owned(), false));
        }
        Ok(parts)
    }

    /// Documents in the index (deleted ones excluded once committed).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, text: &str) -> MessageDoc {
        MessageDoc { id: id.into(), text: text.into() }
    }

    #[test]
    fn finds_stemmed_words_replaces_and_deletes() {
        let ix = MessageIndex::new().unwrap();
        assert!(ix.is_empty());
        ix.upsert(&[doc("a", "The municipal rates went up"), doc("b", "Invoices for June")], 2).unwrap();
        assert_eq!(ix.high_water(), 2);
        assert_eq!(ix.search("invoice", 10).unwrap().into_iter().map(|h| h.0).collect::<Vec<_>>(), ["b"]);
        assert!(ix.search("rates june", 10).unwrap().is_empty(), "every word must match");
        ix.upsert(&[doc("b", "Receipts for July")], 3).unwrap();
        assert!(ix.search("invoice", 10).unwrap().is_empty(), "an edit replaces the old text");
        assert_eq!(ix.len(), 2);
        ix.delete(&["a".into()]).unwrap();
        assert!(ix.search("municipal", 10).unwrap().is_empty());
        ix.upsert(&[], 1).unwrap();
        assert_eq!(ix.high_water(), 3, "never moves back");
    }

    #[test]
    fn query_syntax_errors_are_lenient() {
        let ix = MessageIndex::new().unwrap();
        ix.upsert(&[doc("a", "C++ and (maybe) rust: AND OR")], 1).unwrap();
        for q in ["c++", "(maybe", "rust:", "\"unclosed", "AND"] {
            assert!(ix.search(q, 5).is_ok(), "{q}");
        }
    }

    #[test]
    fn snippets_mark_the_matched_words() {
        let ix = MessageIndex::new().unwrap();
        let text = "Long ago we talked about the invoices of the municipality and then moved on";
        ix.upsert(&[doc("a", text)], 1).unwrap();
        let parts = ix.snippet("invoice", text, 150).unwrap();
        let hits: Vec<&str> = parts.iter().filter(|p| p.1).map(|p| p.0.as_str()).collect();
        assert_eq!(hits, ["invoices"]);
        assert_eq!(parts.iter().map(|p| p.0.as_str()).collect::<String>(), text);
        let none = ix.snippet("zebra", "short text", 5).unwrap();
        assert_eq!(none, [("short".to_owned(), false)]);
    }
}
