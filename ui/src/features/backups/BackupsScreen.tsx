// Backups: the schedule and its last success, last failure (said loudly)
// and next run; "Back up now"; the archives in the backup folder, each of
// which can be verified (checksums, integrity, counts) or restored (checked
// first; the current data is kept until the swap succeeds). Every action
// shows that it is working.
import { useEffect, useState } from "react";
import { ipc, type BackupInfo, type BackupStatus, type IpcError, type RestoreReport, type VerifyReport } from "../../ipc";
import { useCoreEvent } from "../../hooks/useCoreEvent";
import { ErrorNote, Skeleton, Spinner } from "../../components/Feedback";
import { Icon } from "../../components/Icon";
import { formatBytes, formatDateTime, formatNumber, relativeTime } from "../../model/format";
import { ScheduleForm } from "./ScheduleForm";

type Loaded<T> = { status: "loading" } | { status: "ready"; value: T } | { status: "failed"; error: IpcError };

export default function BackupsScreen() {
  const [status, setStatus] = useState<Loaded<BackupStatus>>({ status: "loading" });
  const [backups, setBackups] = useState<Loaded<BackupInfo[]>>({ status: "loading" });
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<IpcError | null>(null);
  const [made, setMade] = useState<BackupInfo | null>(null);

  const load = () => {
    setStatus({ status: "loading" });
    setBackups({ status: "loading" });
    ipc
      .backupStatus()
      .then((value) => setStatus({ status: "ready", value }))
      .catch((error: IpcError) => setStatus({ status: "failed", error }));
    ipc
      .listBackups()
      .then((value) => setBackups({ status: "ready", value }))
      .catch((error: IpcError) => setBackups({ status: "failed", error }));
  };
  useEffect(load, []);

  useCoreEvent(ipc.onBackupStatus, (value: BackupStatus) => setStatus({ status: "ready", value }));

  const backupNow = async () => {
    setRunning(true);
    setRunError(null);
    setMade(null);
    try {
      const b = await ipc.backupNow();
      setMade(b);
      setBackups((l) => (l.status === "ready" ? { status: "ready", value: [b, ...l.value] } : l));
      ipc
        .backupStatus()
        .then((value) => setStatus({ status: "ready", value }))
        .catch(() => {});
    } catch (e) {
      setRunError(e as IpcError);
    }
    setRunning(false);
  };

  return (
    <section className="backups" aria-labelledby="backups-title">
      <header className="screen-head">
        <h2 id="backups-title">Backups</h2>
        <div className="head-actions">
          <button type="button" id="backup-now" className="primary" onClick={backupNow} disabled={running}>
            {running ? <Spinner /> : <Icon name="archive" />} {running ? "Backing up…" : "Back up now"}
          </button>
        </div>
      </header>
      {runError && (
        <div className="loud-error" role="alert" id="backup-error">
          <Icon name="warn" /> The backup failed: {runError.message} <code className="error-code">{runError.code}</code>
        </div>
      )}
      {made && (
        <p className="success" role="status" id="backup-made">
          <Icon name="check" /> Backed up to <span className="path">{made.path}</span> ({formatBytes(made.sizeBytes)}).
        </p>
      )}

      {status.status === "loading" && <Skeleton lines={3} label="Loading backup status" />}
      {status.status === "failed" && <ErrorNote error={status.error} onRetry={load} />}
      {status.status === "ready" && <StatusCard status={status.value} onSaved={(value) => setStatus({ status: "ready", value })} />}

      <h3 className="section-title">Archives</h3>
      {backups.status === "loading" && <Skeleton lines={4} label="Loading backups" />}
      {backups.status === "failed" && <ErrorNote error={backups.error} onRetry={load} />}
      {backups.status === "ready" && backups.value.length === 0 && <p className="muted">No backups yet.</p>}
      {backups.status === "ready" && backups.value.length > 0 && (
        <ul className="backup-list" id="backup-list">
          {backups.value.map((b) => (
            <BackupRow key={b.path} backup={b} />
          ))}
        </ul>
      )}
    </section>
  );
}

function StatusCard({ status, onSaved }: { status: BackupStatus; onSaved: (s: BackupStatus) => void }) {
  const failedLast =
    status.lastFailure !== null && (status.lastSuccess === null || status.lastFailure.at > status.lastSuccess.at);
  return (
    <div className="card backup-status" id="backup-status">
      {failedLast && status.lastFailure && (
        <div className="loud-error" role="alert" id="backup-last-failure">
          <Icon name="warn" /> The last backup failed {relativeTime(new Date(status.lastFailure.at))}: {status.lastFailure.message}
        </div>
      )}
      <dl className="facts">
        <dt>Last success</dt>
        <dd id="backup-last-success">
          {status.lastSuccess ? (
            <>
              {formatDateTime(new Date(status.lastSuccess.at))} <Ago iso={status.lastSuccess.at} />
            </>
          ) : (
            <span className="error-text">never</span>
          )}
        </dd>
        <dt>Last failure</dt>
        <dd>
          {status.lastFailure ? (
            <>
              {formatDateTime(new Date(status.lastFailure.at))} — {status.lastFailure.message}
            </>
          ) : (
            "none"
          )}
        </dd>
        <dt>Next run</dt>
        <dd id="backup-next-run">
          {status.running ? (
            <>
              <Spinner /> running now
            </>
          ) : status.nextRunAt ? (
            formatDateTime(new Date(status.nextRunAt))
          ) : (
            "not scheduled"
          )}
        </dd>
      </dl>
      <ScheduleForm status={status} onSaved={onSaved} />
    </div>
  );
}

/** "(3 h ago)" for recent times; nothing when the date says it all. */
function Ago({ iso }: { iso: string }) {
  const rel = relativeTime(new Date(iso));
  return /ago|now|yesterday/.test(rel) ? <span className="muted">({rel})</span> : null;
}

type RowAction =
  | { kind: "idle" }
  | { kind: "verifying" }
  | { kind: "verified"; report: VerifyReport }
  | { kind: "confirm-restore" }
  | { kind: "restoring" }
  | { kind: "restored"; report: RestoreReport }
  | { kind: "failed"; error: IpcError };

function BackupRow({ backup }: { backup: BackupInfo }) {
  const [action, setAction] = useState<RowAction>({ kind: "idle" });
  const verify = async () => {
    setAction({ kind: "verifying" });
    try {
      setAction({ kind: "verified", report: await ipc.verifyBackup(backup.path) });
    } catch (e) {
      setAction({ kind: "failed", error: e as IpcError });
    }
  };
  const restore = async () => {
    setAction({ kind: "restoring" });
    try {
      setAction({ kind: "restored", report: await ipc.restoreBackup(backup.path) });
    } catch (e) {
      setAction({ kind: "failed", error: e as IpcError });
    }
  };
  const busy = action.kind === "verifying" || action.kind === "restoring";
  const c = backup.counts;
  return (
    <li className="backup-row" data-path={backup.path}>
      <div className="backup-main">
        <Icon name="archive" size={20} />
        <div>
          <div className="backup-when">
            {formatDateTime(new Date(backup.createdAt))} <span className="muted">· {formatBytes(backup.sizeBytes)}</span>
          </div>
          <div className="path" title={backup.path}>
            {backup.path}
          </div>
          <div className="muted">
            {formatNumber(c.documents)} documents · {formatNumber(c.chunks)} passages · {formatNumber(c.conversations)} conversations ·{" "}
            {formatNumber(c.messages)} messages · v{backup.appVersion}, schema {backup.schemaVersion}
          </div>
        </div>
        <div className="row-actions">
          <button type="button" className="verify" onClick={verify} disabled={busy}>
            {action.kind === "verifying" ? <Spinner /> : <Icon name="shield" />} {action.kind === "verifying" ? "Verifying…" : "Verify"}
          </button>
          <button type="button" className="restore" onClick={() => setAction({ kind: "confirm-restore" })} disabled={busy}>
            {action.kind === "restoring" ? <Spinner /> : <Icon name="regenerate" />} {action.kind === "restoring" ? "Restoring…" : "Restore…"}
          </button>
        </div>
      </div>
      {action.kind === "verified" &&
        (action.report.ok ? (
          <p className="success" role="status">
            <Icon name="check" /> Verified: checksums, database integrity and counts all match.
          </p>
        ) : (
          <div className="loud-error" role="alert">
            <Icon name="warn" /> This archive is damaged:
            <ul>
              {action.report.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ))}
      {action.kind === "confirm-restore" && (
        <div className="confirm-box" role="group" aria-label="Confirm restore">
          <p>
            Restore this backup? Gogga checks the archive first; your current data is kept aside until the restore succeeds, and
            stays as it is if anything is wrong.
          </p>
          <div className="row-actions">
            <button type="button" className="danger" onClick={restore}>
              Restore this backup
            </button>
            <button type="button" onClick={() => setAction({ kind: "idle" })}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {action.kind === "restored" && (
        <p className="success" role="status">
          <Icon name="check" /> {action.report.message}
          {action.report.restartRequired && " Restart Gogga to finish."}
        </p>
      )}
      {action.kind === "failed" && <ErrorNote error={action.error} />}
    </li>
  );
}
