// Where questions are typed. Enter sends, Shift+Enter adds a line, Esc (or
// the Stop button) stops a running answer. Auto / Fast / Max overrides the
// router for the next turns; "Only my documents" forbids outside knowledge;
// the paperclip attaches files to this conversation.
import type { RouteMode } from "../../ipc";
import { Icon } from "../../components/Icon";
import { Spinner } from "../../components/Feedback";

type Props = {
  text: string;
  onText: (t: string) => void;
  onSend: () => void;
  onStop: () => void;
  running: boolean;
  stopping: boolean;
  mode: RouteMode;
  onMode: (m: RouteMode) => void;
  onlyDocuments: boolean;
  onOnlyDocuments: (v: boolean) => void;
  onAttach: () => void;
  attaching: boolean;
  attachments: number;
  inputRef: React.Ref<HTMLTextAreaElement>;
};

const MODES: { value: RouteMode; label: string; hint: string }[] = [
  { value: "auto", label: "Auto", hint: "Let Gogga pick the model for each question" },
  { value: "fast", label: "Fast", hint: "Always the fast model" },
  { value: "max", label: "Max", hint: "Always the biggest model" },
];

export function Composer({
  text,
  onText,
  onSend,
  onStop,
  running,
  stopping,
  mode,
  onMode,
  onlyDocuments,
  onOnlyDocuments,
  onAttach,
  attaching,
  attachments,
  inputRef,
}: Props) {
  const canSend = text.trim().length > 0 && !running;
  const lines = text.split("\n").length;
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSend) onSend();
      }}
    >
      <div className="composer-box">
        <label htmlFor="composer-input" className="sr-only">
          Your question
        </label>
        <textarea
          id="composer-input"
          ref={inputRef}
          value={text}
          rows={Math.min(8, Math.max(2, lines))}
          placeholder="Ask about your documents… (Enter sends, Shift+Enter for a new line)"
          onChange={(e) => onText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              if (canSend) onSend();
            }
          }}
        />
        <div className="composer-actions">
          <button
            type="button"
            id="attach"
            className="icon-button"
            onClick={onAttach}
            disabled={attaching}
            aria-label="Attach files to this conversation"
            title="Attach files to this conversation"
          >
            {attaching ? <Spinner /> : <Icon name="paperclip" />}
            {attachments > 0 && <span className="count">{attachments}</span>}
          </button>
          {running ? (
            <button type="button" id="stop" className="stop" onClick={onStop} disabled={stopping}>
              {stopping ? <Spinner /> : <Icon name="stop" />} {stopping ? "Stopping…" : "Stop"}
            </button>
          ) : (
            <button type="submit" id="send" className="primary" disabled={!canSend}>
              <Icon name="send" /> Send
            </button>
          )}
        </div>
      </div>
      <div className="composer-options">
        <div role="radiogroup" aria-label="Model" className="segmented">
          {MODES.map((m) => (
            <label key={m.value} title={m.hint} className={mode === m.value ? "on" : undefined}>
              <input
                type="radio"
                name="mode"
                id={`mode-${m.value}`}
                value={m.value}
                checked={mode === m.value}
                onChange={() => onMode(m.value)}
              />
              {m.label}
            </label>
          ))}
        </div>
        <label className="toggle">
          <input id="only-docs" type="checkbox" checked={onlyDocuments} onChange={(e) => onOnlyDocuments(e.target.checked)} />
          Only my documents
        </label>
        <span className="hint">Esc stops · Ctrl+K search · Ctrl+N new chat</span>
      </div>
    </form>
  );
}
