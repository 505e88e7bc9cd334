// The typed bridge to the Rust core: the ONLY module tree that imports
// @tauri-apps/* (see CONTRACT.md for every command, event and channel).
// Every command returns a typed value or rejects with an IpcError
// `{ code, message }` (never a bare string). Commands are named in
// snake_case, their arguments in camelCase, exactly as Tauri maps them onto
// the Rust parameters.
import type { AppStatus } from "./bindings/AppStatus";
import type { BackupInfo } from "./bindings/BackupInfo";
import type { BackupSchedule } from "./bindings/BackupSchedule";
import type { BackupStatus } from "./bindings/BackupStatus";
import type { ConversationDetail } from "./bindings/ConversationDetail";
import type { ConversationHit } from "./bindings/ConversationHit";
import type { ConversationSummary } from "./bindings/ConversationSummary";
import type { DocumentInfo } from "./bindings/DocumentInfo";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ImportReport } from "./bindings/ImportReport";
import type { IndexProgress } from "./bindings/IndexProgress";
import type { IpcError } from "./bindings/IpcError";
import type { Metrics } from "./bindings/Metrics";
import type { Passage } from "./bindings/Passage";
import type { ProviderInput } from "./bindings/ProviderInput";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { Settings } from "./bindings/Settings";
import type { SettingsPatch } from "./bindings/SettingsPatch";
import type { VerifyReport } from "./bindings/VerifyReport";
import type { WatchedFolder } from "./bindings/WatchedFolder";
import { editMessage, newRequestId, regenerateAnswer, sendMessage, type TurnHandle } from "./turn";
import { chooseDataFolder, chooseExportTarget, chooseFiles, chooseFolder } from "./dialog";
import { onBackupStatus, onDocumentStatus, onIndexProgress } from "./events";
import { call } from "./call";

export type * from "./types";
export type { TurnHandle };
export type { Unlisten } from "./events";
export { toIpcError } from "./call";

export const ipc = {
  appStatus: () => call<AppStatus>("app_status"),

  // Conversations.
  listConversations: () => call<ConversationSummary[]>("list_conversations"),
  createConversation: (title: string | null) => call<ConversationSummary>("create_conversation", { title }),
  renameConversation: (conversationId: string, title: string) =>
    call<ConversationSummary>("rename_conversation", { conversationId, title }),
  deleteConversation: (conversationId: string) => call<null>("delete_conversation", { conversationId }),
  getConversation: (conversationId: string) => call<ConversationDetail>("get_conversation", { conversationId }),
  searchConversations: (query: string, limit: number) =>
    call<ConversationHit[]>("search_conversations", { query, limit }),
  exportConversation: (conversationId: string, format: ExportFormat, path: string) =>
    call<string>("export_conversation", { conversationId, format, path }),

  // Chat turns (streamed over a Channel; see turn.ts).
  sendMessage,
  regenerateAnswer,
  editMessage,
  newRequestId,
  stopTurn: (requestId: string) => call<boolean>("stop_turn", { requestId }),
  prepareQuestion: () => call<boolean>("prepare_question"),
  getPassage: (chunkId: string) => call<Passage>("get_passage", { chunkId }),

  // Documents.
  listDocuments: (conversationId: string | null) => call<DocumentInfo[]>("list_documents", { conversationId }),
  importPaths: (paths: string[], conversationId: string | null) =>
    call<ImportReport>("import_paths", { paths, conversationId }),
  removeDocument: (documentId: string) => call<null>("remove_document", { documentId }),
  listWatchedFolders: () => call<WatchedFolder[]>("list_watched_folders"),
  addWatchedFolder: (path: string) => call<WatchedFolder>("add_watched_folder", { path }),
  removeWatchedFolder: (folderId: string) => call<null>("remove_watched_folder", { folderId }),
  indexStatus: () => call<IndexProgress>("index_status"),

  // Settings (API keys go to the OS keyring through the core; never returned).
  getSettings: () => call<Settings>("get_settings"),
  updateSettings: (patch: SettingsPatch) => call<Settings>("update_settings", { patch }),
  saveProvider: (provider: ProviderInput) => call<Settings>("save_provider", { provider }),
  removeProvider: (providerId: string) => call<Settings>("remove_provider", { providerId }),
  setApiKey: (providerId: string, name: string, secret: string) =>
    call<Settings>("set_api_key", { providerId, name, secret }),
  deleteApiKey: (providerId: string, name: string) => call<Settings>("delete_api_key", { providerId, name }),

  // Backups.
  backupStatus: () => call<BackupStatus>("backup_status"),
  listBackups: () => call<BackupInfo[]>("list_backups"),
  backupNow: () => call<BackupInfo>("backup_now"),
  verifyBackup: (path: string) => call<VerifyReport>("verify_backup", { path }),
  restoreBackup: (path: string) => call<RestoreReport>("restore_backup", { path }),
  setBackupSchedule: (schedule: BackupSchedule) => call<BackupStatus>("set_backup_schedule", { schedule }),

  // Diagnostics.
  getMetrics: () => call<Metrics>("get_metrics"),

  /** Open an http(s)/mailto URL in the system browser. Only ever called
   * from a click handler; the shell re-checks the scheme. */
  openExternal: (url: string) => call<null>("open_external", { url }),

  // Native dialogs (the dialog plugin; resolve to null when cancelled).
  chooseFiles,
  chooseFolder,
  chooseDataFolder,
  chooseExportTarget,

  // Events (resolve to an unlisten function).
  onIndexProgress,
  onDocumentStatus,
  onBackupStatus,
};

export type Ipc = typeof ipc;
export type { IpcError };
