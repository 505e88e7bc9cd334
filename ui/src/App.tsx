// The application frame: the sidebar (conversations, search, navigation)
// and one screen at a time. Documents, settings, backups and diagnostics are
// code-split (React.lazy); the data a screen needs is requested in the same
// click that opens it, so code and data load in parallel behind skeletons
// instead of one after the other. Global keys: Ctrl+K searches
// conversations, Ctrl+N starts a new chat.
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { ChatView } from "./features/chat/ChatView";
import { Sidebar, type View } from "./features/conversations/Sidebar";
import { useConversations } from "./features/conversations/useConversations";
import { useSettings } from "./features/settings/useSettings";
import { loadDocumentsData, type DocumentsData } from "./features/documents/data";
import { loadDiagnosticsData, type DiagnosticsData } from "./features/diagnostics/data";
import { Skeleton } from "./components/Feedback";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { Timed } from "./perf/Timed";

const DocumentsScreen = lazy(() => import("./features/documents/DocumentsScreen"));
const SettingsScreen = lazy(() => import("./features/settings/SettingsScreen"));
const BackupsScreen = lazy(() => import("./features/backups/BackupsScreen"));
const DiagnosticsScreen = lazy(() => import("./features/diagnostics/DiagnosticsScreen"));

type Chat = { key: number; conversationId: string | null; focusMessageId: string | null };

export function App() {
  const settings = useSettings();
  const conversations = useConversations();
  const [view, setView] = useState<View>("chat");
  const [chat, setChat] = useState<Chat>({ key: 0, conversationId: null, focusMessageId: null });
  const [documents, setDocuments] = useState<DocumentsData | null>(null);
  const [diagnostics, setDiagnostics] = useState<DiagnosticsData | null>(null);
  const search = useRef<HTMLInputElement>(null);

  const open = (v: View) => {
    // Start the data requests now, while React.lazy fetches the code.
    if (v === "documents") setDocuments(loadDocumentsData(chat.conversationId));
    if (v === "diagnostics") setDiagnostics(loadDiagnosticsData());
    setView(v);
  };

  const newChat = () => {
    setChat((c) => ({ key: c.key + 1, conversationId: null, focusMessageId: null }));
    setView("chat");
  };

  const select = (id: string, messageId?: string) => {
    setChat((c) => ({ key: c.key + 1, conversationId: id, focusMessageId: messageId ?? null }));
    setView("chat");
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === "k") {
        e.preventDefault();
        search.current?.focus();
        search.current?.select();
      } else if (key === "n") {
        e.preventDefault();
        newChat();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const title =
    conversations.state.status === "ready" ? (conversations.state.items.find((c) => c.id === chat.conversationId)?.title ?? null) : null;
  const defaultMode = settings.state.status === "ready" ? settings.state.settings.defaultMode : "auto";
  const screenFallback = <Skeleton lines={8} label="Loading the screen" />;

  return (
    <div className="shell">
      <Sidebar
        conversations={conversations}
        selectedId={chat.conversationId}
        view={view}
        onView={open}
        onSelect={select}
        onNew={newChat}
        onDeleted={(id) => {
          if (id === chat.conversationId) newChat();
        }}
        searchRef={search}
      />
      <main className="main" id="main">
        {view === "chat" && (
          <ChatView
            key={chat.key}
            conversationId={chat.conversationId}
            title={title}
            focusMessageId={chat.focusMessageId}
            defaultMode={defaultMode}
            onConversationCreated={(c) => {
              conversations.upsert(c);
              setChat((s) => ({ ...s, conversationId: c.id }));
            }}
            onTurnEnded={() => void conversations.refresh()}
            onOpenSettings={() => open("settings")}
          />
        )}
        {view !== "chat" && (
          <div className="screen">
            <ErrorBoundary resetKey={view}>
              <Suspense fallback={screenFallback}>
                {view === "documents" && documents && (
                  <Timed panel="documents">
                    <DocumentsScreen
                      data={documents}
                      conversationId={chat.conversationId}
                      onReload={(conversationId) => setDocuments(loadDocumentsData(conversationId))}
                    />
                  </Timed>
                )}
                {view === "settings" && (
                  <Timed panel="settings">
                    <SettingsScreen store={settings} />
                  </Timed>
                )}
                {view === "backups" && (
                  <Timed panel="backups">
                    <BackupsScreen />
                  </Timed>
                )}
                {view === "diagnostics" && diagnostics && (
                  <Timed panel="diagnostics">
                    <DiagnosticsScreen data={diagnostics} onReload={() => setDiagnostics(loadDiagnosticsData())} />
                  </Timed>
                )}
              </Suspense>
            </ErrorBoundary>
          </div>
        )}
      </main>
    </div>
  );
}
