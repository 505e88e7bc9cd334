//! The driver of one [`Flight`] (polled by its readers, see `flight`):
//! the shared cache first, then CePO when it applies (JIVE/JIGGA, enabled,
//! CePO messages given, healthy) with the un-enhanced messages; on ANY CePO
//! failure the direct call with the enhanced messages, counted in `gogga_cepo_fallbacks_total`. The direct
//! call tries the primary provider with retries (`gateway::retry`), key
//! rotation and its circuit breaker, then the fallback provider when the
//! failure allows it. Once the first token is out the stream is relayed
//! as is: a later error ends it with the partial text kept, never a retry.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Core;
use super::flight::{End, Flight};
use super::provider::Provider;
use super::reply::{Completion, StreamEvent, Usage};
use super::request::ChatRequest;
use super::retry::{self, Failure, FailureKind};
use super::upstream::{self, Opened};
use crate::error::{Error, ErrorKind, Result};
use crate::router::Tier;

/// Drive `flight` to its end.
pub(crate) async fn drive(core: Arc<Core>, req: ChatRequest, flight: Arc<Flight>, stream: bool) {
    let started = Instant::now();
    let outcome = run(&core, &req, &flight, stream, started).await;
    match outcome {
        Ok(()) => {
            core.metrics.observe_latency(req.tier, &req.model, started.elapsed());
            flight.finish(End::Ok);
            // The log is copied only when a shared cache will keep it.
            if let Some(shared) = &core.shared
                && let Some(events) = flight.events_if_ok()
                && let Some(reply) = Completion::from_events(&events)
                && let Err(e) = shared.put(&flight.key, &reply, flight.ttl).await
            {
                tracing::warn!(code = e.code(), "could not store the reply in the shared cache: {e}");
            }
        }
        Err(e) => {
            core.metrics.error(e.code());
            let partial = flight.has_text().then(|| flight.text());
            flight.finish(End::Err { kind: e.kind(), message: e.message().to_owned(), partial });
            core.flights.forget_failed(&flight.key, &flight);
        }
    }
}

async fn run(core: &Core, req: &ChatRequest, flight: &Flight, stream: bool, started: Instant) -> Result<()> {
    if let Some(shared) = &core.shared {
        match shared.get(&flight.key).await {
            Ok(Some(reply)) => {
                core.metrics.idempotent_hit();
                flight.push(reply.into_events());
                return Ok(());
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(code = e.code(), "shared cache lookup failed, calling upstream: {e}"),
        }
    }
    if let Some(cepo) = &core.cepo
        && req.tier != Tier::Free
        && req.cepo_messages.is_some()
    {
        let primary = &core.providers[0];
        if cepo.healthy().await {
            let lease = primary.keys.acquire(Instant::now()).map(|(l, _)| l);
            let secret = lease.as_ref().and_then(|l| l.secret.as_ref());
            match cepo.call(req, &primary.model_for(&req.model), secret, primary.kind).await {
                Ok(reply) => {
                    note_usage(core, req.tier, reply.usage.as_ref());
                    core.metrics.observe_ttft(req.tier, &req.model, started.elapsed());
                    flight.push(reply.into_events());
                    return Ok(());
                }
                Err(message) => {
                    tracing::warn!("CePO failed, answering directly: {message}");
                    cepo.mark_failed();
                }
            }
        }
        core.metrics.cepo_fallback();
    }
    let mut last: Option<Error> = None;
    for provider in core.providers.iter().filter(|p| p.is_usable()) {
        match open(core, provider, req, stream).await {
            Ok(opened) => return relay(core, provider, req, flight, opened, started).await,
            Err(f) => {
                let go_on = f.allows_fallback();
                last = Some(f.into_error());
                if !go_on {
                    break;
                }
            }
        }
    }
    Err(last.unwrap_or_else(|| Error::new(ErrorKind::NotConfigured, core.providers[0].not_usable_reason())))
}

/// Attempts against one provider, with retries, until the first token.
async fn open(core: &Core, p: &Provider, req: &ChatRequest, stream: bool) -> Result<Opened, Failure> {
    let name = p.kind.name();
    let url =
        p.chat_url().ok_or_else(|| Failure::new(FailureKind::NotConfigured, "", p.not_usable_reason()))?;
    let body = p.body(req, &req.direct_messages, stream).map_err(|e| {
        Failure::new(FailureKind::Malformed, "", format!("could not encode the request to {name}: {e}"))
    })?;
    let policy = core.retry;
    let attempt = || async {
        let now = Instant::now();
        if !p.circuit.allow(now) {
            core.metrics.circuit(name, p.circuit.state(now).code());
            return Err(Failure::new(
                FailureKind::CircuitOpen,
                "",
                format!("{name} keeps failing; calls to it are paused"),
            ));
        }
        let (lease, wait) = p
            .keys
            .acquire(now)
            .ok_or_else(|| Failure::new(FailureKind::NotConfigured, "", p.not_usable_reason()))?;
        if wait > policy.max_wait {
            let f = format!("every {name} key is rate limited for another {} s", wait.as_secs());
            return Err(Failure::new(FailureKind::KeysCooling, &lease.name, f));
        }
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let result = upstream::attempt(p, url, &lease, &req.request_id, &body, stream, core.timeouts).await;
        let now = Instant::now();
        match &result {
            Ok(_) => p.circuit.success(),
            Err(f) => {
                if f.kind == FailureKind::Status(429) {
                    p.keys.cool(lease.index, now + f.retry_after.unwrap_or(core.default_cooldown));
                }
                if f.is_provider_fault() {
                    p.circuit.failure(now);
                }
            }
        }
        core.metrics.circuit(name, p.circuit.state(now).code());
        result
    };
    retry::run(policy, attempt, |f, delay: Duration| {
        tracing::debug!(provider = name, key = %f.key_name, status = %f.status_label(), ?delay, "retrying");
        core.metrics.retry(&f.key_name, &f.status_label());
    })
    .await
}

fn note_usage(core: &Core, tier: Tier, usage: Option<&Usage>) {
    if let Some(u) = usage {
        core.metrics.tokens(tier, u.input_tokens, u.output_tokens);
    }
}

/// Hand events to the flight, noting the first token and usage.
fn forward(
    core: &Core,
    req: &ChatRequest,
    flight: &Flight,
    events: &mut Vec<StreamEvent>,
    first_seen: &mut bool,
    started: Instant,
) {
    if events.is_empty() {
        return;
    }
    for e in events.iter() {
        match e {
            StreamEvent::Delta(_) if !*first_seen => {
                core.metrics.observe_ttft(req.tier, &req.model, started.elapsed());
                *first_seen = true;
            }
            StreamEvent::Usage(u) => note_usage(core, req.tier, Some(u)),
            _ => {}
        }
    }
    flight.push(events.drain(..));
}

/// Pass an opened answer on to the flight, to its end.
async fn relay(
    core: &Core,
    p: &Provider,
    req: &ChatRequest,
    flight: &Flight,
    opened: Opened,
    started: Instant,
) -> Result<()> {
    let model = p.model_for(&req.model);
    let mut first_seen = false;
    let (mut rest, mut decoder) = match opened {
        Opened::Whole(mut reply) => {
            if reply.model.is_empty() {
                reply.model = model;
            }
            forward(core, req, flight, &mut reply.into_events(), &mut first_seen, started);
            return Ok(());
        }
        Opened::Stream { mut head, rest, decoder } => {
            forward(core, req, flight, &mut head, &mut first_seen, started);
            (rest, decoder)
        }
    };
    // One buffer for the whole answer: decoding a chunk allocates only its text.
    let mut batch = Vec::new();
    loop {
        match upstream::next_events(&mut rest, &mut decoder, core.timeouts.idle, p.kind.name(), &mut batch)
            .await
        {
            Ok(true) => forward(core, req, flight, &mut batch, &mut first_seen, started),
            Ok(false) => break,
            Err(f) => {
                let e = f.into_error();
                return Err(Error::new(e.kind(), format!("the answer broke off: {}", e.message())));
            }
        }
    }
    let done = StreamEvent::Done {
        finish_reason: decoder.finish_reason.take(),
        provider: p.kind,
        model,
        via_cepo: false,
    };
    flight.push([done]);
    Ok(())
}
