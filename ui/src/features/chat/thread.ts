// The visible thread of a conversation: each user message followed by the
// chosen one of its answers (regenerating keeps the old answers as
// alternatives; the newest is shown unless the user picks another). A live
// turn takes the place of the answer it is writing. Pure, so it is cheap to
// test and the compiler can memoise it on its inputs.
import type { Message } from "../../ipc";

export type Row =
  | { key: string; kind: "user"; message: Message }
  | { key: string; kind: "assistant"; message: Message; alternatives: Message[]; position: number }
  | { key: string; kind: "live" }
  | { key: string; kind: "pending"; text: string };

export type LiveSpot =
  /** No turn is running. */
  | null
  /** Waiting for the core to store the user message. */
  | { pendingText: string }
  /** Writing the answer to this user message. */
  | { userMessageId: string };

export function threadRows(messages: Message[], chosen: Record<string, string>, live: LiveSpot): Row[] {
  const replies = new Map<string, Message[]>();
  const users = new Set<string>();
  for (const m of messages) if (m.role === "user") users.add(m.id);
  for (const m of messages) {
    if (m.role === "assistant" && m.replyTo !== null && users.has(m.replyTo)) {
      const list = replies.get(m.replyTo) ?? [];
      list.push(m);
      replies.set(m.replyTo, list);
    }
  }
  const rows: Row[] = [];
  for (const m of messages) {
    if (m.role === "user") {
      rows.push({ key: m.id, kind: "user", message: m });
      if (live && "userMessageId" in live && live.userMessageId === m.id) {
        rows.push({ key: "live", kind: "live" });
        continue;
      }
      const alternatives = replies.get(m.id);
      if (alternatives && alternatives.length > 0) {
        const pick = chosen[m.id];
        const found = alternatives.findIndex((a) => a.id === pick);
        const position = found >= 0 ? found : alternatives.length - 1;
        const message = alternatives[position];
        rows.push({ key: message.id, kind: "assistant", message, alternatives, position });
      }
    } else if (m.replyTo === null || !users.has(m.replyTo)) {
      rows.push({ key: m.id, kind: "assistant", message: m, alternatives: [m], position: 0 });
    }
  }
  if (live && "pendingText" in live) {
    rows.push({ key: "pending", kind: "pending", text: live.pendingText });
    rows.push({ key: "live", kind: "live" });
  }
  return rows;
}
