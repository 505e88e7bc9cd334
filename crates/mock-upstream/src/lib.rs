//! A scripted OpenAI-compatible chat server on 127.0.0.1 for hermetic tests
//! and benchmarks. It speaks `POST …/chat/completions` (streaming SSE like
//! OpenAI and Cerebras: role chunk, content chunks, a finish chunk, a usage
//! chunk with Cerebras' `time_info`, then `data: [DONE]`; or one JSON body)
//! and `GET …/health`. What it answers is chosen by the model name (see
//! [`Script`]), so a test needs no setup calls.
//!
//! Guarantees a test can lean on: every request is counted before any
//! answer (per model, with its body, bearer key and `x-request-id`); a
//! response abandoned by the client — the request future or the streaming
//! body dropped before its end — is counted as a *disconnect* the moment
//! hyper notices, and [`MockUpstream::wait_for_disconnects`] wakes then, so a
//! test can assert "the client hung up within 100 ms" without sleeping.

mod response;
mod script;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

pub use response::Body;
pub use script::Script;

/// How many request records are kept (benchmarks send far more).
const MAX_RECORDS: usize = 10_000;

/// One chat request as the mock received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The `model` field.
    pub model: String,
    /// The `x-request-id` header, when sent.
    pub request_id: Option<String>,
    /// The bearer token of the `Authorization` header, when sent.
    pub bearer: Option<String>,
    /// The parsed JSON body.
    pub body: serde_json::Value,
    /// When it arrived.
    pub at: Instant,
}

impl Recorded {
    /// The `content` of every message, in order.
    pub fn message_texts(&self) -> Vec<String> {
        self.body["messages"]
            .as_array()
            .map(|m| m.iter().map(|m| response::content_text(&m["content"])).collect())
            .unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub(crate) struct State {
    calls: Mutex<HashMap<String, u64>>,
    attempts: Mutex<HashMap<(String, String), u32>>,
    records: Mutex<Vec<Recorded>>,
    total: AtomicU64,
    pub(crate) disconnects: AtomicU64,
    pub(crate) completed: AtomicU64,
    pub(crate) changed: Notify,
    unhealthy: AtomicBool,
    health_checks: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    /// Count and record a request; return which attempt this is for its
    /// (model, request id), starting at 1.
    fn record(&self, rec: Recorded) -> u32 {
        *lock(&self.calls).entry(rec.model.clone()).or_default() += 1;
        let attempt = {
            let mut attempts = lock(&self.attempts);
            let n =
                attempts.entry((rec.model.clone(), rec.request_id.clone().unwrap_or_default())).or_default();
            *n += 1;
            *n
        };
        {
            let mut records = lock(&self.records);
            if records.len() < MAX_RECORDS {
                records.push(rec);
            }
        }
        self.total.fetch_add(1, Ordering::SeqCst);
        self.changed.notify_waiters();
        attempt
    }
}

/// A running mock server. Dropping it stops the server and closes every
/// open connection.
#[derive(Debug)]
pub struct MockUpstream {
    addr: SocketAddr,
    state: Arc<State>,
    stop: watch::Sender<bool>,
}

impl MockUpstream {
    /// Start on a free port of 127.0.0.1.
    pub async fn start() -> std::io::Result<MockUpstream> {
        MockUpstream::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Start on `addr` (port 0 picks a free one).
    pub async fn bind(addr: SocketAddr) -> std::io::Result<MockUpstream> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::default());
        let (stop, stopped) = watch::channel(false);
        spawn(accept_loop(listener, Arc::clone(&state), stopped));
        Ok(MockUpstream { addr, state, stop })
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The OpenAI-style base URL, `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Chat requests received for `model`.
    pub fn calls(&self, model: &str) -> u64 {
        lock(&self.state.calls).get(model).copied().unwrap_or(0)
    }

    /// Chat requests received in all.
    pub fn total_calls(&self) -> u64 {
        self.state.total.load(Ordering::SeqCst)
    }

    /// The chat requests received, oldest first (the first 10,000).
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.records).clone()
    }

    /// Responses the client abandoned before their end.
    pub fn disconnects(&self) -> u64 {
        self.state.disconnects.load(Ordering::SeqCst)
    }

    /// Responses sent to their end.
    pub fn completed(&self) -> u64 {
        self.state.completed.load(Ordering::SeqCst)
    }

    /// Resolve once at least `n` disconnects were observed.
    pub async fn wait_for_disconnects(&self, n: u64) {
        self.wait_until(|s| s.disconnects.load(Ordering::SeqCst) >= n).await;
    }

    /// Resolve once at least `n` chat requests arrived.
    pub async fn wait_for_calls(&self, n: u64) {
        self.wait_until(|s| s.total.load(Ordering::SeqCst) >= n).await;
    }

    async fn wait_until(&self, done: impl Fn(&State) -> bool) {
        loop {
            let notified = self.state.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if done(&self.state) {
                return;
            }
            notified.await;
        }
    }

    /// Make `GET /health` answer 503 (false) or 200 (true).
    pub fn set_healthy(&self, healthy: bool) {
        self.state.unhealthy.store(!healthy, Ordering::SeqCst);
    }

    /// `GET /health` requests received.
    pub fn health_checks(&self) -> u64 {
        self.state.health_checks.load(Ordering::SeqCst)
    }
}

impl Drop for MockUpstream {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

#[expect(
    clippy::disallowed_methods,
    reason = "a test tool outside the core: gogga::spawn is not available here"
)]
fn spawn<F: Future<Output = ()> + Send + 'static>(f: F) {
    tokio::spawn(f);
}

async fn accept_loop(listener: TcpListener, state: Arc<State>, mut stopped: watch::Receiver<bool>) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stopped.changed() => return,
        };
        let Ok((socket, _)) = accepted else { continue };
        let _ = socket.set_nodelay(true);
        let state = Arc::clone(&state);
        let mut stopped = stopped.clone();
        spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(Arc::clone(&state), req));
            let conn =
                hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(socket), service);
            // Dropping the connection future closes the socket: that is how
            // dropping the handle stops connections that are still open.
            tokio::select! {
                _ = conn => {}
                _ = stopped.changed() => {}
            }
        });
    }
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let path = req.uri().path().to_owned();
    let response = match *req.method() {
        Method::GET if path.ends_with("/health") => {
            state.health_checks.fetch_add(1, Ordering::SeqCst);
            if state.unhealthy.load(Ordering::SeqCst) {
                response::error(503, "unhealthy", &[])
            } else {
                response::json(200, &serde_json::json!({"status": "ok"}))
            }
        }
        Method::POST if path.ends_with("/chat/completions") => chat(&state, req).await,
        _ => response::error(404, &format!("no route for {path}"), &[]),
    };
    Ok(response)
}

async fn chat(state: &Arc<State>, req: Request<Incoming>) -> Response<Body> {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let request_id = header("x-request-id");
    let bearer = header("authorization").and_then(|v| v.strip_prefix("Bearer ").map(str::to_owned));
    let bytes = match http_body_util::BodyExt::collect(req.into_body()).await {
        Ok(b) => b.to_bytes(),
        Err(e) => return response::error(400, &format!("reading the body: {e}"), &[]),
    };
    let body: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => return response::error(400, &format!("body is not JSON: {e}"), &[]),
    };
    let Some(model) = body["model"].as_str().map(str::to_owned) else {
        return response::error(400, "missing model", &[]);
    };
    let attempt = state.record(Recorded {
        model: model.clone(),
        request_id,
        bearer,
        body: body.clone(),
        at: Instant::now(),
    });
    // Counts a disconnect if the client hangs up before the headers go out.
    let guard = response::Guard::new(Arc::clone(state));
    let Some(script) = Script::parse(&model) else {
        guard.finish();
        return response::error(404, &format!("The model `{model}` does not exist"), &[]);
    };
    let answer = response::answer(script, attempt, &model, &body, guard.clone_for_body()).await;
    guard.handed_over();
    answer
}
