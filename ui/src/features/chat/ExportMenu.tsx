// "Export…" in the chat header: the conversation as Markdown (citations as
// footnotes) or JSON, written by the core to a file chosen in the native
// save dialog.
import { useState } from "react";
import { ipc, type ExportFormat, type IpcError } from "../../ipc";
import { Icon } from "../../components/Icon";
import { ErrorNote, Spinner } from "../../components/Feedback";

type State = { kind: "closed" } | { kind: "open" } | { kind: "busy" } | { kind: "done"; path: string } | { kind: "failed"; error: IpcError };

export function ExportMenu({ conversationId, title }: { conversationId: string; title: string }) {
  const [state, setState] = useState<State>({ kind: "closed" });
  const run = async (format: ExportFormat) => {
    setState({ kind: "busy" });
    try {
      const path = await ipc.chooseExportTarget(title, format);
      if (path === null) {
        setState({ kind: "closed" });
        return;
      }
      setState({ kind: "done", path: await ipc.exportConversation(conversationId, format, path) });
    } catch (e) {
      setState({ kind: "failed", error: e as IpcError });
    }
  };
  return (
    <div className="export">
      <button
        type="button"
        id="export"
        className="quiet"
        aria-expanded={state.kind === "open"}
        disabled={state.kind === "busy"}
        onClick={() => setState(state.kind === "open" ? { kind: "closed" } : { kind: "open" })}
      >
        {state.kind === "busy" ? <Spinner /> : <Icon name="download" />} Export…
      </button>
      {state.kind === "open" && (
        <div className="export-menu" role="group" aria-label="Export format">
          <button type="button" onClick={() => run("markdown")}>
            Markdown (.md)
          </button>
          <button type="button" onClick={() => run("json")}>
            JSON (.json)
          </button>
        </div>
      )}
      {state.kind === "done" && (
        <span className="saved" role="status">
          Exported to <span className="path">{state.path}</span>
        </span>
      )}
      {state.kind === "failed" && <ErrorNote error={state.error} />}
    </div>
  );
}
