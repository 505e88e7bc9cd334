//! Search, sole owner of tantivy: BM25 index, in-memory vectors, hybrid
//! fusion. Filled in by the document-library issue.
pub mod messages;
