//! One module per subcommand; each extracts its arguments, calls one façade
//! method and formats the answer.

pub mod chat_raw;
pub mod doctor;
pub mod metrics;
pub mod route;
pub mod status;
pub mod ask;
pub mod chat;
pub mod export;
pub mod history;
pub mod usage;
