//! The core's one error type: an [`ErrorKind`] that callers match on, a
//! human message that says what happened and what to do, and an optional
//! source. Shells turn it into `{code, message}` (IPC) or an exit code (CLI);
//! nothing crosses a boundary as a bare string.

use std::fmt;

/// What went wrong, as a closed set. `code()` gives each a stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The configuration file or a value in it is invalid.
    Config,
    /// Reading or writing a local file failed.
    Io,
    /// The SQLite store failed or is in a state we refuse (e.g. too new).
    Store,
    /// The data folder sits on a network filesystem.
    NetworkFilesystem,
    /// The full-text index failed.
    Search,
    /// The embedding runtime or model is missing or failed.
    Embed,
    /// A document could not be read or understood.
    Ingest,
    /// The caller gave us something we cannot use.
    InvalidInput,
    /// The thing asked for does not exist.
    NotFound,
    /// An upstream model provider answered with an error we will not retry.
    Upstream,
    /// The upstream (or every key of it) is rate limited.
    RateLimited,
    /// The upstream could not be reached or timed out.
    Unavailable,
    /// No provider or key is configured for a call that needs one.
    NotConfigured,
    /// The operation was cancelled by the user.
    Cancelled,
    /// Another process holds what we need (e.g. the writer lock).
    Busy,
    /// A backup archive is invalid, or a backup or restore failed.
    Backup,
    /// A bug: an invariant did not hold.
    Internal,
}

impl ErrorKind {
    /// A stable, machine-readable name for this kind (used over IPC).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Config => "config",
            ErrorKind::Io => "io",
            ErrorKind::Store => "store",
            ErrorKind::NetworkFilesystem => "network_filesystem",
            ErrorKind::Search => "search",
            ErrorKind::Embed => "embed",
            ErrorKind::Ingest => "ingest",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Upstream => "upstream",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::NotConfigured => "not_configured",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Busy => "busy",
            ErrorKind::Backup => "backup",
            ErrorKind::Internal => "internal",
        }
    }
}

/// The core's error: a kind, a message for people, an optional cause.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error of `kind` with a message that says what happened.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), source: None }
    }

    /// Attach the underlying cause.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Stable machine-readable code, see [`ErrorKind::code`].
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The message for people (without the cause chain).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether trying the same thing again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind, ErrorKind::RateLimited | ErrorKind::Unavailable | ErrorKind::Busy)
    }

    /// Shorthand constructors, one per common kind.
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }
    pub fn io(context: impl Into<String>, err: std::io::Error) -> Self {
        let context = context.into();
        Error::new(ErrorKind::Io, format!("{context}: {err}")).with_source(err)
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidInput, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::NotFound, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_retryability_follows_kind() {
        let cases = [
            (ErrorKind::RateLimited, "rate_limited", true),
            (ErrorKind::Unavailable, "unavailable", true),
            (ErrorKind::Upstream, "upstream", false),
            (ErrorKind::Config, "config", false),
            (ErrorKind::NetworkFilesystem, "network_filesystem", false),
        ];
        for (kind, code, retry) in cases {
            let e = Error::new(kind, "x");
            assert_eq!(e.code(), code);
            assert_eq!(e.is_retryable(), retry, "{code}");
        }
    }

    #[test]
    fn io_errors_keep_context_and_source() {
        let e = Error::io("reading /x", std::io::Error::other("boom"));
        assert_eq!(e.to_string(), "reading /x: boom");
        assert!(std::error::Error::source(&e).is_some());
    }
}
