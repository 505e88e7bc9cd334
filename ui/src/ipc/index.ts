// The typed bridge to the Rust core: the ONLY module that imports
// @tauri-apps/api. Every command returns a typed value or rejects with an
// IpcError `{ code, message }` (never a bare string).
import { invoke } from "@tauri-apps/api/core";
import type { AppStatus } from "./bindings/AppStatus";
import type { IpcError } from "./bindings/IpcError";

export type { AppStatus, IpcError };

function toIpcError(raw: unknown): IpcError {
  if (raw && typeof raw === "object" && "code" in raw && "message" in raw) {
    return raw as IpcError;
  }
  return { code: "ipc", message: String(raw) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toIpcError(raw);
  }
}

export const ipc = {
  appStatus: () => call<AppStatus>("app_status"),
};
