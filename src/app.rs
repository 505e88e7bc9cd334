//! The `Gogga` façade: the one type the shells (CLI, desktop, server) hold.
//! It opens the store, loads the config and finds the embedding assets; the
//! capabilities (library, chat, backups) hang their methods off it in their
//! own files, so every shell calls the same code.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::embed::Assets;
use crate::error::Result;
use crate::event::{Event, EventBus};
use crate::paths::Paths;
use crate::store::Store;

/// How to open Gogga: which folders, which config, and the desktop app's
/// bundled resources folder (ONNX Runtime and the model ship there).
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub paths: Paths,
    /// Use this config instead of reading `paths.config_file()`.
    pub config: Option<Config>,
    /// The installed app's resources (searched for the embedding assets).
    pub resource_dir: Option<PathBuf>,
}

impl OpenOptions {
    /// Folders from the environment and XDG defaults; config from its file.
    pub fn from_env() -> Result<OpenOptions> {
        Ok(OpenOptions { paths: Paths::from_env()?, config: None, resource_dir: None })
    }

    /// Everything under one root folder (tests, portable use).
    pub fn under(root: &Path) -> OpenOptions {
        OpenOptions { paths: Paths::under(root), config: None, resource_dir: None }
    }

    /// Set the bundled resources folder.
    pub fn with_resource_dir(mut self, dir: Option<PathBuf>) -> OpenOptions {
        self.resource_dir = dir;
        self
    }

    /// The config to use, and the paths after applying its `data_dir`
    /// (the environment variable still beats the file).
    pub(crate) fn resolve(&self) -> Result<(Config, Paths)> {
        let config = match &self.config {
            Some(c) => c.clone(),
            None => Config::load(&self.paths.config_file())?,
        };
        let mut paths = self.paths.clone();
        if std::env::var_os("GOGGA_DATA_DIR").is_none()
            && let Some(dir) = &config.data_dir
        {
            paths.data_dir = dir.clone();
        }
        Ok((config, paths))
    }
}

/// The core, opened. Cheap to clone; all clones share one store.
#[derive(Debug, Clone)]
pub struct Gogga {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) paths: Paths,
    pub(crate) config: Config,
    pub(crate) store: Store,
    pub(crate) events: EventBus,
    pub(crate) assets: Assets,
    /// Built once from config and the user's `router.toml`.
    pub(crate) router: crate::router::Router,
    pub(crate) gateway: crate::gateway::Gateway,
    /// Conversations, turns and the message search index.
    pub(crate) chat: crate::chat::Chat,
}

impl Gogga {
    /// Load the config, open (and migrate) the store, find the assets.
    pub async fn open(options: OpenOptions) -> Result<Gogga> {
        crate::spawn::blocking(move || Gogga::open_blocking(&options)).await
    }

    fn open_blocking(options: &OpenOptions) -> Result<Gogga> {
        let (config, paths) = options.resolve()?;
        let router = load_router(&config, &paths)?;
        let store = Store::open(&paths.database())?;
        let assets = Assets::locate(&config.embedding, &paths.cache_dir, options.resource_dir.as_deref());
        // Resolves providers and keys only; HTTP clients are built on first use.
        let gateway = crate::gateway::Gateway::new(&config.gateway)?;
        let chat = crate::chat::Chat::new(
            store.clone(),
            config.chat.clone(),
            Arc::new(crate::chat::GatewayModel::new(gateway.clone(), &config.gateway)),
            Arc::new(crate::chat::seams::NoDocuments),
        );
        let events = EventBus::new();
        events.emit(Event::Ready);
        Ok(Gogga { inner: Arc::new(Inner { paths, config, store, events, assets, router, gateway, chat }) })
    }

    /// The folders in use.
    pub fn paths(&self) -> &Paths {
        &self.inner.paths
    }

    /// The config in use.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Listen to background events.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Event> {
        self.inner.events.subscribe()
    }

    /// What the core knows about itself, for status screens.
    pub async fn status(&self) -> Result<crate::status::AppStatus> {
        let this = self.clone();
        crate::spawn::blocking(move || crate::status::collect(&this)).await
    }

    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }
}

/// The router from config plus `router.toml` when it exists (the router is
/// pure, so the file is read here).
fn load_router(config: &Config, paths: &Paths) -> Result<crate::router::Router> {
    let file = paths.router_file();
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(crate::error::Error::io(format!("reading {}", file.display()), e)),
    };
    let text = bytes.as_deref().map(|b| crate::router::decode_user_file(b, &file)).transpose()?;
    crate::router::Router::new(&config.router, text.map(|t| (t, file.as_path())))
}
