// Shows what the Rust core reports about itself (version, data folder, store
// and embedding model). The "Refresh" button calls the core again.
import { useEffect, useState } from "react";
import { ipc, type AppStatus, type IpcError } from "../../ipc";

type State =
  | { kind: "loading" }
  | { kind: "ready"; status: AppStatus }
  | { kind: "failed"; error: IpcError };

export function StatusPanel() {
  const [state, setState] = useState<State>({ kind: "loading" });

  const load = () => {
    setState({ kind: "loading" });
    ipc
      .appStatus()
      .then((status) => setState({ kind: "ready", status }))
      .catch((error: IpcError) => setState({ kind: "failed", error }));
  };

  useEffect(load, []);

  return (
    <section className="status" aria-busy={state.kind === "loading"}>
      <h3 className="section-title">About this installation</h3>
      {state.kind === "loading" && <p className="muted">Asking the core…</p>}
      {state.kind === "failed" && (
        <p role="alert" className="error">
          {state.error.message} <code>{state.error.code}</code>
        </p>
      )}
      {state.kind === "ready" && (
        <dl id="status-facts">
          <dt>Version</dt>
          <dd id="status-version">{state.status.version}</dd>
          <dt>Data folder</dt>
          <dd id="status-data-dir">{state.status.dataDir}</dd>
          <dt>Store schema</dt>
          <dd id="status-schema">{state.status.schemaVersion}</dd>
          <dt>Store size</dt>
          <dd id="status-store-size">{formatBytes(state.status.storeBytes)}</dd>
          <dt>Embedding model</dt>
          <dd id="status-model">
            {state.status.modelId}{" "}
            {state.status.modelReady ? (
              <span className="badge ok">ready</span>
            ) : (
              <span className="badge warn" title={state.status.modelProblem ?? ""}>
                not ready
              </span>
            )}
          </dd>
        </dl>
      )}
      <button id="refresh-status" type="button" onClick={load} disabled={state.kind === "loading"}>
        Refresh
      </button>
    </section>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
