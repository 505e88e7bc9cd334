//! The router on the `Gogga` façade: `route` for the CLI and the desktop
//! (what would happen to this message, and why), and `router` for the chat
//! coordinator. The router itself is built once, in `Gogga::open`.

use serde::Serialize;

use super::{Category, Classification, Hit, LanguageGuess, Override, Route, Router, Tier, UserText};
use crate::app::Gogga;

/// One category hit, with its distinct phrases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhraseReport {
    pub category: Category,
    /// In order of first hit.
    pub phrases: Vec<String>,
}

/// What `gogga route` shows: the route, the phrases by category, every
/// hit with its byte span, and the language guess.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteReport {
    pub route: Route,
    /// Categories hit, in `Category::ALL` order.
    pub categories: Vec<PhraseReport>,
    /// Every hit, in order of start.
    pub hits: Vec<Hit>,
    pub language: LanguageGuess,
}

impl RouteReport {
    /// Put a route and the classification it came from together.
    pub fn new(route: Route, found: Classification) -> RouteReport {
        let categories = Category::ALL
            .into_iter()
            .filter(|c| found.has(*c))
            .map(|c| PhraseReport {
                category: c,
                phrases: found.phrases_of(c).into_iter().map(str::to_owned).collect(),
            })
            .collect();
        let language = route.language.clone();
        RouteReport { route, categories, hits: found.hits, language }
    }
}

impl Gogga {
    /// Route `text` as typed by the user, for `tier` (default: the plan in
    /// config) with `manual` (default: the override in config).
    pub fn route(&self, text: &str, tier: Option<Tier>, manual: Option<Override>) -> RouteReport {
        let router = self.router();
        let tier = tier.unwrap_or(router.config().plan);
        let manual = manual.unwrap_or(router.config().manual);
        let typed = UserText::typed(text);
        let found = router.classify(&typed);
        let route = router.route_classified(&typed, &found, tier, manual);
        RouteReport::new(route, found)
    }

    /// The router (keyword automaton, models, budgets) as the settings
    /// currently have it.
    pub fn router(&self) -> std::sync::Arc<Router> {
        self.inner.live.get().router
    }
}
