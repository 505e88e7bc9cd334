//! From a classification to a [`Route`]: layer, model, budget, sampling,
//! local enhancements and flags, in the decision order of PRODUCT.md §1.
//!
//! 1. FREE: an image phrase in the first 200 characters → the image route;
//!    otherwise free text. A manual override has no effect on FREE (it
//!    would buy a paid model); the route says so in `flags`.
//! 2. JIVE / JIGGA: a manual Fast or Max beats everything below. Then an
//!    image phrase in the first 200 characters → the image route (a paid
//!    plan gets at least what FREE gets). Then `complex`, then Bantu
//!    (`sa_language` phrases, or a confident detection of a Bantu
//!    language), then `complex_output` → the big model; otherwise the fast.
//! 3. Budget: FREE always `tokens.free`. Paid: the layer's base, or its
//!    extended budget when the user asked for long output
//!    (`extended_output`) or a formal document (`document_analysis`, which
//!    also sets `formal_report`).
//!
//! Local enhancements (re2, cot_reflection, planning) belong to text routes
//! only and never to a request that goes through CePO, which enhances on
//! its own: [`Route::enhancements_for`] is the one place that decides.

use serde::Serialize;

use super::config::RouterConfig;
use super::keywords::{Category, CategorySet};
use super::language::LanguageGuess;
use super::matcher::Classification;
use super::{Override, Tier};

/// How many characters from the start of the message the image check reads.
pub const IMAGE_PREFIX_CHARS: usize = 200;

/// Which kind of call the message becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// FREE text.
    FreeText,
    /// Paid, fast model.
    Fast,
    /// Paid, big model.
    Big,
    /// Image generation.
    Image,
}

/// Why the router chose the layer (one value, for people and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// FREE, no image phrase in the first 200 characters.
    FreeText,
    /// An image phrase in the first 200 characters.
    Image,
    /// The user chose Fast.
    OverrideFast,
    /// The user chose Max.
    OverrideMax,
    /// A `complex` phrase.
    Complex,
    /// An `sa_language` phrase.
    SaLanguage,
    /// No phrase, but the text reads confidently as a Bantu language.
    SaLanguageDetected,
    /// A `complex_output` phrase.
    ComplexOutput,
    /// Nothing special: the fast model.
    Default,
}

/// The local OptiLLM-style enhancements a direct call gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Enhancements {
    /// Repeat user text over 50 characters after "Read the question again:".
    pub re2: bool,
    /// Ask for thinking / reflection / output sections.
    pub cot_reflection: bool,
    /// Ask for a plan before the answer.
    pub planning: bool,
}

impl Enhancements {
    /// None at all.
    pub const NONE: Enhancements = Enhancements { re2: false, cot_reflection: false, planning: false };

    /// A tier's text enhancements: FREE re-reads; JIVE also reflects;
    /// JIGGA also plans.
    pub fn for_tier(tier: Tier) -> Enhancements {
        match tier {
            Tier::Free => Enhancements { re2: true, ..Enhancements::NONE },
            Tier::Jive => Enhancements { re2: true, cot_reflection: true, planning: false },
            Tier::Jigga => Enhancements { re2: true, cot_reflection: true, planning: true },
        }
    }

    /// Whether any is on.
    pub fn any(self) -> bool {
        self.re2 || self.cot_reflection || self.planning
    }
}

/// Facts about the decision that callers act on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct RouteFlags {
    /// The user asked for long output (`extended_output` hit).
    pub extended_output: bool,
    /// A formal document was asked for: add the formal-report instruction.
    pub formal_report: bool,
    /// A manual Fast or Max decided the layer.
    pub override_applied: bool,
    /// A manual override was given on FREE and had no effect.
    pub override_ignored: bool,
    /// An image phrase was found, but after the first 200 characters.
    pub image_phrase_too_late: bool,
}

/// Where one message goes and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    /// The user's plan this route was made for.
    pub tier: Tier,
    /// The kind of call.
    pub layer: Layer,
    /// Why.
    pub reason: Reason,
    /// The model id, from config.
    pub model: String,
    /// `max_tokens` (Cerebras charges it up front, so always set).
    pub max_tokens: u32,
    /// Sampling temperature.
    pub temperature: f32,
    /// Nucleus sampling, when the tier sets it.
    pub top_p: Option<f32>,
    /// Local enhancements for a DIRECT call; see [`Route::enhancements_for`].
    pub enhancements: Enhancements,
    /// Facts about the decision.
    pub flags: RouteFlags,
    /// Every category the user's text hit.
    pub categories: CategorySet,
    /// The language of the user's text.
    pub language: LanguageGuess,
}

impl Route {
    /// The local enhancements to apply: none when the request goes through
    /// CePO (it enhances on its own; never enhance twice), else this
    /// route's. A CePO failure falls back to a direct call, which asks again
    /// with `via_cepo = false` and gets them.
    pub fn enhancements_for(&self, via_cepo: bool) -> Enhancements {
        if via_cepo { Enhancements::NONE } else { self.enhancements }
    }

    /// Whether this route may go through CePO: paid plans, text layers.
    pub fn cepo_eligible(&self) -> bool {
        self.tier != Tier::Free && matches!(self.layer, Layer::Fast | Layer::Big)
    }
}

/// Byte offset where the first `chars` characters end (char-boundary safe).
pub(crate) fn prefix_end(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
}

/// Apply the decision order to a classification.
pub(crate) fn decide(
    config: &RouterConfig,
    text: &str,
    found: &Classification,
    language: LanguageGuess,
    tier: Tier,
    manual: Override,
) -> Route {
    let categories = found.categories();
    let limit = prefix_end(text, IMAGE_PREFIX_CHARS);
    let image_early = found.hits_of(Category::Image).any(|h| h.end <= limit);
    let flags = RouteFlags {
        extended_output: categories.contains(Category::ExtendedOutput),
        formal_report: categories.contains(Category::DocumentAnalysis),
        override_applied: tier != Tier::Free && manual != Override::Auto,
        override_ignored: tier == Tier::Free && manual != Override::Auto,
        image_phrase_too_late: categories.contains(Category::Image) && !image_early,
    };
    let bantu_detected = language.is_confident() && language.lang.is_bantu();
    let (layer, reason) = match (tier, manual) {
        (Tier::Free, _) if image_early => (Layer::Image, Reason::Image),
        (Tier::Free, _) => (Layer::FreeText, Reason::FreeText),
        (_, Override::Fast) => (Layer::Fast, Reason::OverrideFast),
        (_, Override::Max) => (Layer::Big, Reason::OverrideMax),
        _ if image_early => (Layer::Image, Reason::Image),
        _ if categories.contains(Category::Complex) => (Layer::Big, Reason::Complex),
        _ if categories.contains(Category::SaLanguage) => (Layer::Big, Reason::SaLanguage),
        _ if bantu_detected => (Layer::Big, Reason::SaLanguageDetected),
        _ if categories.contains(Category::ComplexOutput) => (Layer::Big, Reason::ComplexOutput),
        _ => (Layer::Fast, Reason::Default),
    };
    let long = flags.extended_output || flags.formal_report;
    let (models, tokens) = (&config.models, &config.tokens);
    let (model, max_tokens) = match layer {
        Layer::FreeText => (&models.free, tokens.free),
        Layer::Image => (&models.image, if tier == Tier::Free { tokens.free } else { tokens.fast }),
        Layer::Fast => (&models.fast, if long { tokens.fast_extended } else { tokens.fast }),
        Layer::Big => (&models.big, if long { tokens.big_extended } else { tokens.big }),
    };
    let sampling = &config.sampling;
    let (temperature, top_p) = match tier {
        Tier::Free => (sampling.free_temperature, sampling.free_top_p),
        Tier::Jive | Tier::Jigga => (sampling.paid_temperature, sampling.paid_top_p),
    };
    let enhancements = if layer == Layer::Image { Enhancements::NONE } else { Enhancements::for_tier(tier) };
    Route {
        tier,
        layer,
        reason,
        model: model.clone(),
        max_tokens,
        temperature,
        top_p,
        enhancements,
        flags,
        categories,
        language,
    }
}
