//! How the CLI talks to people: results on stdout, errors on stderr with
//! their cause chain, JSON when asked.

use std::io::Write;
use std::process::ExitCode;

/// Print an error and its causes; exit code 1.
pub fn fail(err: &anyhow::Error) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "gogga: {err}");
    for cause in err.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
    ExitCode::from(1)
}

/// Print a line to stdout (ignoring a closed pipe, as `gogga ... | head` does).
pub fn line(text: impl std::fmt::Display) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// Print a value as one line of JSON.
pub fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    line(serde_json::to_string(value)?);
    Ok(())
}
