//! The closed set of providers ([`ProviderKind`]) and a resolved
//! [`Provider`]: base URL and keys after the environment is applied
//! (environment beats config), its circuit breaker, and ONE pooled
//! `reqwest::Client` built on first use (keep-alive pool, HTTP/2 where the
//! server offers it over TLS, connect timeout, proxy from config or the
//! environment) and reused for every call. Also the request body: Cerebras
//! gets `max_completion_tokens` (it charges it up front, so it is always
//! set), the others `max_tokens`.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Duration;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::circuit::Circuit;
use super::config::{GatewayConfig, check_url};
use super::keys::{KeyRing, Secret, parse_key_list};
use super::request::{ChatRequest, Message};
use crate::error::{Error, ErrorKind, Result};

/// An OpenAI-compatible chat provider.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// Cerebras (`https://api.cerebras.ai/v1`), the default.
    #[default]
    Cerebras,
    /// OpenRouter (`https://openrouter.ai/api/v1`).
    OpenRouter,
    /// Any OpenAI-compatible base URL: a local Ollama or llama.cpp, LiteLLM.
    Custom,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 3] =
        [ProviderKind::Cerebras, ProviderKind::OpenRouter, ProviderKind::Custom];

    /// The name used in config, metrics and messages.
    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::Cerebras => "cerebras",
            ProviderKind::OpenRouter => "openrouter",
            ProviderKind::Custom => "custom",
        }
    }

    pub(crate) fn default_base_url(self) -> Option<&'static str> {
        match self {
            ProviderKind::Cerebras => Some("https://api.cerebras.ai/v1"),
            ProviderKind::OpenRouter => Some("https://openrouter.ai/api/v1"),
            ProviderKind::Custom => None,
        }
    }

    /// (base URL variable, key list variable, single key variable).
    pub(crate) fn env_names(self) -> (Option<&'static str>, Option<&'static str>, Option<&'static str>) {
        match self {
            ProviderKind::Cerebras => {
                (Some("GOGGA_CEREBRAS_BASE_URL"), Some("CEREBRAS_API_KEYS"), Some("CEREBRAS_API_KEY"))
            }
            ProviderKind::OpenRouter => (Some("GOGGA_OPENROUTER_BASE_URL"), None, Some("OPENROUTER_API_KEY")),
            ProviderKind::Custom => (None, None, None),
        }
    }
}

/// Client settings shared by all providers.
#[derive(Debug, Clone)]
pub(crate) struct ClientSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) pool_max_idle_per_host: usize,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) proxy: Option<String>,
}

/// A provider ready to call.
#[derive(Debug)]
pub(crate) struct Provider {
    pub(crate) kind: ProviderKind,
    pub(crate) base_url: Option<String>,
    /// `{base}/chat/completions`, formatted once.
    chat_url: Option<String>,
    pub(crate) keys: KeyRing,
    pub(crate) circuit: Circuit,
    models: BTreeMap<String, String>,
    settings: ClientSettings,
    client: OnceLock<reqwest::Client>,
}

impl Provider {
    /// Apply the environment (`env` looks a variable up) to `kind`'s config.
    pub(crate) fn resolve(
        kind: ProviderKind,
        config: &GatewayConfig,
        settings: ClientSettings,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Provider> {
        let pc = config.provider(kind);
        let (url_var, list_var, key_var) = kind.env_names();
        let base_url = match url_var.and_then(env).filter(|v| !v.trim().is_empty()) {
            Some(url) => {
                let url = url.trim().to_owned();
                check_url(url_var.unwrap_or("base URL"), &url)?;
                Some(url)
            }
            None => pc.base_url.clone().or_else(|| kind.default_base_url().map(str::to_owned)),
        };
        let from_env = |var: Option<&'static str>| -> Option<(&'static str, String)> {
            var.and_then(|v| env(v).map(|t| (v, t))).filter(|(_, t)| !t.trim().is_empty())
        };
        let keys: Vec<(String, Secret)> = if let Some((var, list)) = from_env(list_var) {
            parse_key_list(var, &list)?
        } else if let Some((_, key)) = from_env(key_var) {
            vec![("env".to_owned(), Secret::new(key.trim()))]
        } else {
            pc.keys.iter().map(|k| (k.name.clone(), k.key.clone())).collect()
        };
        let chat_url = base_url.as_ref().map(|b| format!("{}/chat/completions", b.trim_end_matches('/')));
        Ok(Provider {
            kind,
            base_url,
            chat_url,
            keys: KeyRing::new(keys, pc.keyless),
            circuit: Circuit::new(config.circuit.failures, Duration::from_millis(config.circuit.open_ms)),
            models: pc.models.clone(),
            settings,
            client: OnceLock::new(),
        })
    }

    /// Has a base URL and a key (or is keyless).
    pub(crate) fn is_usable(&self) -> bool {
        self.base_url.is_some() && self.keys.is_usable()
    }

    /// Why it cannot be used, for the error a caller sees.
    pub(crate) fn not_usable_reason(&self) -> String {
        match self.kind {
            _ if self.base_url.is_none() => format!("gateway.{}.base_url is not set", self.kind.name()),
            ProviderKind::Cerebras => {
                "no Cerebras key: set CEREBRAS_API_KEY (or CEREBRAS_API_KEYS=key:name,...) \
                                       or [gateway.cerebras] keys"
                    .into()
            }
            ProviderKind::OpenRouter => {
                "no OpenRouter key: set OPENROUTER_API_KEY or [gateway.openrouter] keys".into()
            }
            ProviderKind::Custom => {
                "no key for the custom provider: add [gateway.custom] keys or keyless = true".into()
            }
        }
    }

    /// The shared client, built on first use.
    pub(crate) fn client(&self) -> Result<&reqwest::Client> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let built = build_client(&self.settings)?;
        Ok(self.client.get_or_init(|| built))
    }

    /// `{base}/chat/completions`.
    pub(crate) fn chat_url(&self) -> Option<&str> {
        self.chat_url.as_deref()
    }

    /// The model id this provider knows the request's model by.
    pub(crate) fn model_for(&self, model: &str) -> String {
        self.model_name(model).to_owned()
    }

    fn model_name<'a>(&'a self, model: &'a str) -> &'a str {
        self.models.get(model).map_or(model, String::as_str)
    }

    /// The JSON body of a chat call, encoded once (retries resend the same
    /// bytes) straight from the request, without a `Value` tree in between.
    pub(crate) fn body(
        &self,
        req: &ChatRequest,
        messages: &[Message],
        stream: bool,
    ) -> serde_json::Result<Bytes> {
        let cerebras = self.kind == ProviderKind::Cerebras;
        let body = Body {
            model: self.model_name(&req.model),
            messages,
            stream,
            temperature: sampling(req.temperature),
            max_tokens: (!cerebras).then_some(req.max_tokens),
            max_completion_tokens: cerebras.then_some(req.max_tokens),
            top_p: req.top_p.map(sampling),
            // Cerebras sends usage on its own; OpenAI-style servers need asking.
            stream_options: (stream && !cerebras).then_some(StreamOptions { include_usage: true }),
        };
        serde_json::to_vec(&body).map(Bytes::from)
    }
}

/// What a chat call sends. Cerebras gets `max_completion_tokens` (it
/// charges it up front, so it is always set), the others `max_tokens`.
#[derive(Serialize)]
struct Body<'a> {
    model: &'a str,
    messages: &'a [Message],
    stream: bool,
    temperature: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_completion_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    top_p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_options: Option<StreamOptions>,
}

#[derive(Serialize)]
struct StreamOptions {
    include_usage: bool,
}

/// An f32 setting as the decimal people wrote (0.6, not 0.6000000238).
pub(crate) fn sampling(v: f32) -> f64 {
    (f64::from(v) * 1e6).round() / 1e6
}

/// Build one pooled client.
pub(crate) fn build_client(s: &ClientSettings) -> Result<reqwest::Client> {
    let mut b = reqwest::Client::builder()
        .user_agent(concat!("gogga/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(s.connect_timeout)
        .pool_max_idle_per_host(s.pool_max_idle_per_host)
        .pool_idle_timeout(s.pool_idle_timeout)
        .tcp_nodelay(true)
        .tcp_keepalive(Duration::from_secs(30))
        .http2_adaptive_window(true)
        .http2_keep_alive_interval(Duration::from_secs(30))
        .http2_keep_alive_while_idle(true);
    match s.proxy.as_deref() {
        None => {}
        Some("off") => b = b.no_proxy(),
        Some(url) => {
            let proxy =
                reqwest::Proxy::all(url).map_err(|e| Error::config(format!("gateway.proxy {url:?}: {e}")))?;
            b = b.proxy(proxy);
        }
    }
    b.build().map_err(|e| {
        Error::new(ErrorKind::Internal, format!("cannot build the HTTP client: {e}")).with_source(e)
    })
}
