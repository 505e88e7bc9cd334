// The left column: the app's name, "New chat", the conversation search
// (Ctrl+K focuses it; typing searches every message after a short pause),
// the conversation list, and the screen navigation.
import { useEffect, useState } from "react";
import { ipc, type ConversationHit, type IpcError } from "../../ipc";
import { Icon, Logo, type IconName } from "../../components/Icon";
import { ErrorNote, Skeleton, Spinner } from "../../components/Feedback";
import { Timed } from "../../perf/Timed";
import type { Conversations } from "./useConversations";
import { ConversationList } from "./ConversationList";
import { IndexBadge } from "./IndexBadge";
import { SearchResults } from "./SearchResults";

export type View = "chat" | "documents" | "settings" | "backups" | "diagnostics";

const NAV: { view: View; label: string; icon: IconName }[] = [
  { view: "chat", label: "Chat", icon: "chat" },
  { view: "documents", label: "Documents", icon: "document" },
  { view: "settings", label: "Settings", icon: "settings" },
  { view: "backups", label: "Backups", icon: "archive" },
  { view: "diagnostics", label: "Diagnostics", icon: "chart" },
];

type Props = {
  conversations: Conversations;
  selectedId: string | null;
  view: View;
  onView: (v: View) => void;
  onSelect: (id: string, messageId?: string) => void;
  onNew: () => void;
  onDeleted: (id: string) => void;
  searchRef: React.Ref<HTMLInputElement>;
};

type Search = { status: "idle" } | { status: "searching" } | { status: "done"; hits: ConversationHit[] } | { status: "failed"; error: IpcError };

export function Sidebar({ conversations, selectedId, view, onView, onSelect, onNew, onDeleted, searchRef }: Props) {
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState<Search>({ status: "idle" });

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setSearch({ status: "idle" });
      return;
    }
    setSearch({ status: "searching" });
    let current = true;
    const timer = setTimeout(() => {
      ipc
        .searchConversations(q, 50)
        .then((hits) => current && setSearch({ status: "done", hits }))
        .catch((error: IpcError) => current && setSearch({ status: "failed", error }));
    }, 180);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  const state = conversations.state;
  return (
    <aside className="sidebar" aria-label="Conversations and navigation">
      <header className="brand">
        <Logo />
        <h1>Gogga</h1>
      </header>
      <button type="button" id="new-chat" className="new-chat" onClick={onNew} title="New chat (Ctrl+N)">
        <Icon name="plus" /> New chat
      </button>
      <div className="search-box" role="search">
        <Icon name="search" />
        <label htmlFor="conversation-search" className="sr-only">
          Search conversations
        </label>
        <input
          id="conversation-search"
          ref={searchRef}
          type="search"
          placeholder="Search chats (Ctrl+K)"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.stopPropagation();
              setQuery("");
            }
          }}
        />
        {search.status === "searching" && <Spinner />}
      </div>
      <Timed panel="sidebar">
        <div className="sidebar-body">
          {search.status === "done" && (
            <SearchResults
              hits={search.hits}
              onOpen={(h) => {
                onSelect(h.conversationId, h.messageId);
              }}
            />
          )}
          {search.status === "failed" && <ErrorNote error={search.error} />}
          {search.status === "idle" && state.status === "loading" && <Skeleton lines={5} label="Loading conversations" />}
          {search.status === "idle" && state.status === "failed" && <ErrorNote error={state.error} onRetry={conversations.refresh} />}
          {search.status === "idle" && state.status === "ready" && state.items.length === 0 && (
            <p className="muted empty">No conversations yet.</p>
          )}
          {search.status === "idle" && state.status === "ready" && state.items.length > 0 && (
            <ConversationList
              items={state.items}
              selectedId={selectedId}
              onSelect={(id) => onSelect(id)}
              onRename={conversations.rename}
              onDelete={async (id) => {
                await conversations.remove(id);
                onDeleted(id);
              }}
            />
          )}
        </div>
      </Timed>
      <nav className="nav" aria-label="Screens">
        {NAV.map((n) => (
          <button
            key={n.view}
            type="button"
            id={`nav-${n.view}`}
            className={view === n.view ? "nav-item on" : "nav-item"}
            aria-current={view === n.view ? "page" : undefined}
            onClick={() => onView(n.view)}
          >
            <Icon name={n.icon} /> {n.label}
            {n.view === "documents" && <IndexBadge />}
          </button>
        ))}
      </nav>
    </aside>
  );
}
