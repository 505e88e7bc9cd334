//! The keyword sets as data: six categories of phrases, the defaults embedded
//! from `keywords.toml`, edited by the user's `router.toml` (`add` / `remove`
//! per category). Everything is checked at load, with the file and line in
//! the message: an unknown category or key, a phrase that is empty or only
//! spaces, a phrase removed that is not there, a value of the wrong type,
//! and TOML syntax errors. The same phrase in two categories is allowed: a
//! hit on it counts for both. Phrases are stored ASCII-lowercased, because
//! the matcher folds ASCII case only.

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;

use serde::{Serialize, Serializer};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{Error, Result};

/// The embedded default keyword sets.
pub const DEFAULT_KEYWORDS: &str = include_str!("keywords.toml");

/// One keyword set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Asks for long output: raises `max_tokens` only.
    ExtendedOutput,
    /// Asks for a substantial analysis: the big model.
    ComplexOutput,
    /// A formal document: formal-report instruction, maximum budget.
    DocumentAnalysis,
    /// Law, tax, finance, system design, charts: the big model.
    Complex,
    /// South Africa's Bantu languages: the big model.
    SaLanguage,
    /// An image request.
    Image,
}

impl Category {
    /// Every category, in a fixed order.
    pub const ALL: [Category; 6] = [
        Category::ExtendedOutput,
        Category::ComplexOutput,
        Category::DocumentAnalysis,
        Category::Complex,
        Category::SaLanguage,
        Category::Image,
    ];

    /// The name used in `keywords.toml`, `router.toml` and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Category::ExtendedOutput => "extended_output",
            Category::ComplexOutput => "complex_output",
            Category::DocumentAnalysis => "document_analysis",
            Category::Complex => "complex",
            Category::SaLanguage => "sa_language",
            Category::Image => "image",
        }
    }

    /// The category called `name`, if any.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of categories, as bits (cheap to copy and to union per hit).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CategorySet(u8);

impl CategorySet {
    /// No category.
    pub const EMPTY: CategorySet = CategorySet(0);

    /// A set holding one category.
    pub fn of(category: Category) -> CategorySet {
        CategorySet(1 << category.index())
    }

    /// Whether `category` is in the set.
    pub fn contains(self, category: Category) -> bool {
        self.0 & (1 << category.index()) != 0
    }

    /// Add `category`.
    pub fn insert(&mut self, category: Category) {
        self.0 |= 1 << category.index();
    }

    /// Both sets together.
    pub fn union(self, other: CategorySet) -> CategorySet {
        CategorySet(self.0 | other.0)
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The categories in the set, in [`Category::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Category> {
        Category::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

impl FromIterator<Category> for CategorySet {
    fn from_iter<I: IntoIterator<Item = Category>>(iter: I) -> Self {
        let mut set = CategorySet::EMPTY;
        for c in iter {
            set.insert(c);
        }
        set
    }
}

impl fmt::Debug for CategorySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for CategorySet {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The phrases of every category, lowercased (ASCII) and without duplicates
/// inside a category, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordSets {
    sets: [Vec<String>; 6],
}

impl KeywordSets {
    /// The embedded defaults.
    pub fn defaults() -> Result<KeywordSets> {
        KeywordSets::parse(DEFAULT_KEYWORDS, Path::new("keywords.toml (built in)"))
    }

    /// A complete keyword file: one table per category, each with `phrases`.
    /// Every category must be present, so a renamed table cannot silently
    /// leave a category empty.
    pub fn parse(text: &str, origin: &Path) -> Result<KeywordSets> {
        let mut sets = KeywordSets { sets: Default::default() };
        let mut seen = CategorySet::EMPTY;
        let file = SourceFile { text, origin };
        for (category, _, list) in file.entries(&["phrases"])? {
            seen.insert(category);
            for (phrase, _) in list {
                sets.add(category, phrase);
            }
        }
        if let Some(missing) = Category::ALL.into_iter().find(|c| !seen.contains(*c)) {
            return Err(Error::config(format!("{}: the category `{missing}` is missing", origin.display())));
        }
        Ok(sets)
    }

    /// Apply the user's `router.toml`: per category, `add` and `remove`
    /// lists. Removals apply before additions within one category, so a
    /// phrase in both ends up present.
    pub fn apply_overrides(&mut self, text: &str, origin: &Path) -> Result<()> {
        let file = SourceFile { text, origin };
        let entries = file.entries(&["add", "remove"])?;
        for (category, key, list) in &entries {
            if *key != "remove" {
                continue;
            }
            for (phrase, offset) in list {
                let set = &mut self.sets[category.index()];
                match set.iter().position(|p| p == phrase) {
                    Some(i) => {
                        set.remove(i);
                    }
                    None => {
                        return Err(file.error_at(
                            *offset,
                            format!("\"{phrase}\" is not a phrase of `{category}`, so it cannot be removed"),
                        ));
                    }
                }
            }
        }
        for (category, key, list) in entries {
            if key == "add" {
                for (phrase, _) in list {
                    self.add(category, phrase);
                }
            }
        }
        Ok(())
    }

    /// The phrases of one category.
    pub fn phrases(&self, category: Category) -> &[String] {
        &self.sets[category.index()]
    }

    /// Every distinct phrase with the categories that list it, in a stable
    /// order (first appearance, categories in [`Category::ALL`] order).
    pub fn patterns(&self) -> Vec<(String, CategorySet)> {
        let mut out: Vec<(String, CategorySet)> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for category in Category::ALL {
            for phrase in self.phrases(category) {
                match index.get(phrase.as_str()) {
                    Some(&i) => out[i].1.insert(category),
                    None => {
                        index.insert(phrase, out.len());
                        out.push((phrase.clone(), CategorySet::of(category)));
                    }
                }
            }
        }
        out
    }

    fn add(&mut self, category: Category, phrase: String) {
        let set = &mut self.sets[category.index()];
        if !set.contains(&phrase) {
            set.push(phrase);
        }
    }
}

/// Check that the user's file is UTF-8; the error names the file, the line
/// and the byte offset of the first invalid byte. Pure: the caller reads it.
pub fn decode_user_file<'a>(bytes: &'a [u8], origin: &Path) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = line_of(bytes, at);
        Error::config(format!(
            "{} line {line}: not UTF-8 text (invalid byte at offset {at})",
            origin.display()
        ))
    })
}

/// 1-based line number of byte offset `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes.iter().take(at).filter(|b| **b == b'\n').count() + 1
}

/// A keyword file being read: its text and name, for error messages.
struct SourceFile<'a> {
    text: &'a str,
    origin: &'a Path,
}

/// One `[category] key = [phrases]` entry: phrases normalised, each with
/// its byte offset in the file (for errors found after parsing).
type Entry = (Category, &'static str, Vec<(String, usize)>);

impl SourceFile<'_> {
    fn error_at(&self, offset: usize, message: impl fmt::Display) -> Error {
        let line = line_of(self.text.as_bytes(), offset);
        Error::config(format!("{} line {line}: {message}", self.origin.display()))
    }

    fn parse(&self) -> Result<Spanned<DeTable<'_>>> {
        DeTable::parse(self.text).map_err(|e| {
            let at = e.span().map(|s| s.start).unwrap_or(0);
            self.error_at(at, e.message().trim_end())
        })
    }

    /// Walk `[category] key = ["phrase", ...]` with `key` one of `keys`.
    fn entries(&self, keys: &[&'static str]) -> Result<Vec<Entry>> {
        let root = self.parse()?;
        let mut out = Vec::new();
        for (name, value) in root.get_ref().iter() {
            let category = Category::from_name(name.get_ref()).ok_or_else(|| {
                let known: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
                self.error_at(
                    name.span().start,
                    format!("unknown category `{}` (known: {})", name.get_ref(), known.join(", ")),
                )
            })?;
            let DeValue::Table(table) = value.get_ref() else {
                return Err(self.error_at(value.span().start, format!("`{category}` must be a table")));
            };
            for (key, list) in table.iter() {
                let key_name = keys.iter().find(|k| **k == key.get_ref().as_ref()).ok_or_else(|| {
                    self.error_at(
                        key.span().start,
                        format!(
                            "unknown key `{}` in `{category}` (expected {})",
                            key.get_ref(),
                            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" or ")
                        ),
                    )
                })?;
                let DeValue::Array(items) = list.get_ref() else {
                    return Err(self.error_at(
                        list.span().start,
                        format!("`{category}.{key_name}` must be a list of phrases"),
                    ));
                };
                let mut phrases = Vec::with_capacity(items.len());
                for item in items.iter() {
                    phrases.push((self.phrase(item, category, key_name)?, item.span().start));
                }
                out.push((category, *key_name, phrases));
            }
        }
        Ok(out)
    }

    fn phrase(&self, item: &Spanned<DeValue<'_>>, category: Category, key: &str) -> Result<String> {
        let DeValue::String(s) = item.get_ref() else {
            return Err(self.error_at(
                item.span().start,
                format!("`{category}.{key}` holds {}, not a phrase", item.get_ref().type_str()),
            ));
        };
        let phrase = s.trim().to_ascii_lowercase();
        if phrase.is_empty() {
            return Err(self.error_at(item.span().start, format!("empty phrase in `{category}.{key}`")));
        }
        Ok(phrase)
    }
}
