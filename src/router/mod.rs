//! The tier router: pure code (no I/O, no clock) that classifies what the
//! user typed, in one pass, into a route (layer, model, budget, sampling,
//! enhancements, flags), detects which of South Africa's eleven official
//! languages it is written in, and assembles the prompts.
//!
//! - [`Router`] is built once at start-up (see `Gogga::open`) from the config
//!   and the user's `router.toml`; it holds the one Aho-Corasick automaton
//!   over every keyword set ([`keywords`], data in `keywords.toml`).
//! - [`Router::classify`] finds the phrases on word boundaries
//!   ([`matcher`]); [`Router::route`] applies the decision order ([`route`]).
//! - [`language::detect`] guesses the language; [`prompt`] builds the system
//!   prompt and the user message.
//!
//! Only [`UserText`] can be classified, and the only way to make one is
//! [`UserText::typed`]: retrieved passages and memory are plain strings and
//! cannot reach the classifier by accident (the original classified the
//! augmented prompt, so words inside documents flipped the model).

mod config;
mod facade;
pub mod keywords;
pub mod language;
pub mod matcher;
pub mod prompt;
pub mod route;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use config::{Models, RouterConfig, SamplingConfig, TokenLimits};
pub use facade::{PhraseReport, RouteReport};
pub use keywords::{Category, CategorySet, KeywordSets, decode_user_file};
pub use language::{Lang, LanguageGuess};
pub use matcher::{Classification, Hit, NaiveMatcher};
pub use route::{Enhancements, IMAGE_PREFIX_CHARS, Layer, Reason, Route, RouteFlags};

use crate::error::Result;

/// The user's plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    #[default]
    Free,
    Jive,
    Jigga,
}

/// A manual choice that beats the router.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Override {
    #[default]
    Auto,
    Fast,
    Max,
}

/// What the user typed into the message box, and nothing else. There is
/// deliberately no `From<String>`: building one is a visible decision.
///
/// ```compile_fail,E0277
/// // No conversion from a plain string: a retrieved passage cannot slip in.
/// let text: gogga::router::UserText = String::from("passage").into();
/// ```
///
/// ```compile_fail,E0308
/// // Nor can a plain string be classified.
/// # let router = gogga::router::Router::new(&Default::default(), None).unwrap();
/// router.classify("The Constitution and POPIA...");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserText(String);

impl UserText {
    /// Wrap the text the user typed. Never pass retrieved passages, memory
    /// or an assembled prompt here.
    pub fn typed(text: impl Into<String>) -> UserText {
        UserText(text.into())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The router, built once: the automaton and the routing config.
pub struct Router {
    config: RouterConfig,
    sets: KeywordSets,
    matcher: matcher::PhraseMatcher,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Counts, not the hundreds of phrases.
        let sizes: Vec<(Category, usize)> =
            Category::ALL.iter().map(|c| (*c, self.sets.phrases(*c).len())).collect();
        f.debug_struct("Router")
            .field("config", &self.config)
            .field("phrases", &sizes)
            .field("matcher", &self.matcher)
            .finish()
    }
}

impl Router {
    /// Build from the config and, when the user has one, the text of
    /// `router.toml` with its path (for error messages). Errors name the
    /// file and line of an unknown category or key, an empty phrase, a
    /// phrase removed that is not listed, or a TOML syntax error.
    pub fn new(config: &RouterConfig, user_overrides_toml: Option<(&str, &Path)>) -> Result<Router> {
        config.validate()?;
        let mut sets = KeywordSets::defaults()?;
        if let Some((text, path)) = user_overrides_toml {
            sets.apply_overrides(text, path)?;
        }
        Router::with_keywords(config, sets)
    }

    /// Build from explicit keyword sets (tests, benchmarks, tools).
    pub fn with_keywords(config: &RouterConfig, sets: KeywordSets) -> Result<Router> {
        config.validate()?;
        let matcher = matcher::PhraseMatcher::new(&sets)?;
        Ok(Router { config: config.clone(), sets, matcher })
    }

    /// Every phrase hit in the text, with its categories and byte span, in
    /// one pass of the automaton.
    pub fn classify(&self, text: &UserText) -> Classification {
        self.matcher.classify(text.as_str())
    }

    /// Classify, detect the language, and decide the route.
    pub fn route(&self, text: &UserText, tier: Tier, manual: Override) -> Route {
        let found = self.classify(text);
        self.route_classified(text, &found, tier, manual)
    }

    /// Decide the route from a classification already made for `text`.
    pub fn route_classified(
        &self,
        text: &UserText,
        found: &Classification,
        tier: Tier,
        manual: Override,
    ) -> Route {
        let language = language::detect(text);
        route::decide(&self.config, text.as_str(), found, language, tier, manual)
    }

    /// The keyword sets in use (defaults plus the user's edits).
    pub fn keywords(&self) -> &KeywordSets {
        &self.sets
    }

    /// The routing config in use.
    pub fn config(&self) -> &RouterConfig {
        &self.config
    }
}
