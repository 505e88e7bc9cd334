//! The one tantivy schema. Text is stemmed English (`en_stem`) with
//! positions (phrase queries); ids are raw strings or fast u64s. Nothing is
//! stored but the chunk id: SQLite holds the text, which keeps the index
//! small and makes SQLite the only copy that matters.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Field handles, built once with the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The SQLite chunk id (indexed for delete-by-id, fast for reading).
    pub chunk_id: Field,
    /// The document's id (delete every chunk of a document at once).
    pub document_id: Field,
    /// [`super::LIBRARY_SCOPE`] or the conversation id.
    pub scope: Field,
    /// The document's title.
    pub title: Field,
    /// The chunk's heading path.
    pub heading: Field,
    /// The passage.
    pub text: Field,
}

/// The chunk-id field's name (fast fields are read by name).
pub(super) const CHUNK_ID: &str = "chunk_id";

/// Bump when the schema changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 1;

impl Fields {
    /// The schema and its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let stemmed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            chunk_id: b.add_u64_field(CHUNK_ID, INDEXED | FAST),
            document_id: b.add_text_field("document_id", STRING),
            scope: b.add_text_field("scope", STRING),
            title: b.add_text_field("title", stemmed.clone()),
            heading: b.add_text_field("heading", stemmed.clone()),
            text: b.add_text_field("text", stemmed),
        };
        (b.build(), fields)
    }
}
