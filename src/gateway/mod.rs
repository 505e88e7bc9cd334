//! The model gateway, sole owner of reqwest: calls OpenAI-compatible chat
//! providers (Cerebras by default, OpenRouter, any base URL such as a local
//! Ollama, llama.cpp or LiteLLM), streaming or not.
//!
//! [`Gateway`] is cheap to clone. Per call ([`Gateway::stream`],
//! [`Gateway::complete`]) it:
//! 1. joins the call already running or done for the same
//!    `chat:{profile}:{request_id}` (single flight, `idempotency`), or
//!    starts one (`dispatch`) that the readers' streams drive (`flight`);
//! 2. for JIVE/JIGGA with CePO enabled and healthy, asks CePO with the
//!    un-enhanced messages; on any CePO error, falls back to the direct call
//!    with the enhanced ones (`cepo`);
//! 3. calls the primary provider with one pooled client per provider
//!    (`provider`), rotating named keys and cooling rate-limited ones
//!    (`keys`), retrying with backoff and jitter up to the first token
//!    (`retry`), behind a circuit breaker (`circuit`); then the fallback;
//! 4. streams the answer (`sse` splits events, `upstream` decodes them),
//!    records metrics (`metrics`), and aborts the upstream call when the
//!    last reader drops.
//!
//! [`TokenCounter`] (`tokens`) counts tokens for context budgets.

mod cepo;
mod circuit;
mod config;
mod dispatch;
mod facade;
mod flight;
mod idempotency;
mod keys;
mod metrics;
mod provider;
mod reply;
mod request;
mod retry;
mod sse;
pub mod tokens;
mod upstream;
mod wire;

#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::{Duration, Instant};

pub use circuit::CircuitState;
pub use config::{
    CacheConfig, CepoConfig, CircuitConfig, GatewayConfig, KeyConfig, ProviderConfig, RetryConfig,
};
pub use facade::RawChat;
pub use idempotency::{MemorySharedCache, SharedCache};
pub use keys::Secret;
pub use metrics::{LatencyHistogram, Metrics, MetricsSnapshot};
pub use provider::ProviderKind;
pub use reply::{ChatStream, Completion, Interrupted, StreamEvent, TimeInfo, Usage, partial_text};
pub use request::{ChatRequest, Message, Role};
pub use tokens::TokenCounter;

use crate::error::{Error, ErrorKind, Result};
use flight::Flight;
use idempotency::Flights;
use provider::{ClientSettings, Provider};

/// What a status screen may know about a provider (never its keys).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProviderStatus {
    pub kind: ProviderKind,
    pub role: &'static str,
    pub base_url: Option<String>,
    pub key_names: Vec<String>,
    pub usable: bool,
}

/// Everything the gateway shares between clones and tasks.
pub(crate) struct Core {
    /// The primary first, then the fallback when one is configured.
    pub(crate) providers: Vec<Provider>,
    pub(crate) cepo: Option<cepo::Cepo>,
    pub(crate) flights: Flights,
    pub(crate) shared: Option<Arc<dyn SharedCache>>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) tokens: TokenCounter,
    pub(crate) retry: retry::Policy,
    pub(crate) timeouts: upstream::Timeouts,
    pub(crate) default_cooldown: Duration,
    chat_ttl: Duration,
    media_ttl: Duration,
    default_model: Option<String>,
}

/// The model gateway. Cheap to clone; clones share clients, caches and metrics.
#[derive(Clone)]
pub struct Gateway {
    core: Arc<Core>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway").field("providers", &self.providers()).finish_non_exhaustive()
    }
}

/// Looks an environment variable up.
type EnvLookup = Box<dyn Fn(&str) -> Option<String>>;

/// Builds a [`Gateway`]: config, where the environment comes from, a shared cache.
pub struct GatewayBuilder {
    config: GatewayConfig,
    env: EnvLookup,
    shared: Option<Arc<dyn SharedCache>>,
    metrics: Option<Arc<Metrics>>,
}

impl GatewayBuilder {
    /// Look environment variables up with `env` instead of the process environment.
    pub fn env(mut self, env: impl Fn(&str) -> Option<String> + 'static) -> GatewayBuilder {
        self.env = Box::new(env);
        self
    }

    /// Share finished replies with other instances through `cache`.
    pub fn shared_cache(mut self, cache: Arc<dyn SharedCache>) -> GatewayBuilder {
        self.shared = Some(cache);
        self
    }

    /// Keep counting into `metrics` (a gateway rebuilt after a settings
    /// change keeps the counters of the one it replaces).
    pub fn metrics(mut self, metrics: Arc<Metrics>) -> GatewayBuilder {
        self.metrics = Some(metrics);
        self
    }

    /// Resolve providers and keys. No client is built and nothing is
    /// called until the first request.
    pub fn build(self) -> Result<Gateway> {
        let c = &self.config;
        c.validate()?;
        let settings = ClientSettings {
            connect_timeout: Duration::from_millis(c.connect_timeout_ms),
            pool_max_idle_per_host: c.pool_max_idle_per_host,
            pool_idle_timeout: Duration::from_millis(c.pool_idle_timeout_ms),
            proxy: c.proxy.clone(),
        };
        let env = &*self.env;
        let mut providers = vec![Provider::resolve(c.primary, c, settings.clone(), env)?];
        if let Some(fallback) = c.fallback {
            providers.push(Provider::resolve(fallback, c, settings.clone(), env)?);
        }
        let metrics = self.metrics.unwrap_or_default();
        for p in &providers {
            metrics.circuit(p.kind.name(), CircuitState::Closed.code());
        }
        let core = Core {
            providers,
            cepo: cepo::Cepo::resolve(&c.cepo, settings, env)?,
            flights: Flights::new(c.cache.capacity),
            shared: self.shared,
            metrics,
            tokens: TokenCounter::new(),
            retry: retry::Policy::from_config(&c.retry),
            timeouts: upstream::Timeouts {
                first_byte: Duration::from_millis(c.first_byte_timeout_ms),
                idle: Duration::from_millis(c.idle_timeout_ms),
            },
            default_cooldown: Duration::from_millis(c.retry.default_cooldown_ms),
            chat_ttl: Duration::from_millis(c.cache.chat_ttl_ms),
            media_ttl: Duration::from_millis(c.cache.media_ttl_ms),
            default_model: env("GOGGA_MODEL")
                .filter(|m| !m.trim().is_empty())
                .or_else(|| c.default_model.clone()),
        };
        Ok(Gateway { core: Arc::new(core) })
    }
}

impl Gateway {
    /// A gateway from `config` and the process environment.
    pub fn new(config: &GatewayConfig) -> Result<Gateway> {
        Gateway::builder(config.clone()).build()
    }

    /// A builder, reading the process environment unless told otherwise.
    pub fn builder(config: GatewayConfig) -> GatewayBuilder {
        GatewayBuilder { config, env: Box::new(|k| std::env::var(k).ok()), shared: None, metrics: None }
    }

    /// Whether any model provider can be called (chat answers from search
    /// alone when not).
    pub fn is_configured(&self) -> bool {
        self.core.providers.iter().any(Provider::is_usable)
    }

    /// The model for calls that name none (`GOGGA_MODEL`, then config).
    pub fn default_model(&self) -> Option<&str> {
        self.core.default_model.as_deref()
    }

    /// The providers in order, without secrets.
    pub fn providers(&self) -> Vec<ProviderStatus> {
        self.core
            .providers
            .iter()
            .enumerate()
            .map(|(i, p)| ProviderStatus {
                kind: p.kind,
                role: if i == 0 { "primary" } else { "fallback" },
                base_url: p.base_url.clone(),
                key_names: p.keys.names(),
                usable: p.is_usable(),
            })
            .collect()
    }

    /// Stream an answer. Returns at once with a stream that runs the call
    /// (or joins an identical one) as it is read: read it to make progress.
    /// Dropping the stream aborts the upstream call unless another identical
    /// request reads it.
    pub async fn stream(&self, req: ChatRequest) -> Result<ChatStream> {
        self.start(req, true).await
    }

    /// A whole answer (non-streamed upstream unless an identical streamed
    /// call is already running, which it then shares).
    pub async fn complete(&self, req: ChatRequest) -> Result<Completion> {
        self.start(req, false).await?.collect().await
    }

    /// The metrics, for tests and the façade.
    pub fn metrics(&self) -> &Metrics {
        &self.core.metrics
    }

    /// The shared metrics handle (a rebuilt gateway keeps counting into it).
    pub(crate) fn metrics_handle(&self) -> Arc<Metrics> {
        Arc::clone(&self.core.metrics)
    }

    /// All metrics in Prometheus text format.
    pub fn metrics_text(&self) -> String {
        let now = Instant::now();
        for p in &self.core.providers {
            self.core.metrics.circuit(p.kind.name(), p.circuit.state(now).code());
        }
        self.core.metrics.render()
    }

    /// The token counter for context budgets.
    pub fn tokens(&self) -> &TokenCounter {
        &self.core.tokens
    }

    async fn start(&self, req: ChatRequest, stream: bool) -> Result<ChatStream> {
        req.check()?;
        if !self.is_configured() {
            let why = self.core.providers[0].not_usable_reason();
            return Err(Error::new(
                ErrorKind::NotConfigured,
                format!("no model provider is configured: {why}"),
            ));
        }
        let key = req.idempotency_key();
        let ttl = if req.media { self.core.media_ttl } else { self.core.chat_ttl };
        // Only called when no live flight has this key, under the map's lock:
        // building the flight and its (not yet polled) driver does no I/O.
        let start = || {
            let flight = Arc::new(Flight::new(key.clone(), ttl, Arc::clone(&self.core.metrics)));
            let driver = dispatch::drive(Arc::clone(&self.core), req, Arc::clone(&flight), stream);
            flight.set_driver(Box::pin(driver));
            flight
        };
        let (reader, fresh) = self.core.flights.join_or_start(&key, start);
        if !fresh {
            self.core.metrics.idempotent_hit();
        }
        Ok(ChatStream::new(reader))
    }
}
