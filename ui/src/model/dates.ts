// Lazy date parsing (the seed's "Critical Optimization 2"): DTOs carry ISO
// strings and views expose getters that build a Date only when read. A
// 5,000-message conversation therefore creates Dates only for the rows the
// virtualized list actually shows.
import type { ConversationSummary, DocumentInfo, Message } from "../ipc";

export type ConversationView = ConversationSummary & { readonly created: Date; readonly updated: Date };
export type MessageView = Message & { readonly created: Date };
export type DocumentView = DocumentInfo & { readonly added: Date; readonly changed: Date };

export function conversationView(c: ConversationSummary): ConversationView {
  return {
    ...c,
    get created() {
      return new Date(c.createdAt);
    },
    get updated() {
      return new Date(c.updatedAt);
    },
  };
}

export function messageView(m: Message): MessageView {
  return {
    ...m,
    get created() {
      return new Date(m.createdAt);
    },
  };
}

export function documentView(d: DocumentInfo): DocumentView {
  return {
    ...d,
    get added() {
      return new Date(d.addedAt);
    },
    get changed() {
      return new Date(d.updatedAt);
    },
  };
}
