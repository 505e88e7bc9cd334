//! The one way to make ids: UUIDv7 strings, time-ordered so that rows
//! inserted later sort later (good B-tree locality in SQLite) and unique
//! across processes without coordination.

/// A fresh, time-ordered, globally unique id as a 36-character string.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique_and_time_ordered() {
        let a = super::new_id();
        let b = super::new_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert!(a < b, "v7 ids sort by creation time: {a} !< {b}");
    }
}
