//! The backups screen's DTOs from the core's backup types, hermetically:
//! schedule off is `null`, runs point at their archive, a damaged archive
//! is a report with its problem (not an error), an archive without a
//! readable manifest is left out of the list, and a restore asked for is
//! found once at the next start.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

use std::collections::BTreeMap;

use gogga_desktop::dto::{self, BackupCounts};

fn manifest() -> gogga::backup::Manifest {
    gogga::backup::Manifest {
        format: 1,
        app: "gogga".into(),
        app_version: "0.1.0".into(),
        schema_version: 3,
        created_at: "2026-03-02T08:00:00Z".into(),
        created_unix: 1_772_438_400,
        counts: BTreeMap::from([
            ("documents".to_owned(), 2),
            ("chunks".to_owned(), 40),
            ("embeddings".to_owned(), 40),
            ("messages".to_owned(), 6),
        ]),
        members: Vec::new(),
        payload_sha256: String::new(),
        excluded: Vec::new(),
    }
}

fn run(archive: Option<&str>, message: &str) -> gogga::backup::RunSummary {
    gogga::backup::RunSummary {
        at: "2026-03-02T08:00:00Z".into(),
        at_unix: 1_772_438_400,
        folder: "/backups".into(),
        archive: archive.map(Into::into),
        bytes: archive.map(|_| 1234),
        message: message.into(),
    }
}

#[test]
fn status_says_schedule_off_as_null_and_runs_point_at_their_archive() {
    let status = |every_hours| gogga::backup::BackupStatus {
        folder: Some("/backups".into()),
        folder_kind: Some("local".into()),
        every_hours,
        keep: 7,
        running: false,
        last_success: Some(run(Some("gogga-1.tar.zst"), "backed up")),
        last_failure: Some(run(None, "the share is offline")),
        next_run: Some("2026-03-03T08:00:00Z".into()),
        next_run_unix: Some(1_772_524_800),
    };
    let on = dto::BackupStatus::from(status(24));
    assert_eq!(on.every_hours, Some(24));
    assert_eq!(on.last_success.unwrap().path.as_deref(), Some("/backups/gogga-1.tar.zst"));
    let failure = on.last_failure.unwrap();
    assert_eq!((failure.path, failure.message.as_str()), (None, "the share is offline"));
    assert_eq!(on.next_run_at.as_deref(), Some("2026-03-03T08:00:00Z"));
    assert_eq!(dto::BackupStatus::from(status(0)).every_hours, None, "0 hours is the schedule off");
    let json = serde_json::to_value(dto::BackupStatus::from(status(0))).unwrap();
    assert!(json["everyHours"].is_null() && json["nextRunAt"].is_string());
}

#[test]
fn archives_carry_their_manifest_counts_and_unreadable_ones_are_left_out() {
    let info = |manifest| gogga::backup::ArchiveInfo {
        path: "/backups/gogga-1.tar.zst".into(),
        file_name: "gogga-1.tar.zst".into(),
        bytes: 5_000_000_000,
        manifest,
        problem: None,
    };
    let b = dto::BackupInfo::from_archive(&info(Some(manifest()))).unwrap();
    assert_eq!(
        (b.path.as_str(), b.size_bytes, b.schema_version),
        ("/backups/gogga-1.tar.zst", 5_000_000_000, 3)
    );
    assert_eq!(
        b.counts,
        BackupCounts { documents: 2, chunks: 40, conversations: 0, messages: 6 },
        "a missing table counts 0"
    );
    assert!(dto::BackupInfo::from_archive(&info(None)).is_none());
}

#[test]
fn a_damaged_archive_is_a_report_with_its_problem_not_an_error() {
    let err = gogga::Error::new(gogga::ErrorKind::Backup, "the archive is truncated: no end marker");
    let r = dto::VerifyReport::from_result("/b/x.tar.zst".into(), Err(err));
    assert!(!r.ok);
    assert_eq!(r.problems, ["the archive is truncated: no end marker"]);
    assert_eq!(r.counts, None);
    let good = gogga::backup::VerifyReport {
        archive: "/b/y.tar.zst".into(),
        bytes: 10,
        sha256: "00".into(),
        manifest: manifest(),
        integrity: "ok".into(),
    };
    let r = dto::VerifyReport::from_result("/b/y.tar.zst".into(), Ok(good));
    assert!(r.ok && r.problems.is_empty());
    assert_eq!(r.counts.map(|c| c.documents), Some(2));
}

#[test]
fn a_restore_asked_for_is_found_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    assert_eq!(gogga_desktop::restore::take(&config), None, "nothing asked");
    gogga_desktop::restore::request(&config, std::path::Path::new("/backups/gogga-1.tar.zst")).unwrap();
    assert_eq!(
        gogga_desktop::restore::take(&config).as_deref(),
        Some(std::path::Path::new("/backups/gogga-1.tar.zst"))
    );
    assert_eq!(
        gogga_desktop::restore::take(&config),
        None,
        "only once: a bad archive cannot block every start"
    );
}
