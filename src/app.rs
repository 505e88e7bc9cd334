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
    /// Take part in leader election and run the library's workers
    /// (`false` for short read-only commands such as `gogga search`).
    pub workers: bool,
    /// Use these embedders instead of loading models (tests): the first
    /// makes new vectors; the others serve searches over older vectors.
    pub embedders: Vec<Arc<dyn crate::embed::Embedder>>,
    /// Run scheduled backups while open (the desktop app; not one-shot CLI
    /// commands, which would otherwise start a backup and wait for it).
    pub backup_schedule: bool,
}

impl OpenOptions {
    /// Folders from the environment and XDG defaults; config from its file.
    pub fn from_env() -> Result<OpenOptions> {
        Ok(OpenOptions {
            paths: Paths::from_env()?,
            config: None,
            resource_dir: None,
            workers: true,
            embedders: Vec::new(),
            backup_schedule: false,
        })
    }

    /// Everything under one root folder (tests, portable use).
    pub fn under(root: &Path) -> OpenOptions {
        OpenOptions {
            paths: Paths::under(root),
            config: None,
            resource_dir: None,
            workers: true,
            embedders: Vec::new(),
            backup_schedule: false,
        }
    }

    /// Run the backup schedule while open (see `[backup]` in config).
    pub fn with_backup_schedule(mut self, on: bool) -> OpenOptions {
        self.backup_schedule = on;
        self
    }

    /// Set the bundled resources folder.
    pub fn with_resource_dir(mut self, dir: Option<PathBuf>) -> OpenOptions {
        self.resource_dir = dir;
        self
    }

    /// Do not run the library's workers in this process (read-only use).
    pub fn without_workers(mut self) -> OpenOptions {
        self.workers = false;
        self
    }

    /// Embed with `embedder` instead of loading a model; the first one
    /// added makes new vectors.
    pub fn with_embedder(mut self, embedder: Arc<dyn crate::embed::Embedder>) -> OpenOptions {
        self.embedders.push(embedder);
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
    /// Config, router and gateway: rebuilt together when settings change.
    pub(crate) live: Arc<crate::live::LiveCell>,
    pub(crate) store: Store,
    pub(crate) events: EventBus,
    pub(crate) assets: Assets,
    /// The document library (its threads stop when this drops).
    pub(crate) library: crate::ingest::LibraryHandle,
    pub(crate) backup: crate::backup::Runtime,
    /// Conversations, turns and the message search index.
    pub(crate) chat: crate::chat::Chat,
}

impl Gogga {
    /// Load the config, open (and migrate) the store, find the assets.
    pub async fn open(options: OpenOptions) -> Result<Gogga> {
        let schedule = options.backup_schedule;
        let gogga = crate::spawn::blocking(move || Gogga::open_blocking(&options)).await?;
        if schedule {
            crate::backup::schedule::start(&gogga);
        }
        Ok(gogga)
    }

    fn open_blocking(options: &OpenOptions) -> Result<Gogga> {
        let (config, paths) = options.resolve()?;
        // Held while open: a restore waits for every core to close.
        let backup = crate::backup::Runtime::open(&paths.data_dir)?;
        let store = Store::open(&paths.database())?;
        let assets = Assets::locate(&config.embedding, &paths.cache_dir, options.resource_dir.as_deref());
        let events = EventBus::new();
        let library = crate::ingest::Library::open(
            store.clone(),
            events.clone(),
            crate::ingest::Settings {
                data_dir: paths.data_dir.clone(),
                cache_dir: paths.cache_dir.clone(),
                resource_dir: options.resource_dir.clone(),
                library: config.library.clone(),
                embedding: config.embedding.clone(),
                workers: options.workers,
                embedders: options.embedders.clone(),
                limits: crate::ingest::pipeline::Limits::default(),
            },
        )?;
        let chat_config = config.chat.clone();
        let live = Arc::new(crate::live::LiveCell::new(crate::live::Live::build(config, &paths, None)?));
        events.emit(Event::Ready);
        let chat = crate::chat::Chat::new(
            store.clone(),
            chat_config,
            Arc::new(crate::chat::GatewayModel::live(Arc::clone(&live))),
            Arc::new(crate::chat::LibraryRetrieve::new(Arc::clone(&library.0), Arc::clone(&live))),
        );
        Ok(Gogga { inner: Arc::new(Inner { paths, live, store, events, assets, library, backup, chat }) })
    }

    /// The folders in use.
    pub fn paths(&self) -> &Paths {
        &self.inner.paths
    }

    /// The config in use (a snapshot: settings changes swap it).
    pub fn config(&self) -> Arc<Config> {
        self.inner.live.get().config
    }

    /// Use `next` from now on: rebuild the router and the gateway, and
    /// (with `save`) write it to config.toml first. Nothing changes when
    /// building or saving fails. Blocking (file I/O).
    pub(crate) fn reconfigure(&self, next: Config, save: bool) -> Result<()> {
        let current = self.inner.live.get();
        let live = crate::live::Live::build(next, &self.inner.paths, Some(&current))?;
        if save {
            let text = toml::to_string_pretty(&*live.config)
                .map_err(|e| crate::Error::internal(format!("writing the config: {e}")))?;
            let header = "# Gogga's settings. Edited by the app; unknown keys are errors.\n";
            crate::settings::keystore::write_private(
                &self.inner.paths.config_file(),
                format!("{header}{text}").as_bytes(),
            )?;
        }
        self.inner.live.set(live);
        Ok(())
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
