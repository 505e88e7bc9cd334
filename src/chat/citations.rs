//! Citation markers in an answer: `[1]`, `[2][3]`, `[1, 3]`, `[2-4]` point
//! at the numbered passages the prompt gave. [`resolve`] turns the markers
//! that point at a passage into [`Citation`]s (chunk, document, page,
//! snippet) and drops the ones that point at nothing, counting them: an
//! invented `[7]` disappears from the stored answer rather than opening
//! nothing. Guarantees: text that is not a marker is never touched — code
//! (inline or fenced), indexing such as `a[1]`, links `[1](url)`, and
//! bracketed numbers of three or more digits (`[2026]`) stay as written.

use super::types::{Citation, Source};

/// Largest number read as a marker (prompts never offer more passages).
const MAX_MARKER: u32 = 99;

/// The answer with its markers checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The answer without markers that point at nothing.
    pub content: String,
    /// One per passage cited, by marker number.
    pub citations: Vec<Citation>,
    /// Marker numbers that pointed at nothing (each occurrence counts).
    pub dropped: u32,
}

/// Check every marker of `answer` against `sources` (marker n is
/// `sources[n - 1]`).
pub fn resolve(answer: &str, sources: &[Source]) -> Resolved {
    let mut cited: Vec<u32> = Vec::new();
    let mut dropped = 0u32;
    let content = map_markers(answer, |numbers| {
        let (good, bad): (Vec<u32>, Vec<u32>) =
            numbers.iter().partition(|n| (1..=sources.len() as u32).contains(n));
        dropped += bad.len() as u32;
        cited.extend(&good);
        match (good.is_empty(), bad.is_empty()) {
            (_, true) => None,
            (true, false) => Some(String::new()),
            (false, false) => {
                let list: Vec<String> = good.iter().map(u32::to_string).collect();
                Some(format!("[{}]", list.join(", ")))
            }
        }
    });
    cited.sort_unstable();
    cited.dedup();
    let citations =
        cited.into_iter().filter_map(|n| sources.get(n as usize - 1).map(|s| s.citation(n))).collect();
    Resolved { content, citations, dropped }
}

/// Rewrite every marker of `text`: `f` gets its numbers and returns the
/// replacement (`None` keeps the marker as written; an empty string
/// removes it, with the space before it when punctuation follows).
pub fn map_markers(text: &str, mut f: impl FnMut(&[u32]) -> Option<String>) -> String {
    let mut content = String::with_capacity(text.len());
    let mut rest = text;
    let mut in_fence = false;
    let mut in_code = false;
    // The character before `rest` in the original text (a marker glued to
    // a word is indexing, whatever was removed before it).
    let mut prev: Option<char> = None;
    while !rest.is_empty() {
        if rest.starts_with("```") {
            in_fence = !in_fence;
            content.push_str("```");
            rest = &rest[3..];
            prev = Some('`');
            continue;
        }
        let ch = rest.chars().next().unwrap_or('\0');
        if ch == '`' && !in_fence {
            in_code = !in_code;
        }
        if ch == '['
            && !in_fence
            && !in_code
            && starts_marker(prev)
            && let Some((numbers, len)) = parse_marker(rest)
            && !rest[len..].starts_with('(')
        {
            match f(&numbers) {
                None => content.push_str(&rest[..len]),
                Some(r) if r.is_empty() => {
                    // "fact [9]." reads "fact." once the marker goes.
                    if content.ends_with(' ') && !rest[len..].starts_with(char::is_alphanumeric) {
                        content.pop();
                    }
                }
                Some(r) => content.push_str(&r),
            }
            rest = &rest[len..];
            prev = Some(']');
            continue;
        }
        content.push(ch);
        rest = &rest[ch.len_utf8()..];
        prev = Some(ch);
    }
    content
}

/// Remove every marker-looking `[n]` (history sent back to the model: its
/// numbers referred to other passages).
pub fn strip_markers(text: &str) -> String {
    let mut out = resolve(text, &[]).content;
    out.truncate(out.trim_end().len());
    out
}

/// A marker may start after `before`: not glued to a word (`a[1]`, `x)[1]`).
fn starts_marker(before: Option<char>) -> bool {
    match before {
        None => true,
        Some(c) => !(c.is_alphanumeric() || c == '_' || c == ')'),
    }
}

/// `[1]`, `[1, 2]`, `[1-3]`, `[1–3]` at the start of `text`: the numbers
/// and the marker's length in bytes.
fn parse_marker(text: &str) -> Option<(Vec<u32>, usize)> {
    let end = text.find(']')?;
    let inner = &text[1..end];
    if inner.is_empty() || inner.len() > 40 {
        return None;
    }
    let mut numbers = Vec::new();
    for item in inner.split(',') {
        let item = item.trim();
        let (a, b) = match item.split_once(['-', '–']) {
            Some((a, b)) => (number(a.trim())?, number(b.trim())?),
            None => {
                let n = number(item)?;
                (n, n)
            }
        };
        if b < a || b - a > 20 {
            return None;
        }
        numbers.extend(a..=b);
    }
    Some((numbers, end + 1))
}

fn number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|n| *n <= MAX_MARKER)
}

#[cfg(test)]
#[path = "citations_tests.rs"]
mod tests;
