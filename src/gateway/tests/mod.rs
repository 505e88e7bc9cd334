//! Gateway scenarios against the scripted mock upstream on 127.0.0.1: what
//! each failure gives the caller, how often the upstream was called, which
//! key and which messages it received, and what the metrics say.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mock_upstream::MockUpstream;

use super::*;
use crate::router::Tier;

fn config(base_url: &str) -> GatewayConfig {
    let mut c = GatewayConfig { primary: ProviderKind::Custom, ..GatewayConfig::default() };
    c.custom.base_url = Some(base_url.to_owned());
    c.custom.keys = vec![KeyConfig { name: "main".into(), key: Secret::new("sk-main-secret") }];
    c.retry = RetryConfig { initial_ms: 5, max_ms: 20, jitter_ms: 5, ..RetryConfig::default() };
    c.first_byte_timeout_ms = 3_000;
    c.idle_timeout_ms = 3_000;
    c
}

fn gateway(c: GatewayConfig) -> Gateway {
    Gateway::builder(c).env(|_| None).build().unwrap()
}

fn request(model: &str, text: &str) -> ChatRequest {
    ChatRequest::new(Tier::Free, model, vec![Message::system("Be brief."), Message::user(text)])
}

/// Read a stream to its end: the text, the events, and the error if any.
async fn drain(mut s: ChatStream) -> (String, Vec<StreamEvent>, Option<Error>) {
    let (mut text, mut events) = (String::new(), Vec::new());
    while let Some(item) = s.next().await {
        match item {
            Ok(e) => {
                if let StreamEvent::Delta(d) = &e {
                    text.push_str(d);
                }
                events.push(e);
            }
            Err(e) => return (text, events, Some(e)),
        }
    }
    (text, events, None)
}

fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}/v1")
}

mod calls;
mod flight;
