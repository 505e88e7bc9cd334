//! What a backup archive says about itself. The manifest (`manifest.json`,
//! the archive's FIRST member, so listing a folder reads a few KiB per
//! archive) names the app, app and schema versions, row counts, and the
//! size and SHA-256 of every member and of all member bytes together. The
//! SHA-256 of the whole archive file cannot be inside itself: it sits in a
//! 56-byte trailer after the compressed stream, a zstd *skippable frame*
//! that `zstd -d` and `tar --zstd` ignore, so the archive stays a plain
//! `.tar.zst`. A missing trailer means a truncated or foreign file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};

/// The archive layout this build writes and reads.
pub const FORMAT: u32 = 1;
/// The identity every Gogga database carries in `meta.app`.
pub const APP: &str = "gogga";
/// Name of the manifest member.
pub const MANIFEST_NAME: &str = "manifest.json";
/// Name of the database member.
pub const DATABASE_NAME: &str = "gogga.db";
/// A manifest bigger than this is not one of ours.
pub const MANIFEST_MAX_BYTES: u64 = 1 << 20;
/// What is deliberately not in any backup, written into every manifest.
pub const EXCLUDED: &[&str] = &[
    "config files and the system keyring: API keys and other secrets are never part of a backup",
    "index/: the full-text index is rebuilt from the database after a restore",
];

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Archive layout version ([`FORMAT`]).
    pub format: u32,
    /// Which application made it ([`APP`]).
    pub app: String,
    pub app_version: String,
    /// `PRAGMA user_version` of the database inside.
    pub schema_version: u32,
    /// When the snapshot was taken (UTC).
    pub created_at: String,
    pub created_unix: i64,
    /// Rows per table (documents, chunks, embeddings, conversations, messages).
    pub counts: BTreeMap<String, u64>,
    /// Every other member, in archive order.
    pub members: Vec<Member>,
    /// SHA-256 of the whole payload, as a digest of digests (see
    /// [`payload_digest`]): one pass over the data hashes each byte once.
    pub payload_sha256: String,
    /// What a backup never contains, and why.
    pub excluded: Vec<String>,
}

/// One file in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Relative path inside the archive (and inside the restored data folder).
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl Manifest {
    /// Refuse what this build cannot restore, before any big member is read.
    pub fn check_compatible(&self) -> Result<()> {
        if self.app != APP {
            return Err(refused(format!("this archive was made by {:?}, not by Gogga", self.app)));
        }
        if self.format != FORMAT {
            return Err(refused(format!(
                "archive format {} is not the format this Gogga reads ({FORMAT}); update Gogga",
                self.format
            )));
        }
        if self.schema_version > crate::store::SCHEMA_VERSION {
            return Err(refused(format!(
                "the archive's database has schema version {}, newer than this Gogga understands ({}); \
                 update Gogga to restore it",
                self.schema_version,
                crate::store::SCHEMA_VERSION
            )));
        }
        for m in &self.members {
            member_path(&m.path)?;
        }
        Ok(())
    }

    /// Parse the manifest member.
    pub fn from_json(bytes: &[u8]) -> Result<Manifest> {
        serde_json::from_slice(bytes).map_err(|e| refused(format!("the manifest is not valid: {e}")))
    }

    /// Serialize for the archive (pretty: people read it with `tar -xO`).
    pub fn to_json(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(self).map_err(|e| Error::internal(format!("serializing the manifest: {e}")))
    }
}

/// An archive that must not be restored: the reason is in the message.
pub fn refused(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Backup, format!("archive refused: {}", message.into()))
}

/// Check that an archive member path stays inside the folder it is
/// extracted to: relative, plain names only (no `..`, `.`, empty parts,
/// backslashes or NULs), at most 8 levels deep.
pub fn member_path(path: &str) -> Result<&str> {
    let escapes = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.contains('\0')
        || path.split('/').count() > 8
        || path.split('/').any(|part| part.is_empty() || part == "." || part == "..");
    if escapes {
        return Err(refused(format!("member path {path:?} would escape the data folder")));
    }
    if path == MANIFEST_NAME {
        return Err(refused("a second manifest.json"));
    }
    Ok(path)
}

/// SHA-256 over the lines `"<sha256> <size> <path>\n"` of every member,
/// in order (the shape of a `sha256sum` file): it binds every byte of the
/// payload, its order and its names, without hashing the data twice.
pub fn payload_digest(members: &[Member]) -> String {
    let mut h = Sha256::new();
    for m in members {
        h.update(format!("{} {} {}\n", m.sha256, m.size, m.path).as_bytes());
    }
    hex_digest(h)
}

/// Lowercase hex SHA-256.
pub fn hex_digest(hasher: Sha256) -> String {
    hex::encode(hasher.finalize())
}

/// The 56-byte trailer: a zstd skippable frame holding the SHA-256 and
/// length of every byte before it.
pub mod trailer {

    /// Skippable-frame magic 0x184D2A5E, little endian.
    const MAGIC: [u8; 4] = [0x5E, 0x2A, 0x4D, 0x18];
    const TAG: &[u8; 8] = b"GOGGAEND";
    /// Bytes of frame content: tag + SHA-256 + length.
    const CONTENT: u32 = 8 + 32 + 8;
    /// Whole trailer length.
    pub const LEN: u64 = 8 + CONTENT as u64;

    /// Encode the trailer for `len` preceding bytes with digest `sha256`.
    pub fn encode(sha256: &[u8; 32], len: u64) -> [u8; LEN as usize] {
        let mut out = [0u8; LEN as usize];
        out[..4].copy_from_slice(&MAGIC);
        out[4..8].copy_from_slice(&CONTENT.to_le_bytes());
        out[8..16].copy_from_slice(TAG);
        out[16..48].copy_from_slice(sha256);
        out[48..56].copy_from_slice(&len.to_le_bytes());
        out
    }

    /// Decode a trailer; `None` when these bytes are not one.
    pub fn decode(bytes: &[u8]) -> Option<([u8; 32], u64)> {
        if bytes.len() != LEN as usize
            || bytes[..4] != MAGIC
            || bytes[4..8] != CONTENT.to_le_bytes()
            || &bytes[8..16] != TAG
        {
            return None;
        }
        let mut sha = [0u8; 32];
        sha.copy_from_slice(&bytes[16..48]);
        let mut len = [0u8; 8];
        len.copy_from_slice(&bytes[48..56]);
        Some((sha, u64::from_le_bytes(len)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_paths_that_escape_are_refused() {
        for ok in ["gogga.db", "files/a.txt", "a/b/c"] {
            assert!(member_path(ok).is_ok(), "{ok}");
        }
        for bad in
            ["", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a\\..\\b", "x\0", "manifest.json"]
        {
            let err = member_path(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Backup, "{bad:?}");
        }
    }

    #[test]
    fn trailer_round_trips_and_rejects_other_bytes() {
        let t = trailer::encode(&[9u8; 32], 1234);
        assert_eq!(trailer::decode(&t), Some(([9u8; 32], 1234)));
        let mut bad = t;
        bad[10] ^= 1;
        assert_eq!(trailer::decode(&bad), None);
        assert_eq!(trailer::decode(&t[1..]), None);
    }
}
