//! `mock-upstream [--host 127.0.0.1] [--port N]`: run the scripted
//! OpenAI-compatible server as a process (for scripts, the LiteLLM
//! comparison and the desktop end-to-end test). Prints one line,
//! `mock-upstream listening on http://HOST:PORT/v1`, then serves until
//! SIGINT or SIGTERM. Port 0 (the default) picks a free port.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

fn usage(problem: &str) -> ExitCode {
    let _ =
        writeln!(std::io::stderr(), "mock-upstream: {problem}\nusage: mock-upstream [--host IP] [--port N]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut host = IpAddr::from([127, 0, 0, 1]);
    let mut port: u16 = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--port", Some(v)) => match v.parse() {
                Ok(p) => port = p,
                Err(_) => return usage(&format!("--port {v}: not a port number")),
            },
            ("--host", Some(v)) => match v.parse() {
                Ok(h) => host = h,
                Err(_) => return usage(&format!("--host {v}: not an IP address")),
            },
            (other, _) => return usage(&format!("unexpected argument {other}")),
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return usage(&format!("cannot start the runtime: {e}")),
    };
    runtime.block_on(async move {
        let mock = match mock_upstream::MockUpstream::bind(SocketAddr::new(host, port)).await {
            Ok(m) => m,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "mock-upstream: cannot listen on {host}:{port}: {e}");
                return ExitCode::from(1);
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "mock-upstream listening on {}", mock.base_url());
        let _ = out.flush();
        drop(out);
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "mock-upstream: cannot watch SIGTERM: {e}");
                return ExitCode::from(1);
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        ExitCode::SUCCESS
    })
}
