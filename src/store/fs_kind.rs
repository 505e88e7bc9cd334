//! Is a folder on a network filesystem? SQLite's locking and WAL are unsafe
//! over NFS and SMB (and every page read pays 1-5 ms there), so the live
//! store refuses such folders; backups may go there. Detection uses the
//! statfs magic number, and for FUSE the mount's subtype from
//! /proc/self/mountinfo (sshfs and rclone are network, most others local).

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

/// What kind of filesystem a path is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsKind {
    /// A local disk (or something we do not know to be remote).
    Local,
    /// A network filesystem, with its name.
    Network(&'static str),
}

// statfs f_type magic numbers (linux/magic.h and the filesystems' sources).
const NETWORK_MAGICS: &[(i64, &str)] = &[
    (0x6969, "NFS"),
    (0x517B, "SMB"),
    (0xFF53_4D42, "CIFS"),
    (0xFE53_4D42, "SMB2"),
    (0x5346_414F, "AFS"),
    (0x6B41_4653, "AFS"),
    (0x7375_7245, "Coda"),
    (0x0102_1997, "9P"),
    (0x00C3_6400, "CephFS"),
    (0x4741_5346, "GlusterFS"),
    (0x0BD0_0BD0, "Lustre"),
];
const FUSE_MAGIC: i64 = 0x6573_5546;

/// FUSE subtypes that reach over the network.
const NETWORK_FUSE: &[(&str, &str)] = &[
    ("sshfs", "sshfs"),
    ("rclone", "rclone"),
    ("s3fs", "s3fs"),
    ("gcsfuse", "gcsfuse"),
    ("glusterfs", "GlusterFS"),
    ("davfs", "WebDAV"),
    ("curlftpfs", "FTP"),
    ("smbnetfs", "SMB"),
    ("cephfs", "CephFS"),
];

/// Classify a statfs magic; `fuse_subtype` is the `fuse.X` subtype if known.
pub fn classify(magic: i64, fuse_subtype: Option<&str>) -> FsKind {
    if let Some((_, name)) = NETWORK_MAGICS.iter().find(|(m, _)| *m == magic) {
        return FsKind::Network(name);
    }
    if magic == FUSE_MAGIC
        && let Some(sub) = fuse_subtype
        && let Some((_, name)) = NETWORK_FUSE.iter().find(|(s, _)| sub.starts_with(s))
    {
        return FsKind::Network(name);
    }
    FsKind::Local
}

/// The filesystem type of the mount holding `path`, from mountinfo text:
/// the longest mount point that is a prefix of `path` wins.
pub fn mount_fstype(mountinfo: &str, path: &Path) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in mountinfo.lines() {
        // "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw"
        let Some((left, right)) = line.split_once(" - ") else { continue };
        let Some(mount_point) = left.split(' ').nth(4) else { continue };
        let Some(fstype) = right.split(' ').next() else { continue };
        let mount_point = mount_point.replace("\\040", " ");
        if path.starts_with(&mount_point) && best.as_ref().is_none_or(|(len, _)| mount_point.len() >= *len) {
            best = Some((mount_point.len(), fstype.to_owned()));
        }
    }
    best.map(|(_, t)| t)
}

/// Probe the filesystem of `path` (which must exist).
pub fn probe(path: &Path) -> Result<FsKind> {
    let stat = rustix::fs::statfs(path).map_err(|e| {
        Error::io(format!("checking the filesystem of {}", path.display()), std::io::Error::from(e))
    })?;
    #[allow(clippy::unnecessary_cast, reason = "f_type's width differs between targets (a cast on some)")]
    let magic = stat.f_type as i64;
    let subtype = if magic == FUSE_MAGIC {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        std::fs::read_to_string("/proc/self/mountinfo")
            .ok()
            .and_then(|info| mount_fstype(&info, &canonical))
            .and_then(|t| t.strip_prefix("fuse.").map(str::to_owned))
    } else {
        None
    };
    Ok(classify(magic, subtype.as_deref()))
}

/// Refuse `path` for live data if it is on a network filesystem.
pub fn ensure_local(path: &Path) -> Result<()> {
    match probe(path)? {
        FsKind::Local => Ok(()),
        FsKind::Network(name) => Err(Error::new(
            ErrorKind::NetworkFilesystem,
            format!(
                "{} is on a network filesystem ({name}); keep Gogga's live data on a local disk \
                 (set GOGGA_DATA_DIR) and use backups for network folders",
                path.display()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_table() {
        let cases: &[(i64, Option<&str>, FsKind)] = &[
            (0x6969, None, FsKind::Network("NFS")),
            (0xFF53_4D42, None, FsKind::Network("CIFS")),
            (0xFE53_4D42, None, FsKind::Network("SMB2")),
            (0xEF53, None, FsKind::Local),      // ext4
            (0x5846_5342, None, FsKind::Local), // xfs
            (0x0102_1994, None, FsKind::Local), // tmpfs
            (FUSE_MAGIC, Some("sshfs"), FsKind::Network("sshfs")),
            (FUSE_MAGIC, Some("rclone"), FsKind::Network("rclone")),
            (FUSE_MAGIC, Some("ntfs-3g"), FsKind::Local),
            (FUSE_MAGIC, None, FsKind::Local),
        ];
        for (magic, sub, want) in cases {
            assert_eq!(classify(*magic, *sub), *want, "magic {magic:#x} sub {sub:?}");
        }
    }

    #[test]
    fn mountinfo_longest_prefix_wins() {
        let info = "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n\
                    40 22 0:50 / /mnt/nas rw - nfs4 nas:/x rw\n\
                    41 22 0:51 / /mnt/ssh\\040box rw - fuse.sshfs me@h:/ rw\n";
        let t = |p: &str| mount_fstype(info, Path::new(p));
        assert_eq!(t("/home/me").as_deref(), Some("ext4"));
        assert_eq!(t("/mnt/nas/backups").as_deref(), Some("nfs4"));
        assert_eq!(t("/mnt/ssh box/x").as_deref(), Some("fuse.sshfs"));
    }

    #[test]
    fn a_temp_folder_is_local() {
        let dir = tempfile::tempdir().unwrap();
        assert!(ensure_local(dir.path()).is_ok());
        assert!(probe(&dir.path().join("missing")).is_err());
    }
}
