//! One module per subcommand; each extracts its arguments, calls one façade
//! method and formats the answer.

pub mod ask;
pub mod backup;
pub mod chat;
pub mod chat_raw;
pub mod docs;
pub mod doctor;
pub mod export;
pub mod history;
pub mod index;
pub mod metrics;
pub mod reindex;
pub mod restore;
pub mod route;
pub mod search;
pub mod status;
pub mod usage;
pub mod watch;
