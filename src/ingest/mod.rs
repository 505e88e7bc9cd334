//! The document library's coordinator, above the store, search and embed
//! owners: files are walked ([`walk`]), sniffed ([`sniff`]), decoded
//! ([`decode`]), extracted into blocks ([`extract`]), chunked ([`chunk`])
//! and stored by the leader's workers from a durable job queue
//! ([`worker`], [`embedding`]); [`leader`] elects the one process that
//! writes; [`watch`] follows folders; [`retrieval`] answers searches; the
//! façade methods the shells call are in [`facade`].
//!
//! Guarantees: SQLite is written first and is the truth (the index and the
//! vectors are repaired from it at start-up); unchanged files are not read
//! again (modified time and size), unchanged content is not re-chunked
//! (content hash) and unchanged text is not re-embedded (chunk hash); one
//! file's failure never stops the others.

pub mod chunk;
pub mod decode;
mod embedding;
pub mod extract;
mod extractor;
mod facade;
pub mod leader;
pub(crate) mod library;
pub mod pipeline;
mod progress;
pub(crate) mod retrieval;
pub mod sniff;
mod spill;
mod supervisor;
mod view;
pub mod walk;
mod watch;
mod worker;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::search::Fusion;

pub use facade::{
    DocumentInfo, FileReport, IndexCheck, IndexOptions, IndexReport, LibraryStatus, WatchReport,
};
pub(crate) use library::{Library, LibraryHandle, Settings};
pub use view::{DocumentStage, DocumentView, FolderView, IndexProgressView, QueuedImport, SkippedPath};

/// The library part of `gogga status` (blocking).
pub(crate) fn facade_status(gogga: &crate::Gogga) -> Result<LibraryStatus> {
    facade::library_status(gogga.library())
}

/// `[library]` in config.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LibraryConfig {
    /// Target chunk length in characters (chosen on the evaluation).
    pub chunk_chars: usize,
    /// Characters carried from one chunk into the next.
    pub overlap_chars: usize,
    /// Largest PDF, docx or odt read (they are parsed whole in memory).
    pub max_container_mb: u64,
    /// How hybrid search fuses BM25 and vectors.
    pub fusion: Fusion,
}

impl Default for LibraryConfig {
    fn default() -> Self {
        LibraryConfig {
            chunk_chars: 1000,
            overlap_chars: 150,
            max_container_mb: 64,
            fusion: Fusion::default(),
        }
    }
}

impl LibraryConfig {
    /// Reject values that cannot work.
    pub fn validate(&self) -> Result<()> {
        if !(200..=8000).contains(&self.chunk_chars) {
            return Err(Error::config(format!(
                "library.chunk_chars must be 200..=8000, not {}",
                self.chunk_chars
            )));
        }
        if self.overlap_chars * 2 > self.chunk_chars {
            return Err(Error::config("library.overlap_chars must be at most half of library.chunk_chars"));
        }
        if !(1..=4096).contains(&self.max_container_mb) {
            return Err(Error::config("library.max_container_mb must be 1..=4096"));
        }
        match self.fusion {
            Fusion::Rrf { k, bm25_weight, vector_weight }
                if k < 0.0
                    || bm25_weight < 0.0
                    || vector_weight < 0.0
                    || bm25_weight + vector_weight <= 0.0 =>
            {
                Err(Error::config("library.fusion: k and weights must be positive"))
            }
            Fusion::Convex { vector_weight } if !(0.0..=1.0).contains(&vector_weight) => {
                Err(Error::config("library.fusion.vector_weight must be within 0..=1"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
