// The chat screen: loads a conversation (or starts a new one on the first
// send), streams turns, and opens a citation's passage in a side panel that
// loads in parallel (React.lazy + use) with its own skeleton. Keyboard: Esc
// stops a running answer (or closes the passage panel).
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { ipc, type Citation, type ConversationSummary, type IpcError, type Message, type Passage, type RouteMode } from "../../ipc";
import { ErrorNote, Skeleton } from "../../components/Feedback";
import { Icon } from "../../components/Icon";
import { markChatFirstPaint } from "../../perf/renderTimings";
import { Timed } from "../../perf/Timed";
import { Composer } from "./Composer";
import { ExportMenu } from "./ExportMenu";
import { MessageList } from "./MessageList";
import type { MessageActions } from "./MessageItem";
import { threadRows, type LiveSpot } from "./thread";
import { useTurn } from "./useTurn";

const PassagePanel = lazy(() => import("../citations/PassagePanel"));

type Props = {
  conversationId: string | null;
  /** The title as the conversation list knows it (it changes when the core
   * auto-titles a new conversation after its first exchange). */
  title?: string | null;
  focusMessageId: string | null;
  defaultMode: RouteMode;
  onConversationCreated: (c: ConversationSummary) => void;
  onTurnEnded: () => void;
  onOpenSettings: () => void;
};

type Load = { status: "loading" } | { status: "ready" } | { status: "failed"; error: IpcError };

export function ChatView(props: Props) {
  const [conversationId, setConversationId] = useState(props.conversationId);
  const [title, setTitle] = useState<string | null>(null);
  const [load, setLoad] = useState<Load>(props.conversationId ? { status: "loading" } : { status: "ready" });
  const [messages, setMessages] = useState<Message[]>([]);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [text, setText] = useState("");
  const [mode, setMode] = useState<RouteMode>(props.defaultMode);
  const [onlyDocuments, setOnlyDocuments] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [passage, setPassage] = useState<{ citation: Citation; promise: Promise<Passage> } | null>(null);
  const [attachments, setAttachments] = useState(0);
  const [attaching, setAttaching] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const prepared = useRef(0);

  // The first keystroke of a question has the core load its question
  // embedder (~0.5 s once), so sending does not wait for it; at most once
  // a minute, since the core keeps it for five idle minutes.
  const onText = (t: string) => {
    setText(t);
    const now = Date.now();
    if (t.trim() && now - prepared.current > 60_000) {
      prepared.current = now;
      ipc.prepareQuestion().catch(() => undefined);
    }
  };

  const turn = useTurn({
    onStarted: (started) => {
      if (started.notice) setNotice(started.notice);
    },
    onUserMessage: (m, kind) =>
      setMessages((list) => {
        if (kind === "regenerate") return list;
        if (kind === "edit") {
          // The core drops what followed the edited message; mirror it.
          const at = list.findIndex((x) => x.id === m.id);
          return at < 0 ? [...list, m] : [...list.slice(0, at), m];
        }
        return list.some((x) => x.id === m.id) ? list : [...list, m];
      }),
    onAnswer: (m) => {
      setMessages((list) => [...list.filter((x) => x.id !== m.id), m]);
      const question = m.replyTo;
      if (question) setChosen((c) => ({ ...c, [question]: m.id }));
    },
    onError: (e, gaveBack) => {
      setError(e);
      if (gaveBack !== null) setText((t) => (t ? t : gaveBack));
    },
    onEnded: props.onTurnEnded,
  });

  const reload = () => {
    const id = conversationId;
    if (!id) return;
    setLoad({ status: "loading" });
    ipc
      .getConversation(id)
      .then((detail) => {
        setMessages(detail.messages);
        setTitle(detail.conversation.title);
        setLoad({ status: "ready" });
      })
      .catch((e: IpcError) => setLoad({ status: "failed", error: e }));
    ipc
      .listDocuments(id)
      .then((docs) => setAttachments(docs.length))
      .catch(() => setAttachments(0));
  };

  useEffect(() => {
    reload();
    input.current?.focus();
    requestAnimationFrame(markChatFirstPaint);
    // Loads once per mounted conversation; App remounts on a switch.
  }, []);

  const running = turn.live !== null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      if (running) {
        e.preventDefault();
        void turn.stop();
      } else if (passage) {
        setPassage(null);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [running, passage, turn]);

  const ensureConversation = async (): Promise<string | null> => {
    if (conversationId) return conversationId;
    try {
      const c = await ipc.createConversation(null);
      setConversationId(c.id);
      setTitle(c.title);
      props.onConversationCreated(c);
      return c.id;
    } catch (e) {
      setError(e as IpcError);
      return null;
    }
  };

  const send = async () => {
    const question = text.trim();
    if (!question || running) return;
    setError(null);
    setText("");
    const id = await ensureConversation();
    if (!id) {
      setText(question);
      return;
    }
    turn.begin("send", question, (onEvent, requestId) => ipc.sendMessage(id, question, { mode, onlyDocuments }, onEvent, requestId));
  };

  const actions: MessageActions = {
    busy: running,
    onCite: (citation) => setPassage({ citation, promise: passageOf(citation) }),
    onRegenerate: (m) => {
      setError(null);
      turn.begin("regenerate", "", (onEvent, requestId) => ipc.regenerateAnswer(m.id, { mode, onlyDocuments }, onEvent, requestId));
    },
    onEdit: (m, newText) => {
      setError(null);
      turn.begin("edit", newText, (onEvent, requestId) => ipc.editMessage(m.id, newText, { mode, onlyDocuments }, onEvent, requestId));
    },
    onPickAlternative: (userId, messageId) => setChosen((c) => ({ ...c, [userId]: messageId })),
  };

  const attach = async () => {
    setAttaching(true);
    try {
      const paths = await ipc.chooseFiles();
      if (paths) {
        const id = await ensureConversation();
        if (id) {
          const report = await ipc.importPaths(paths, id);
          setAttachments((n) => n + report.accepted);
          if (report.skipped.length > 0) {
            setError({ code: report.skipped[0].code, message: `${report.skipped.length} file(s) skipped: ${report.skipped[0].message}` });
          }
        }
      }
    } catch (e) {
      setError(e as IpcError);
    }
    setAttaching(false);
  };

  const live = turn.live;
  const spot: LiveSpot = live ? (live.userMessage ? { userMessageId: live.userMessage.id } : { pendingText: live.pendingText }) : null;
  const rows = threadRows(messages, chosen, spot);
  const searchOnly = live?.searchOnly || messages.some((m) => m.searchOnly);

  return (
    <div className={`chat${passage ? " with-panel" : ""}`}>
      <section className="chat-main" aria-label="Chat">
        <header className="chat-head">
          <h2 id="chat-title">{props.title ?? title ?? "New chat"}</h2>
          {attachments > 0 && (
            <span className="badge muted-badge" title="Documents attached to this conversation">
              <Icon name="paperclip" size={12} /> {attachments} attached
            </span>
          )}
          {conversationId && messages.length > 0 && <ExportMenu conversationId={conversationId} title={props.title ?? title ?? "conversation"} />}
        </header>
        {searchOnly && (
          <div className="notice" role="note" id="search-only-notice">
            <Icon name="warn" />
            <span>
              {notice ?? "No model is set up, so answers are the best passages from your documents, with their sources."}
            </span>
            <button type="button" className="link-button" onClick={props.onOpenSettings}>
              Add a model in Settings
            </button>
          </div>
        )}
        <div className="chat-body">
          <Timed panel="chat">
            {load.status === "loading" && <Skeleton lines={6} label="Loading the conversation" />}
            {load.status === "failed" && <ErrorNote error={load.error} onRetry={reload} />}
            {load.status === "ready" && rows.length === 0 && <Welcome />}
            {load.status === "ready" && rows.length > 0 && (
              <MessageList rows={rows} live={live} actions={actions} focusMessageId={props.focusMessageId} />
            )}
          </Timed>
        </div>
        {error && (
          <div className="turn-error">
            <ErrorNote error={error} />
            <button type="button" className="icon-button" aria-label="Dismiss error" onClick={() => setError(null)}>
              <Icon name="close" />
            </button>
          </div>
        )}
        <Composer
          text={text}
          onText={onText}
          onSend={send}
          onStop={turn.stop}
          running={running}
          stopping={live?.phase === "stopping"}
          mode={mode}
          onMode={setMode}
          onlyDocuments={onlyDocuments}
          onOnlyDocuments={setOnlyDocuments}
          onAttach={attach}
          attaching={attaching}
          attachments={attachments}
          inputRef={input}
        />
      </section>
      {passage && (
        <Suspense fallback={<aside className="passage-panel"><Skeleton lines={6} label="Opening the source" /></aside>}>
          <PassagePanel
            citation={passage.citation}
            passage={passage.promise}
            onClose={() => setPassage(null)}
            onRetry={() => setPassage({ citation: passage.citation, promise: passageOf(passage.citation) })}
          />
        </Suspense>
      )}
    </div>
  );
}

/** The passage request, started in the click (in parallel with the panel's
 * code). A rejection is kept for `use()`, without an "unhandled rejection"
 * report while the panel's code is still loading. */
function passageOf(citation: Citation): Promise<Passage> {
  const p = ipc.getPassage(citation.chunkId);
  p.catch(() => {});
  return p;
}

function Welcome() {
  return (
    <div className="welcome" id="welcome">
      <h2>Sawubona! What would you like to know?</h2>
      <p className="muted">
        Gogga answers from your own documents and shows where each answer comes from. Nothing leaves your machine except
        the question you send to the model you chose.
      </p>
      <ul className="tips">
        <li>
          <kbd>Enter</kbd> sends, <kbd>Shift</kbd>+<kbd>Enter</kbd> adds a line
        </li>
        <li>
          <kbd>Esc</kbd> stops an answer
        </li>
        <li>
          <kbd>Ctrl</kbd>+<kbd>K</kbd> searches your chats, <kbd>Ctrl</kbd>+<kbd>N</kbd> starts a new one
        </li>
      </ul>
    </div>
  );
}
