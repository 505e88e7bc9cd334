// The conversation list as the core stores it (the Rust store is the one
// source of truth: nothing is cached in localStorage). Rename and delete go
// to the core first and update the list from its answer.
import { useEffect, useState } from "react";
import { ipc, type ConversationSummary, type IpcError } from "../../ipc";

export type ConversationsState =
  | { status: "loading" }
  | { status: "ready"; items: ConversationSummary[] }
  | { status: "failed"; error: IpcError };

function newestFirst(items: ConversationSummary[]): ConversationSummary[] {
  return [...items].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export function useConversations() {
  const [state, setState] = useState<ConversationsState>({ status: "loading" });

  const refresh = () =>
    ipc
      .listConversations()
      .then((items) => setState({ status: "ready", items: newestFirst(items) }))
      .catch((error: IpcError) => setState({ status: "failed", error }));

  useEffect(() => {
    void refresh();
  }, []);

  const upsert = (c: ConversationSummary) =>
    setState((s) => (s.status === "ready" ? { status: "ready", items: newestFirst([c, ...s.items.filter((x) => x.id !== c.id)]) } : s));

  const rename = async (id: string, title: string) => {
    const c = await ipc.renameConversation(id, title);
    upsert(c);
  };

  const remove = async (id: string) => {
    await ipc.deleteConversation(id);
    setState((s) => (s.status === "ready" ? { status: "ready", items: s.items.filter((x) => x.id !== id) } : s));
  };

  return { state, refresh, upsert, rename, remove };
}

export type Conversations = ReturnType<typeof useConversations>;
