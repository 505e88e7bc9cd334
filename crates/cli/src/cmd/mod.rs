//! One module per subcommand; each extracts its arguments, calls one façade
//! method and formats the answer.

pub mod backup;
pub mod doctor;
pub mod restore;
pub mod status;
