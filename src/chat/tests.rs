//! Turn tests with a scripted model and a fixed set of passages.
