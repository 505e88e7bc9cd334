// Folders Gogga keeps in sync: added, changed and deleted files are picked
// up while the app runs and at start-up. Stop watching leaves the files'
// documents in the library.
import { use, useState } from "react";
import { ipc, type IpcError, type WatchedFolder } from "../../ipc";
import { Icon } from "../../components/Icon";
import { ErrorNote, Spinner } from "../../components/Feedback";
import { formatNumber, relativeTime } from "../../model/format";

export function WatchedFolders({ initial }: { initial: Promise<WatchedFolder[]> }) {
  const loaded = use(initial);
  const [removed, setRemoved] = useState<string[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const folders = loaded.filter((f) => !removed.includes(f.id));

  const stop = async (f: WatchedFolder) => {
    setBusy(f.id);
    setError(null);
    try {
      await ipc.removeWatchedFolder(f.id);
      setRemoved((r) => [...r, f.id]);
    } catch (e) {
      setError(e as IpcError);
    }
    setBusy(null);
  };

  return (
    <section className="watched" aria-labelledby="watched-title">
      <h3 id="watched-title">
        <Icon name="eye" /> Watched folders
      </h3>
      {error && <ErrorNote error={error} />}
      {folders.length === 0 ? (
        <p className="muted">No folders are watched.</p>
      ) : (
        <ul className="folder-list" id="watched-folders">
          {folders.map((f) => (
            <li key={f.id} className="folder-row">
              <Icon name="folder" />
              <span className="path" title={f.path}>
                {f.path}
              </span>
              <span className="muted">
                {formatNumber(f.documentCount)} files · {f.lastScanAt ? `scanned ${relativeTime(new Date(f.lastScanAt))}` : "not scanned yet"}
              </span>
              {f.error && <span className="error-text">{f.error.message}</span>}
              <button type="button" className="small" onClick={() => stop(f)} disabled={busy === f.id}>
                {busy === f.id ? <Spinner /> : null} Stop watching
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
