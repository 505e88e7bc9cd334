// Where backups go, how often, and how many to keep. The folder may be a
// network share (NFS/SMB): backups are written as one archive there.
import { useState } from "react";
import { ipc, type BackupStatus, type IpcError } from "../../ipc";
import { ErrorNote, Spinner } from "../../components/Feedback";
import { Icon } from "../../components/Icon";

export function ScheduleForm({ status, onSaved }: { status: BackupStatus; onSaved: (s: BackupStatus) => void }) {
  const [folder, setFolder] = useState(status.folder ?? "");
  const [everyHours, setEveryHours] = useState(status.everyHours === null ? "" : String(status.everyHours));
  const [keep, setKeep] = useState(String(status.keep));
  const [saving, setSaving] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [saved, setSaved] = useState(false);

  const hours = everyHours.trim() === "" ? null : Number(everyHours);
  const keepN = Number(keep);
  const valid = (hours === null || (Number.isInteger(hours) && hours >= 1)) && Number.isInteger(keepN) && keepN >= 1;

  const choose = async () => {
    setChoosing(true);
    try {
      const picked = await ipc.chooseFolder("Choose the backup folder");
      if (picked) setFolder(picked);
    } catch (e) {
      setError(e as IpcError);
    }
    setChoosing(false);
  };

  const save = async () => {
    setSaving(true);
    setError(null);
    setSaved(false);
    const schedule = { folder: folder.trim() || null, everyHours: hours, keep: keepN };
    try {
      onSaved(await ipc.setBackupSchedule(schedule));
      setSaved(true);
    } catch (e) {
      setError(e as IpcError);
    }
    setSaving(false);
  };

  return (
    <form
      className="schedule"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void save();
      }}
    >
      <div className="field">
        <label htmlFor="backup-folder">Backup folder</label>
        <div className="inline-form">
          <input id="backup-folder" type="text" spellCheck={false} placeholder="/mnt/nas/gogga" value={folder} onChange={(e) => setFolder(e.target.value)} />
          <button type="button" onClick={choose} disabled={choosing}>
            {choosing ? <Spinner /> : <Icon name="folder" />} Choose…
          </button>
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="backup-every">Every (hours, empty = only by hand)</label>
          <input id="backup-every" type="number" min={1} value={everyHours} onChange={(e) => setEveryHours(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="backup-keep">Keep the last</label>
          <input id="backup-keep" type="number" min={1} value={keep} onChange={(e) => setKeep(e.target.value)} />
        </div>
      </div>
      {!valid && <p className="error-text">Hours and the number to keep must be whole numbers of at least 1.</p>}
      <div className="row-actions">
        <button type="submit" id="backup-schedule-save" disabled={saving || !valid}>
          {saving ? <Spinner /> : null} Save schedule
        </button>
        {saved && <span className="saved">Saved</span>}
      </div>
      {error && <ErrorNote error={error} />}
    </form>
  );
}
