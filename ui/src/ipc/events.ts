// Low-rate background news as typed Tauri events (emitted by the shell from
// the core's event bus): indexing progress (throttled), a document's status
// change, a backup's result. Each helper resolves to an unlisten function.
import { listen } from "@tauri-apps/api/event";
import type { BackupStatus } from "./bindings/BackupStatus";
import type { DocumentInfo } from "./bindings/DocumentInfo";
import type { IndexProgress } from "./bindings/IndexProgress";

export type Unlisten = () => void;

/** Event names, shared with the shell (see CONTRACT.md). */
export const EVENTS = {
  indexProgress: "index-progress",
  documentStatus: "document-status",
  backupStatus: "backup-status",
} as const;

function on<T>(name: string, handler: (payload: T) => void): Promise<Unlisten> {
  return listen<T>(name, (event) => handler(event.payload));
}

export const onIndexProgress = (h: (p: IndexProgress) => void) => on(EVENTS.indexProgress, h);
export const onDocumentStatus = (h: (d: DocumentInfo) => void) => on(EVENTS.documentStatus, h);
export const onBackupStatus = (h: (s: BackupStatus) => void) => on(EVENTS.backupStatus, h);
