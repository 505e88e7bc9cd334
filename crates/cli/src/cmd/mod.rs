//! One module per subcommand; each extracts its arguments, calls one façade
//! method and formats the answer.

pub mod backup;
pub mod chat_raw;
pub mod docs;
pub mod doctor;
pub mod index;
pub mod metrics;
pub mod reindex;
pub mod restore;
pub mod route;
pub mod search;
pub mod status;
pub mod watch;
