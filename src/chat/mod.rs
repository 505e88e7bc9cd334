//! Chat with documents: a coordinator over router, gateway, search and
//! store. Filled in by the chat issue.

mod config;

pub use config::{Budgets, ChatConfig, Price, Prices, TierBudget};
