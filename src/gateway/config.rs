//! `[gateway]` in config.toml: providers and their keys, timeouts, retry,
//! circuit breaker, CePO and the idempotency cache. Every table denies
//! unknown keys; `validate` rejects values that would make the gateway
//! misbehave (a zero timeout, a fallback equal to the primary, a bad URL).
//! The environment is applied later, in `gateway::provider` (environment
//! beats config).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::keys::Secret;
use super::provider::ProviderKind;
use crate::error::{Error, Result};

/// `[gateway]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewayConfig {
    /// The provider every call tries first.
    pub primary: ProviderKind,
    /// Tried when the primary fails with a retryable error or its circuit is open.
    pub fallback: Option<ProviderKind>,
    /// The model `gogga chat-raw` calls when none is given (`GOGGA_MODEL` beats it).
    pub default_model: Option<String>,
    /// `"off"` ignores HTTP(S)_PROXY; a URL sends every call through it;
    /// unset follows the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY).
    pub proxy: Option<String>,
    /// TCP + TLS connect limit.
    pub connect_timeout_ms: u64,
    /// Limit for the response headers (and the whole body of a non-streamed call).
    pub first_byte_timeout_ms: u64,
    /// Limit between two stream events once streaming.
    pub idle_timeout_ms: u64,
    /// Idle keep-alive connections kept per host.
    pub pool_max_idle_per_host: usize,
    /// How long an idle connection is kept.
    pub pool_idle_timeout_ms: u64,
    pub cerebras: ProviderConfig,
    pub openrouter: ProviderConfig,
    pub custom: ProviderConfig,
    pub retry: RetryConfig,
    pub circuit: CircuitConfig,
    pub cepo: CepoConfig,
    pub cache: CacheConfig,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            primary: ProviderKind::Cerebras,
            fallback: None,
            default_model: None,
            proxy: None,
            connect_timeout_ms: 5_000,
            first_byte_timeout_ms: 60_000,
            idle_timeout_ms: 60_000,
            pool_max_idle_per_host: 32,
            pool_idle_timeout_ms: 90_000,
            cerebras: ProviderConfig::default(),
            openrouter: ProviderConfig::default(),
            custom: ProviderConfig::default(),
            retry: RetryConfig::default(),
            circuit: CircuitConfig::default(),
            cepo: CepoConfig::default(),
            cache: CacheConfig::default(),
        }
    }
}

/// `[gateway.cerebras]`, `[gateway.openrouter]`, `[gateway.custom]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProviderConfig {
    /// OpenAI-compatible base URL (ending before `/chat/completions`).
    /// Cerebras and OpenRouter have defaults; `custom` needs one.
    pub base_url: Option<String>,
    /// Named keys, used round robin.
    pub keys: Vec<KeyConfig>,
    /// Call without any key (a local Ollama or llama.cpp server).
    pub keyless: bool,
    /// Model ids to rewrite for this provider (`"qwen-3-32b" = "qwen/qwen3-32b"`).
    pub models: BTreeMap<String, String>,
}

/// One named key. The name appears in metrics and messages; the key never.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyConfig {
    pub name: String,
    pub key: Secret,
}

/// `[gateway.retry]`: `delay = min(initial * multiplier^n, max) + random(0..=jitter)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetryConfig {
    pub initial_ms: u64,
    pub multiplier: f64,
    pub max_ms: u64,
    pub jitter_ms: u64,
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Longest Retry-After (or key cool-down) we wait for; longer fails.
    pub max_retry_after_ms: u64,
    /// Cool-down of a key after a 429 that says nothing about when to come back.
    pub default_cooldown_ms: u64,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            initial_ms: 500,
            multiplier: 2.0,
            max_ms: 8_000,
            jitter_ms: 250,
            max_retries: 3,
            max_retry_after_ms: 60_000,
            default_cooldown_ms: 65_000,
        }
    }
}

/// `[gateway.circuit]`: opens after `failures` failed attempts in a row for
/// `open_ms`, then lets one probe through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CircuitConfig {
    pub failures: u32,
    pub open_ms: u64,
}

impl Default for CircuitConfig {
    fn default() -> Self {
        CircuitConfig { failures: 5, open_ms: 30_000 }
    }
}

/// `[gateway.cepo]`: the OptiLLM proxy used for JIVE and JIGGA when enabled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CepoConfig {
    pub enabled: bool,
    /// OpenAI-compatible base URL of the proxy (`GOGGA_CEPO_URL` beats it).
    pub url: String,
    /// Sent as `optillm_approach` in the body.
    pub approach: String,
    /// Limit for the whole CePO answer (it answers in one late chunk).
    pub timeout_ms: u64,
    /// How long a failed health check or call keeps CePO skipped.
    pub skip_ms: u64,
    /// How long a passed health check is trusted.
    pub health_ttl_ms: u64,
}

impl Default for CepoConfig {
    fn default() -> Self {
        CepoConfig {
            enabled: false,
            url: "http://127.0.0.1:8000/v1".into(),
            approach: "cepo".into(),
            timeout_ms: 120_000,
            skip_ms: 60_000,
            health_ttl_ms: 30_000,
        }
    }
}

/// `[gateway.cache]`: the idempotency cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CacheConfig {
    pub chat_ttl_ms: u64,
    pub media_ttl_ms: u64,
    /// Most replies kept (in flight or done).
    pub capacity: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig { chat_ttl_ms: 5 * 60_000, media_ttl_ms: 60 * 60_000, capacity: 10_000 }
    }
}

fn positive(name: &str, value: u64) -> Result<()> {
    if value == 0 { Err(Error::config(format!("gateway.{name} must be greater than 0"))) } else { Ok(()) }
}

/// A base URL must be absolute http(s).
pub(crate) fn check_url(what: &str, url: &str) -> Result<()> {
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        Ok(_) => Err(Error::config(format!("{what} = {url:?}: must be an http:// or https:// URL"))),
        Err(e) => Err(Error::config(format!("{what} = {url:?}: {e}"))),
    }
}

impl GatewayConfig {
    /// The config table of `kind`.
    pub fn provider(&self, kind: ProviderKind) -> &ProviderConfig {
        match kind {
            ProviderKind::Cerebras => &self.cerebras,
            ProviderKind::OpenRouter => &self.openrouter,
            ProviderKind::Custom => &self.custom,
        }
    }

    /// The config table of `kind`, to change it.
    pub fn provider_mut(&mut self, kind: ProviderKind) -> &mut ProviderConfig {
        match kind {
            ProviderKind::Cerebras => &mut self.cerebras,
            ProviderKind::OpenRouter => &mut self.openrouter,
            ProviderKind::Custom => &mut self.custom,
        }
    }

    /// Cross-field checks.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("connect_timeout_ms", self.connect_timeout_ms),
            ("first_byte_timeout_ms", self.first_byte_timeout_ms),
            ("idle_timeout_ms", self.idle_timeout_ms),
            ("cepo.timeout_ms", self.cepo.timeout_ms),
            ("cache.chat_ttl_ms", self.cache.chat_ttl_ms),
            ("cache.media_ttl_ms", self.cache.media_ttl_ms),
            ("cache.capacity", self.cache.capacity),
            ("circuit.failures", u64::from(self.circuit.failures)),
            ("circuit.open_ms", self.circuit.open_ms),
        ] {
            positive(name, v)?;
        }
        let r = &self.retry;
        if !(r.multiplier.is_finite() && r.multiplier >= 1.0) {
            return Err(Error::config("gateway.retry.multiplier must be a number of at least 1"));
        }
        if r.max_ms < r.initial_ms {
            return Err(Error::config("gateway.retry.max_ms must not be below gateway.retry.initial_ms"));
        }
        if self.fallback == Some(self.primary) {
            return Err(Error::config("gateway.fallback must differ from gateway.primary"));
        }
        if let Some(p) = &self.proxy
            && p != "off"
        {
            check_url("gateway.proxy", p)?;
        }
        check_url("gateway.cepo.url", &self.cepo.url)?;
        for kind in ProviderKind::ALL {
            let p = self.provider(kind);
            if let Some(url) = &p.base_url {
                check_url(&format!("gateway.{}.base_url", kind.name()), url)?;
            }
            let mut names = std::collections::BTreeSet::new();
            for k in &p.keys {
                if k.name.trim().is_empty() || k.key.expose().trim().is_empty() {
                    return Err(Error::config(format!(
                        "gateway.{}.keys: every key needs a name and a key",
                        kind.name()
                    )));
                }
                if !names.insert(k.name.as_str()) {
                    return Err(Error::config(format!(
                        "gateway.{}.keys: the name {:?} is used twice",
                        kind.name(),
                        k.name
                    )));
                }
            }
        }
        Ok(())
    }
}
