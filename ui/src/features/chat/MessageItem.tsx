// One message of the thread. User messages can be copied and edited (the
// conversation continues from the edit); answers can be copied and
// regenerated, show their alternatives (‹ 2/3 ›), collapsed thinking,
// inline citation markers, sources, and the route/usage line.
import { useState } from "react";
import type { Citation, Message } from "../../ipc";
import { CopyButton } from "../../components/CopyButton";
import { Icon } from "../../components/Icon";
import { ErrorNote } from "../../components/Feedback";
import { Markdown } from "../markdown/Markdown";
import { MessageMeta } from "./MessageMeta";
import { Sources } from "./Sources";

export type MessageActions = {
  onCite: (c: Citation) => void;
  onRegenerate: (m: Message) => void;
  onEdit: (m: Message, text: string) => void;
  onPickAlternative: (userMessageId: string, messageId: string) => void;
  busy: boolean;
};

export function UserMessage({ message, actions, highlight }: { message: Message; actions: MessageActions; highlight: boolean }) {
  const [draft, setDraft] = useState<string | null>(null);
  const save = () => {
    if (draft !== null && draft.trim()) {
      actions.onEdit(message, draft);
      setDraft(null);
    }
  };
  return (
    <article className={`message user${highlight ? " highlight" : ""}`} data-message-id={message.id} aria-label="Your message">
      {draft === null ? (
        <div className="bubble">
          <p className="user-text">{message.content}</p>
        </div>
      ) : (
        <div className="bubble editing">
          <label className="sr-only" htmlFor={`edit-${message.id}`}>
            Edit your message
          </label>
          <textarea
            id={`edit-${message.id}`}
            className="edit-input"
            value={draft}
            autoFocus
            rows={Math.min(8, draft.split("\n").length + 1)}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                save();
              } else if (e.key === "Escape") {
                e.stopPropagation();
                setDraft(null);
              }
            }}
          />
          <p className="hint">Saving answers again from here; the messages after this one are replaced.</p>
          <div className="row-actions">
            <button type="button" className="primary" onClick={save} disabled={actions.busy || !draft.trim()}>
              Save and answer
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {draft === null && (
        <div className="actions">
          <CopyButton text={message.content} label="Copy message" />
          <button
            type="button"
            className="icon-button"
            aria-label="Edit message"
            title="Edit message"
            disabled={actions.busy}
            onClick={() => setDraft(message.content)}
          >
            <Icon name="edit" />
          </button>
        </div>
      )}
    </article>
  );
}

export function AssistantMessage({
  message,
  alternatives,
  position,
  actions,
  highlight,
}: {
  message: Message;
  alternatives: Message[];
  position: number;
  actions: MessageActions;
  highlight: boolean;
}) {
  const pick = (i: number) => {
    if (message.replyTo) actions.onPickAlternative(message.replyTo, alternatives[i].id);
  };
  return (
    <article className={`message assistant${highlight ? " highlight" : ""}`} data-message-id={message.id} aria-label="Gogga's answer">
      {message.thinking && (
        <details className="thinking">
          <summary>
            <Icon name="think" size={14} /> Thinking
          </summary>
          <Markdown text={message.thinking} />
        </details>
      )}
      <Markdown text={message.content} citations={message.citations} onCite={actions.onCite} />
      {message.error && <ErrorNote error={message.error} />}
      <Sources citations={message.citations} onCite={actions.onCite} />
      <footer className="message-foot">
        <MessageMeta message={message} />
        <div className="actions">
          {alternatives.length > 1 && (
            <span className="alternatives" aria-label="Alternative answers">
              <button type="button" className="icon-button" aria-label="Previous answer" disabled={position === 0} onClick={() => pick(position - 1)}>
                <Icon name="left" size={14} />
              </button>
              <span className="alt-count">
                {position + 1}/{alternatives.length}
              </span>
              <button
                type="button"
                className="icon-button"
                aria-label="Next answer"
                disabled={position === alternatives.length - 1}
                onClick={() => pick(position + 1)}
              >
                <Icon name="right" size={14} />
              </button>
            </span>
          )}
          <CopyButton text={message.content} label="Copy answer" />
          <button
            type="button"
            className="icon-button"
            aria-label="Regenerate answer"
            title="Regenerate answer"
            disabled={actions.busy}
            onClick={() => actions.onRegenerate(message)}
          >
            <Icon name="regenerate" />
          </button>
        </div>
      </footer>
    </article>
  );
}
