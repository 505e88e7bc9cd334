//! The parts of the core that follow the settings while it runs: the
//! config, the router built from it and the gateway with its providers and
//! keys. They are swapped together under one lock when settings change, so
//! a call always sees one consistent set; a call already running keeps the
//! set it started with (everything here is reference-counted). Metrics
//! carry over to the rebuilt gateway.

use std::sync::{Arc, PoisonError, RwLock};

use crate::config::Config;
use crate::error::Result;
use crate::gateway::Gateway;
use crate::paths::Paths;
use crate::router::Router;

/// One consistent set of live parts.
#[derive(Debug, Clone)]
pub(crate) struct Live {
    pub(crate) config: Arc<Config>,
    pub(crate) router: Arc<Router>,
    pub(crate) gateway: Gateway,
}

impl Live {
    /// Build from `config`, the user's `router.toml` and the app's stored
    /// keys. A broken key file is logged and skipped (settings show it),
    /// so the app still opens and can be fixed from the settings screen.
    pub(crate) fn build(config: Config, paths: &Paths, previous: Option<&Live>) -> Result<Live> {
        let router = load_router(&config, paths)?;
        let stored = match crate::settings::KeyStore::for_config_dir(&paths.config_dir).load() {
            Ok(keys) => keys,
            Err(e) => {
                tracing::warn!("API keys stored by the app are not used: {e}");
                Default::default()
            }
        };
        let gateway_config = crate::settings::effective_gateway(&config.gateway, &stored);
        let mut builder = Gateway::builder(gateway_config);
        if let Some(prev) = previous {
            builder = builder.metrics(prev.gateway.metrics_handle());
        }
        // Resolves providers and keys only; HTTP clients are built on first use.
        let gateway = builder.build()?;
        Ok(Live { config: Arc::new(config), router: Arc::new(router), gateway })
    }
}

/// The lock around the live parts.
#[derive(Debug)]
pub(crate) struct LiveCell(RwLock<Live>);

impl LiveCell {
    pub(crate) fn new(live: Live) -> LiveCell {
        LiveCell(RwLock::new(live))
    }

    /// The current set (a cheap clone of three handles).
    pub(crate) fn get(&self) -> Live {
        self.0.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replace the set.
    pub(crate) fn set(&self, live: Live) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = live;
    }
}

/// The router from config plus `router.toml` when it exists (the router is
/// pure, so the file is read here).
fn load_router(config: &Config, paths: &Paths) -> Result<Router> {
    let file = paths.router_file();
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(crate::error::Error::io(format!("reading {}", file.display()), e)),
    };
    let text = bytes.as_deref().map(|b| crate::router::decode_user_file(b, &file)).transpose()?;
    Router::new(&config.router, text.map(|t| (t, file.as_path())))
}
