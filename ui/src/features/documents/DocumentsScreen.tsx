// The documents screen: the library and this conversation's attachments,
// importing files and folders (native dialog, or a typed path), watched
// folders, each file's status and error, and the overall indexing progress
// with its ETA. Lists, folders and progress each sit behind their own
// Suspense boundary and load in parallel.
import { Suspense, useState, useTransition } from "react";
import { ipc, type DocumentInfo, type ImportReport, type IpcError } from "../../ipc";
import { ErrorBoundary } from "../../components/ErrorBoundary";
import { ErrorNote, Skeleton, Spinner } from "../../components/Feedback";
import { Icon } from "../../components/Icon";
import { useCoreEvent } from "../../hooks/useCoreEvent";
import type { DocumentsData } from "./data";
import { DocumentTable } from "./DocumentTable";
import { IndexProgressCard } from "./IndexProgressCard";
import { WatchedFolders } from "./WatchedFolders";

type Props = { data: DocumentsData; conversationId: string | null; onReload: (conversationId: string | null) => void };

type Busy = null | "files" | "folder" | "watch" | "path" | "watch-path";

export default function DocumentsScreen({ data, conversationId, onReload }: Props) {
  const [tab, setTab] = useState<"library" | "conversation">("library");
  const [busy, setBusy] = useState<Busy>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [path, setPath] = useState("");
  // Status changes pushed by the core since the lists were loaded.
  const [changed, setChanged] = useState<Record<string, DocumentInfo | null>>({});
  const [refreshing, startRefresh] = useTransition();

  const reload = () =>
    startRefresh(() => {
      setChanged({});
      onReload(conversationId);
    });

  useCoreEvent(ipc.onDocumentStatus, (d: DocumentInfo) => setChanged((c) => ({ ...c, [d.id]: d })));

  const target = tab === "conversation" ? conversationId : null;
  const shown = tab === "conversation" && data.attachments ? data.attachments : data.library;

  const act = async (kind: Exclude<Busy, null>, run: () => Promise<ImportReport | "watched" | null>) => {
    setBusy(kind);
    setError(null);
    setReport(null);
    let result: ImportReport | "watched" | null = null;
    try {
      result = await run();
    } catch (e) {
      setError(e as IpcError);
    }
    setBusy(null);
    if (result !== null && result !== "watched") setReport(result);
    if (result !== null) reload();
  };

  const importFiles = () =>
    act("files", async () => {
      const paths = await ipc.chooseFiles();
      return paths ? ipc.importPaths(paths, target) : null;
    });
  const importFolder = () =>
    act("folder", async () => {
      const folder = await ipc.chooseFolder("Import a folder");
      return folder ? ipc.importPaths([folder], target) : null;
    });
  const watchFolder = () =>
    act("watch", async () => {
      const folder = await ipc.chooseFolder("Watch a folder");
      if (!folder) return null;
      await ipc.addWatchedFolder(folder);
      return "watched";
    });
  const importTyped = (watch: boolean) => {
    const p = path.trim();
    if (!p) return;
    void act(watch ? "watch-path" : "path", async () => {
      if (watch) {
        await ipc.addWatchedFolder(p);
        setPath("");
        return "watched";
      }
      const r = await ipc.importPaths([p], target);
      setPath("");
      return r;
    });
  };

  const remove = async (d: DocumentInfo) => {
    await ipc.removeDocument(d.id);
    setChanged((c) => ({ ...c, [d.id]: null }));
  };

  return (
    <section className="documents" aria-labelledby="documents-title">
      <header className="screen-head">
        <h2 id="documents-title">Documents</h2>
        <div className="head-actions">
          <button type="button" id="import-files" className="primary" onClick={importFiles} disabled={busy !== null}>
            {busy === "files" ? <Spinner /> : <Icon name="document" />} Import files…
          </button>
          <button type="button" id="import-folder" onClick={importFolder} disabled={busy !== null}>
            {busy === "folder" ? <Spinner /> : <Icon name="folder" />} Import a folder…
          </button>
          <button type="button" id="watch-folder" onClick={watchFolder} disabled={busy !== null}>
            {busy === "watch" ? <Spinner /> : <Icon name="eye" />} Watch a folder…
          </button>
        </div>
      </header>

      <ErrorBoundary onRetry={reload} resetKey={data.progress}>
        <Suspense fallback={<Skeleton lines={2} label="Loading indexing progress" />}>
          <IndexProgressCard initial={data.progress} onFinished={reload} />
        </Suspense>
      </ErrorBoundary>

      <form
        className="path-import"
        onSubmit={(e) => {
          e.preventDefault();
          importTyped(false);
        }}
      >
        <label htmlFor="import-path">Or type a file or folder path</label>
        <div className="inline-form">
          <input
            id="import-path"
            data-testid="import-path"
            type="text"
            spellCheck={false}
            placeholder="/home/you/Documents/contracts"
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
          <button type="submit" id="import-path-submit" disabled={busy !== null || !path.trim()}>
            {busy === "path" ? <Spinner /> : null} Import
          </button>
          <button type="button" id="watch-path-submit" disabled={busy !== null || !path.trim()} onClick={() => importTyped(true)}>
            {busy === "watch-path" ? <Spinner /> : null} Watch
          </button>
        </div>
      </form>

      {error && <ErrorNote error={error} />}
      {report && (
        <div className="import-report" role="status" id="import-report">
          <p>
            {report.accepted === 0 ? "Nothing new to import." : `${report.accepted} file${report.accepted === 1 ? "" : "s"} added to the import queue`}
          </p>
          {report.skipped.length > 0 && (
            <ul className="skipped">
              {report.skipped.map((s) => (
                <li key={s.path}>
                  <span className="path">{s.path}</span>: {s.message} <code className="error-code">{s.code}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      <div className="tabs" role="tablist" aria-label="Which documents">
        <button type="button" role="tab" id="tab-library" aria-selected={tab === "library"} onClick={() => setTab("library")}>
          Library
        </button>
        <button
          type="button"
          role="tab"
          id="tab-conversation"
          aria-selected={tab === "conversation"}
          disabled={conversationId === null}
          title={conversationId === null ? "Open a conversation to see its attachments" : undefined}
          onClick={() => setTab("conversation")}
        >
          <Icon name="paperclip" size={14} /> This conversation
        </button>
        {refreshing && <Spinner />}
      </div>
      <div role="tabpanel" aria-labelledby={tab === "library" ? "tab-library" : "tab-conversation"}>
        <ErrorBoundary onRetry={reload} resetKey={shown}>
          <Suspense fallback={<Skeleton lines={6} label="Loading documents" />}>
            <DocumentTable
              documents={shown}
              changed={changed}
              scope={target}
              onRemove={remove}
            />
          </Suspense>
        </ErrorBoundary>
      </div>

      <ErrorBoundary onRetry={reload} resetKey={data.folders}>
        <Suspense fallback={<Skeleton lines={2} label="Loading watched folders" />}>
          <WatchedFolders initial={data.folders} />
        </Suspense>
      </ErrorBoundary>
    </section>
  );
}
