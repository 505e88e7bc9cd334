//! One module per subcommand; each extracts its arguments, calls one façade
//! method and formats the answer.

pub mod doctor;
pub mod route;
pub mod status;
