//! Ingestion: extract text from files, chunk it, store it, index it and
//! queue it for embedding; watch folders. Filled in by the document-library
//! issue.

use serde::{Deserialize, Serialize};

/// `[library]` in config.toml.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LibraryConfig {}
