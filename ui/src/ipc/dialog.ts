// Native file and folder dialogs through the dialog plugin (the shell
// registers tauri-plugin-dialog and grants `dialog:allow-open` and
// `dialog:allow-save`). Paths only: the core reads the files, the webview
// never does. Each helper resolves to null when the user cancels.
import { open, save } from "@tauri-apps/plugin-dialog";
import type { ExportFormat } from "./bindings/ExportFormat";

function asList(picked: string | string[] | null): string[] | null {
  if (picked === null) return null;
  const list = Array.isArray(picked) ? picked : [picked];
  return list.length === 0 ? null : list;
}

/** Pick one or more files to import. */
export async function chooseFiles(): Promise<string[] | null> {
  return asList(await open({ multiple: true, directory: false, title: "Import documents" }));
}

/** Pick one folder (to import or to watch). */
export async function chooseFolder(title = "Choose a folder"): Promise<string | null> {
  const picked = asList(await open({ multiple: false, directory: true, title }));
  return picked ? picked[0] : null;
}

/** Pick the data folder (takes effect after a restart). */
export function chooseDataFolder(): Promise<string | null> {
  return chooseFolder("Choose the data folder");
}

/** Where to write a conversation export. */
export async function chooseExportTarget(title: string, format: ExportFormat): Promise<string | null> {
  const extension = format === "markdown" ? "md" : "json";
  const safe = title.replace(/[^\p{L}\p{N} _-]+/gu, "").trim() || "conversation";
  return save({
    title: "Export conversation",
    defaultPath: `${safe}.${extension}`,
    filters: [{ name: format === "markdown" ? "Markdown" : "JSON", extensions: [extension] }],
  });
}
