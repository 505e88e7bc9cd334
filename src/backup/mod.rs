//! Backups: consistent snapshots packed into one verified archive, written
//! to any folder (NFS included), and verified restore. Filled in by the
//! backup issue.

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// `[backup]` in config.toml.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupConfig {}

impl BackupConfig {
    /// Cross-field checks.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}
