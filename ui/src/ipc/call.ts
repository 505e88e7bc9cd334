// One way to call a command: `invoke` plus the mapping of whatever the shell
// rejects with onto an IpcError `{ code, message }`, so screens never see a
// bare string or an Error object from the IPC layer.
import { invoke } from "@tauri-apps/api/core";
import type { IpcError } from "./bindings/IpcError";

/** Normalise a rejection: keep `{code, message}`, wrap anything else. */
export function toIpcError(raw: unknown): IpcError {
  if (raw && typeof raw === "object" && "code" in raw && "message" in raw) {
    const { code, message } = raw as { code: unknown; message: unknown };
    return { code: String(code), message: String(message) };
  }
  if (raw instanceof Error) return { code: "ipc", message: raw.message };
  return { code: "ipc", message: String(raw) };
}

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toIpcError(raw);
  }
}
