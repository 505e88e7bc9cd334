//! What a parsed BM25 query is turned into before it runs. Three rewrites,
//! each cutting the posting lists a search walks (measured: BENCHMARKS.md,
//! "Search latency" and "Chat"); [`super::collect::TopChunks`] scores every
//! match, so a search costs about the length of the lists it walks:
//!
//! 1. **Flatten.** The parser makes one should-group per word (the word in
//!    each field) inside a should-group of words; the flat union of the
//!    same clauses matches the same documents with the same scores (both
//!    sum their clauses) with one level of unions instead of two. (Written
//!    for tantivy's block-max WAND, which prunes only flat unions of terms;
//!    that collector is no longer used, see `collect.rs`.)
//! 2. **Merge repeats.** A word typed twice ("the … the") is two clauses
//!    over the same posting list; one clause boosted by 2 gives the same
//!    score (to f32 rounding) for one pass over the list.
//! 3. **Drop very common terms** (in more than [`COMMON_SHARE`] of the
//!    passages of their field) when rarer terms remain: such a term adds
//!    little to any score (its idf is below ln 2) and its posting list is
//!    the longest, so a long question of everyday words walked most
//!    of the index. This one changes scores; the retrieval evaluation was
//!    run before and after (BENCHMARKS.md).
//!
//! Anything else (phrases, required or excluded words, boosts typed by the
//! user) is left as the parser made it.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::{Searcher, Term};

/// A term found in more than this share of its field's passages is left
/// out of the query, unless every term is that common.
pub(super) const COMMON_SHARE: f64 = 0.5;

/// Which rewrites to apply (tests compare the exact ones alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rewrite {
    /// Flatten and merge: same documents, same scores.
    #[cfg(test)]
    Exact,
    /// Also drop very common terms.
    DropCommon,
}

/// `q` rewritten as the module header says.
pub(super) fn rewrite(q: Box<dyn Query>, searcher: &Searcher, how: Rewrite) -> Box<dyn Query> {
    let Some(clauses) = flat_clauses(&*q) else { return q };
    let mut clauses = merge_repeats(clauses);
    if how == Rewrite::DropCommon {
        drop_common(&mut clauses, searcher);
    }
    Box::new(BooleanQuery::new(clauses.into_iter().map(|c| (Occur::Should, c.query)).collect()))
}

/// One clause of the flat union, with its single term if it has one.
struct Clause {
    query: Box<dyn Query>,
    term: Option<Term>,
}

fn pure_should(b: &BooleanQuery) -> bool {
    b.get_minimum_number_should_match() <= 1 && b.clauses().iter().all(|(o, _)| *o == Occur::Should)
}

/// The clauses of `q`'s union of unions, or `None` if `q` is anything else.
fn flat_clauses(q: &dyn Query) -> Option<Vec<Clause>> {
    let outer = q.downcast_ref::<BooleanQuery>().filter(|b| pure_should(b))?;
    let mut flat = Vec::with_capacity(outer.clauses().len() * 3);
    for (_, clause) in outer.clauses() {
        match clause.downcast_ref::<BooleanQuery>() {
            Some(inner) if pure_should(inner) => flat.extend(inner.clauses().iter().map(|(_, c)| c)),
            _ => flat.push(clause),
        }
    }
    Some(flat.into_iter().map(|c| Clause { term: single_term(&**c), query: c.box_clone() }).collect())
}

/// The term of a term query, boosted or not (the parser boosts the heading
/// field's terms); `None` for anything else.
fn single_term(q: &dyn Query) -> Option<Term> {
    if let Some(t) = q.downcast_ref::<TermQuery>() {
        return Some(t.term().clone());
    }
    q.downcast_ref::<BoostQuery>()?;
    // BoostQuery does not show what it wraps except through its terms and
    // its Debug text; a boost over one term and nothing else is a term.
    let mut terms = Vec::new();
    q.query_terms(&mut |t, _| terms.push(t.clone()));
    let text = format!("{q:?}");
    let inner = text.trim_start_matches("Boost(query=");
    (terms.len() == 1 && inner.starts_with("TermQuery(")).then(|| terms.remove(0))
}

/// Clauses that are the same single term with the same boost become one,
/// boosted by how many there were (first occurrence's place kept).
fn merge_repeats(clauses: Vec<Clause>) -> Vec<Clause> {
    let mut out: Vec<(Clause, u32)> = Vec::with_capacity(clauses.len());
    // Keyed by the Debug text, which names the term, its field and every
    // boost around it: equal text, equal scoring.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for c in clauses {
        if c.term.is_some() {
            let key = format!("{:?}", c.query);
            if let Some(&at) = seen.get(&key) {
                out[at].1 += 1;
                continue;
            }
            seen.insert(key, out.len());
        }
        out.push((c, 1));
    }
    out.into_iter()
        .map(|(c, n)| match n {
            1 => c,
            n => Clause { query: Box::new(BoostQuery::new(c.query, n as f32)), term: c.term },
        })
        .collect()
}

/// Remove single-term clauses found in more than [`COMMON_SHARE`] of the
/// passages, unless nothing rarer would remain (a query of only common
/// words keeps them all). A term whose frequency cannot be read is kept.
fn drop_common(clauses: &mut Vec<Clause>, searcher: &Searcher) {
    let docs = searcher.num_docs();
    if docs == 0 {
        return;
    }
    let limit = (COMMON_SHARE * docs as f64) as u64;
    let freqs: Vec<Option<u64>> =
        clauses.iter().map(|c| c.term.as_ref().and_then(|t| searcher.doc_freq(t).ok())).collect();
    let common = |df: &Option<u64>| df.is_some_and(|d| d > limit);
    // A clause that is not a term, or a term found at all, counts as rarer.
    if !freqs.iter().any(|df| !common(df) && *df != Some(0)) {
        return;
    }
    let mut drop = freqs.iter().map(common);
    clauses.retain(|_| !drop.next().unwrap_or(false));
}
