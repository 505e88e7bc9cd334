//! The core's one integration-test binary: real SQLite files, the real
//! embedding runtime from setup's cache, real processes. Each module is one
//! area; fixtures live in tests/data/.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

mod assets;
mod backup;
mod chat;
mod gateway;
mod gateway_litellm;
mod keyring;
mod layering;
mod library;
