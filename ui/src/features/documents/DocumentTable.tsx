// The documents of one scope (the library, or one conversation's
// attachments) with each file's status and error, merged with the status
// changes the core pushed since the list was loaded. Virtualized: a
// library of thousands of files keeps a small DOM.
import { use, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { DocumentInfo, IpcError } from "../../ipc";
import { documentView, type DocumentView } from "../../model/dates";
import { formatBytes, formatNumber, relativeTime } from "../../model/format";
import { Spinner } from "../../components/Feedback";
import { Icon } from "../../components/Icon";

type Props = {
  documents: Promise<DocumentInfo[]>;
  changed: Record<string, DocumentInfo | null>;
  scope: string | null;
  onRemove: (d: DocumentInfo) => Promise<void>;
};

export function merge(base: DocumentInfo[], changed: Record<string, DocumentInfo | null>, scope: string | null): DocumentInfo[] {
  const seen = new Set<string>();
  const out: DocumentInfo[] = [];
  for (const d of base) {
    seen.add(d.id);
    const c = changed[d.id];
    if (c === null) continue;
    out.push(c ?? d);
  }
  for (const [id, c] of Object.entries(changed)) {
    if (c && !seen.has(id) && c.conversationId === scope) out.push(c);
  }
  return out;
}

export function DocumentTable({ documents, changed, scope, onRemove }: Props) {
  const list = merge(use(documents), changed, scope);
  if (list.length === 0) {
    return (
      <div className="empty-state" id="documents-empty">
        <Icon name="document" size={32} />
        <p>No documents here yet. Import files or a folder, or watch a folder that Gogga keeps up to date.</p>
      </div>
    );
  }
  const failed = list.filter((d) => d.status === "failed").length;
  return (
    <>
      <p className="muted list-summary">
        {formatNumber(list.length)} document{list.length === 1 ? "" : "s"}
        {failed > 0 && <span className="error-text"> · {failed} could not be read</span>}
      </p>
      <DocumentRows list={list} onRemove={onRemove} />
    </>
  );
}

function DocumentRows({ list, onRemove }: { list: DocumentInfo[]; onRemove: (d: DocumentInfo) => Promise<void> }) {
  // TanStack Virtual's mutable instance must not be cached by the React
  // Compiler; the rows it renders are compiled components.
  "use no memo";
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 64,
    overscan: 8,
    getItemKey: (i) => list[i].id,
    initialRect: { width: 800, height: 480 },
  });
  return (
    <div className="doc-list" ref={scroller} id="document-list">
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }} role="list" aria-label="Documents">
        {virtualizer.getVirtualItems().map((v) => (
          <div
            key={v.key}
            role="listitem"
            className="doc-item"
            data-index={v.index}
            ref={virtualizer.measureElement}
            style={{ transform: `translateY(${v.start}px)` }}
          >
            <DocumentRow doc={documentView(list[v.index])} onRemove={onRemove} />
          </div>
        ))}
      </div>
    </div>
  );
}

const STATUS_LABEL: Record<DocumentInfo["status"], string> = {
  queued: "Queued",
  extracting: "Reading",
  embedding: "Indexing",
  ready: "Ready",
  failed: "Failed",
};

function DocumentRow({ doc, onRemove }: { doc: DocumentView; onRemove: (d: DocumentInfo) => Promise<void> }) {
  const [mode, setMode] = useState<"idle" | "confirm" | "removing">("idle");
  const [error, setError] = useState<IpcError | null>(null);
  const remove = async () => {
    setMode("removing");
    setError(null);
    try {
      await onRemove(doc);
    } catch (e) {
      setError(e as IpcError);
      setMode("idle");
    }
  };
  const working = doc.status === "queued" || doc.status === "extracting" || doc.status === "embedding";
  return (
    <div className={`doc-row status-${doc.status}`} data-document-id={doc.id} data-status={doc.status}>
      <Icon name="document" size={20} />
      <div className="doc-main">
        <div className="doc-title">{doc.title}</div>
        <div className="doc-path" title={doc.path}>
          {doc.path}
        </div>
        {doc.error && (
          <div className="doc-error" role="note">
            {doc.error.message} <code className="error-code">{doc.error.code}</code>
          </div>
        )}
        {error && (
          <div className="doc-error" role="alert">
            {error.message}
          </div>
        )}
      </div>
      <div className="doc-facts">
        <span className="doc-format">{doc.format.toUpperCase()}</span>
        <span>{formatBytes(doc.sizeBytes)}</span>
        <span>
          {doc.pages !== null ? `${doc.pages} pages · ` : ""}
          {formatNumber(doc.chunks)} {doc.chunks === 1 ? "passage" : "passages"}
        </span>
        <span className="muted" title={doc.updatedAt}>
          {relativeTime(doc.changed)}
        </span>
      </div>
      <span className={`status-chip ${doc.status}`}>
        {working && <Spinner size={10} />} {STATUS_LABEL[doc.status]}
      </span>
      {mode === "confirm" ? (
        <span className="confirm" role="group" aria-label="Confirm removal">
          <button type="button" className="danger small" onClick={remove}>
            Remove
          </button>
          <button type="button" className="small" onClick={() => setMode("idle")}>
            Keep
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="icon-button"
          aria-label={`Remove ${doc.title}`}
          title="Remove from Gogga (the file stays on disk)"
          disabled={mode === "removing"}
          onClick={() => setMode("confirm")}
        >
          {mode === "removing" ? <Spinner /> : <Icon name="trash" />}
        </button>
      )}
    </div>
  );
}
