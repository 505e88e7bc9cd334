//! The core's one integration-test binary: real SQLite files, the real
//! embedding runtime from setup's cache, real processes. Each module is one
//! area; fixtures live in tests/data/.

mod assets;
mod backup;
mod layering;
