// One conversation in the sidebar: select it, rename it in place (Enter
// saves, Esc cancels), or delete it after a confirmation. Each action shows
// that it is working and any error the core gives.
import { useState } from "react";
import type { IpcError } from "../../ipc";
import { Icon } from "../../components/Icon";
import { Spinner } from "../../components/Feedback";
import { relativeTime } from "../../model/format";
import type { ConversationView } from "../../model/dates";

type Props = {
  conversation: ConversationView;
  selected: boolean;
  onSelect: () => void;
  onRename: (title: string) => Promise<void>;
  onDelete: () => Promise<void>;
};

type Mode = { kind: "idle" } | { kind: "renaming"; title: string } | { kind: "confirming" } | { kind: "busy" };

export function ConversationRow({ conversation, selected, onSelect, onRename, onDelete }: Props) {
  const [mode, setMode] = useState<Mode>({ kind: "idle" });
  const [error, setError] = useState<IpcError | null>(null);

  const run = async (action: () => Promise<void>) => {
    setMode({ kind: "busy" });
    setError(null);
    try {
      await action();
      setMode({ kind: "idle" });
    } catch (e) {
      setError(e as IpcError);
      setMode({ kind: "idle" });
    }
  };

  if (mode.kind === "renaming") {
    return (
      <div className="conv-row renaming">
        <label className="sr-only" htmlFor={`rename-${conversation.id}`}>
          New title
        </label>
        <input
          id={`rename-${conversation.id}`}
          className="rename-input"
          value={mode.title}
          autoFocus
          onChange={(e) => setMode({ kind: "renaming", title: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === "Enter" && mode.title.trim()) void run(() => onRename(mode.title.trim()));
            if (e.key === "Escape") {
              e.stopPropagation();
              setMode({ kind: "idle" });
            }
          }}
          onBlur={() => setMode({ kind: "idle" })}
        />
      </div>
    );
  }

  return (
    <div className={`conv-row${selected ? " selected" : ""}`} data-conversation-id={conversation.id}>
      <button type="button" className="conv-select" onClick={onSelect} aria-current={selected ? "page" : undefined}>
        <span className="conv-title">{conversation.title}</span>
        <span className="conv-time">{relativeTime(conversation.updated)}</span>
      </button>
      {mode.kind === "confirming" ? (
        <span className="conv-confirm" role="group" aria-label="Confirm delete">
          <button type="button" className="danger small" onClick={() => run(onDelete)}>
            Delete
          </button>
          <button type="button" className="small" onClick={() => setMode({ kind: "idle" })}>
            Keep
          </button>
        </span>
      ) : mode.kind === "busy" ? (
        <span className="conv-actions visible">
          <Spinner />
        </span>
      ) : (
        <span className="conv-actions">
          <button
            type="button"
            className="icon-button"
            aria-label={`Rename ${conversation.title}`}
            title="Rename"
            onClick={() => setMode({ kind: "renaming", title: conversation.title })}
          >
            <Icon name="edit" size={14} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Delete ${conversation.title}`}
            title="Delete"
            onClick={() => setMode({ kind: "confirming" })}
          >
            <Icon name="trash" size={14} />
          </button>
        </span>
      )}
      {error && (
        <p role="alert" className="conv-error">
          {error.message}
        </p>
      )}
    </div>
  );
}
