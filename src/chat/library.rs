//! The document seam over the real library: a turn's question becomes a
//! hybrid search in the conversation's scope (the shared library plus that
//! conversation's attachments) cut to the turn's token budget, and a
//! citation's chunk id becomes its whole passage. Retrieval failures that
//! leave keyword results (vectors still loading, no model) become the
//! turn's notice, not an error.

use std::sync::Arc;

use super::seams::{Retrieve, Retrieved};
use super::types::{Passage, Source};
use crate::error::Result;
use crate::ingest::library::Library;
use crate::live::LiveCell;
use crate::search::{Mode, Scope, SearchOptions};

/// [`Retrieve`] backed by the running core's document library.
pub(crate) struct LibraryRetrieve {
    library: Arc<Library>,
    /// For the configured fusion, which settings may change.
    live: Arc<LiveCell>,
}

impl LibraryRetrieve {
    pub(crate) fn new(library: Arc<Library>, live: Arc<LiveCell>) -> LibraryRetrieve {
        LibraryRetrieve { library, live }
    }
}

impl Retrieve for LibraryRetrieve {
    fn retrieve(
        &self,
        query: &str,
        conversation_id: &str,
        limit: usize,
        token_budget: usize,
    ) -> Result<Retrieved> {
        let options = SearchOptions {
            limit,
            mode: Mode::Hybrid,
            scope: Scope::conversation(conversation_id),
            token_budget: Some(token_budget),
            fusion: None,
        };
        let fusion = self.live.get().config.library.fusion;
        let found = crate::ingest::retrieval::search(&self.library, query, &options, fusion, None)?;
        let sources = found
            .hits
            .into_iter()
            .map(|h| Source {
                chunk_id: h.chunk_id,
                document_id: h.document_id,
                path: h.path,
                title: h.title,
                page: h.page,
                heading: h.heading,
                text: h.text,
                snippet: h.snippet,
            })
            .collect();
        Ok(Retrieved { sources, notice: found.notice })
    }

    fn passage(&self, chunk_id: i64) -> Result<Option<Passage>> {
        let row = self.library.store.hit_rows(&[chunk_id])?.into_iter().next();
        Ok(row.map(|r| Passage {
            chunk_id: r.chunk_id,
            document_id: r.document_id,
            document_path: r.path,
            title: r.title,
            page: r.page.and_then(|p| u32::try_from(p).ok()),
            heading: (!r.heading.is_empty()).then_some(r.heading),
            text: r.text,
        }))
    }
}

impl std::fmt::Debug for LibraryRetrieve {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LibraryRetrieve")
    }
}
