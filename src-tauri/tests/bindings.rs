//! The TypeScript bindings in ui/src/ipc/bindings are generated from the
//! DTOs; this test regenerates them and fails when the committed files are
//! stale, so the UI can never disagree with the Rust side.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

use gogga_desktop::dto;
use ts_rs::TS;

#[test]
fn committed_bindings_match_the_dtos() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings");
    let cfg = ts_rs::Config::default();
    let cases = [
        ("AppStatus.ts", dto::AppStatus::export_to_string(&cfg)),
        ("IpcError.ts", dto::IpcError::export_to_string(&cfg)),
        ("DocumentInfo.ts", dto::DocumentInfo::export_to_string(&cfg)),
        ("DocumentStatus.ts", dto::DocumentStatus::export_to_string(&cfg)),
        ("ImportReport.ts", dto::ImportReport::export_to_string(&cfg)),
        ("PathProblem.ts", dto::PathProblem::export_to_string(&cfg)),
        ("WatchedFolder.ts", dto::WatchedFolder::export_to_string(&cfg)),
        ("IndexProgress.ts", dto::IndexProgress::export_to_string(&cfg)),
        ("Tier.ts", dto::Tier::export_to_string(&cfg)),
        ("RouteMode.ts", dto::RouteMode::export_to_string(&cfg)),
        ("Theme.ts", dto::Theme::export_to_string(&cfg)),
        ("KeyStorage.ts", dto::KeyStorage::export_to_string(&cfg)),
        ("ProviderKind.ts", dto::ProviderKind::export_to_string(&cfg)),
        ("ApiKeyInfo.ts", dto::ApiKeyInfo::export_to_string(&cfg)),
        ("ProviderInfo.ts", dto::ProviderInfo::export_to_string(&cfg)),
        ("ProviderInput.ts", dto::ProviderInput::export_to_string(&cfg)),
        ("CepoSettings.ts", dto::CepoSettings::export_to_string(&cfg)),
        ("Settings.ts", dto::Settings::export_to_string(&cfg)),
        ("SettingsPatch.ts", dto::SettingsPatch::export_to_string(&cfg)),
        ("LatencyBucket.ts", dto::LatencyBucket::export_to_string(&cfg)),
        ("LatencySeries.ts", dto::LatencySeries::export_to_string(&cfg)),
        ("DayUsage.ts", dto::DayUsage::export_to_string(&cfg)),
        ("RetryCount.ts", dto::RetryCount::export_to_string(&cfg)),
        ("QueueStats.ts", dto::QueueStats::export_to_string(&cfg)),
        ("Metrics.ts", dto::Metrics::export_to_string(&cfg)),
        ("Role.ts", dto::Role::export_to_string(&cfg)),
        ("ExportFormat.ts", dto::ExportFormat::export_to_string(&cfg)),
        ("ConversationSummary.ts", dto::ConversationSummary::export_to_string(&cfg)),
        ("ConversationDetail.ts", dto::ConversationDetail::export_to_string(&cfg)),
        ("SnippetPart.ts", dto::SnippetPart::export_to_string(&cfg)),
        ("ConversationHit.ts", dto::ConversationHit::export_to_string(&cfg)),
        ("Route.ts", dto::Route::export_to_string(&cfg)),
        ("Language.ts", dto::Language::export_to_string(&cfg)),
        ("Usage.ts", dto::Usage::export_to_string(&cfg)),
        ("Timing.ts", dto::Timing::export_to_string(&cfg)),
        ("Citation.ts", dto::Citation::export_to_string(&cfg)),
        ("Message.ts", dto::Message::export_to_string(&cfg)),
        ("TurnOptions.ts", dto::TurnOptions::export_to_string(&cfg)),
        ("ChatEvent.ts", dto::ChatEvent::export_to_string(&cfg)),
        ("Passage.ts", dto::Passage::export_to_string(&cfg)),
        ("BackupCounts.ts", dto::BackupCounts::export_to_string(&cfg)),
        ("BackupInfo.ts", dto::BackupInfo::export_to_string(&cfg)),
        ("BackupRun.ts", dto::BackupRun::export_to_string(&cfg)),
        ("BackupStatus.ts", dto::BackupStatus::export_to_string(&cfg)),
        ("BackupSchedule.ts", dto::BackupSchedule::export_to_string(&cfg)),
        ("VerifyReport.ts", dto::VerifyReport::export_to_string(&cfg)),
        ("RestoreReport.ts", dto::RestoreReport::export_to_string(&cfg)),
    ];
    let regenerate = std::env::var_os("UPDATE_BINDINGS").is_some();
    for (file, generated) in cases {
        let generated = generated.unwrap();
        let path = dir.join(file);
        if regenerate {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            committed, generated,
            "{file} is stale: run UPDATE_BINDINGS=1 cargo test -p gogga-desktop"
        );
    }
}
