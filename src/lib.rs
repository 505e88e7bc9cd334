//! # Gogga core
//!
//! The local-first heart of Gogga Desktop: a document library (SQLite store,
//! tantivy index, fastembed embeddings), a tier router, a model gateway, chat
//! with citations, and backups. Shells — the `gogga` CLI, the Tauri desktop
//! app, later a headless server — hold one [`Gogga`] façade and call its
//! methods; they never touch the engines (rusqlite, tantivy, reqwest,
//! fastembed) directly.
//!
//! Layout (see ARCHITECTURE.md): owners of one engine each (`store`,
//! `search`, `embed`, `gateway`), the pure `router`, coordinators above them
//! (`ingest`, `chat`, `backup`), and the façade in `app`. Blocking work runs
//! through [`spawn::blocking`]; ids come from [`id::new_id`].

pub mod app;
pub mod backup;
pub mod chat;
pub mod config;
pub mod doctor;
pub mod embed;
pub mod error;
pub mod event;
pub mod gateway;
pub mod id;
pub mod ingest;
mod live;
pub mod paths;
pub mod router;
pub mod search;
pub mod settings;
pub mod spawn;
pub mod status;
pub mod store;

pub use app::{Gogga, OpenOptions};
pub use config::Config;
pub use doctor::{Check, DoctorReport};
pub use error::{Error, ErrorKind, Result};
pub use event::Event;
pub use ingest::{DocumentInfo, IndexOptions, IndexReport, LibraryStatus};
pub use paths::Paths;
pub use router::{Override, RouteReport, Router, Tier, UserText};
pub use search::{Hit, Mode, Scope, SearchOptions, SearchResults};
pub use status::{AppStatus, ModelStatus, StoreStatus};

/// This build's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Run every `gogga doctor` check off the async executor.
pub async fn doctor(options: OpenOptions) -> Result<DoctorReport> {
    spawn::blocking(move || Ok(doctor::run(&options))).await
}
