// What the documents screen needs, requested together (in the click that
// opens the screen) so the lists, the folders and the progress arrive in
// parallel with the screen's code, each behind its own skeleton.
import { ipc, type DocumentInfo, type IndexProgress, type WatchedFolder } from "../../ipc";

export type DocumentsData = {
  library: Promise<DocumentInfo[]>;
  attachments: Promise<DocumentInfo[]> | null;
  folders: Promise<WatchedFolder[]>;
  progress: Promise<IndexProgress>;
};

/** Keep a rejection for `use()` without an "unhandled rejection" report
 * when the screen is left before it renders. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

export function loadDocumentsData(conversationId: string | null): DocumentsData {
  return {
    library: quiet(ipc.listDocuments(null)),
    attachments: conversationId ? quiet(ipc.listDocuments(conversationId)) : null,
    folders: quiet(ipc.listWatchedFolders()),
    progress: quiet(ipc.indexStatus()),
  };
}
