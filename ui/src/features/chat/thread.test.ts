// The visible thread: answers follow their questions, the newest
// alternative is shown unless one was picked, and a live turn takes the
// place of the answer it is writing.
import { expect, test } from "vitest";
import { threadRows, type Row } from "./thread";
import { message } from "../../ipc/testing/fixtures";

const u1 = message({ id: "u1", conversationId: "c", role: "user", content: "q1" });
const a1 = message({ id: "a1", conversationId: "c", role: "assistant", replyTo: "u1", content: "first" });
const u2 = message({ id: "u2", conversationId: "c", role: "user", content: "q2" });
const a1b = message({ id: "a1b", conversationId: "c", role: "assistant", replyTo: "u1", content: "second" });
const orphan = message({ id: "o", conversationId: "c", role: "assistant", replyTo: null, content: "search only" });

const keys = (rows: Row[]) => rows.map((r) => (r.kind === "assistant" ? `${r.key}(${r.position + 1}/${r.alternatives.length})` : r.key));

test.each<[string, Parameters<typeof threadRows>, string[]]>([
  ["answers follow their question", [[u1, a1, u2], {}, null], ["u1", "a1(1/1)", "u2"]],
  ["the newest alternative is shown by default", [[u1, a1, u2, a1b], {}, null], ["u1", "a1b(2/2)", "u2"]],
  ["a picked alternative is shown", [[u1, a1, u2, a1b], { u1: "a1" }, null], ["u1", "a1(1/2)", "u2"]],
  ["an unknown pick falls back to the newest", [[u1, a1, a1b], { u1: "gone" }, null], ["u1", "a1b(2/2)"]],
  ["an answer without a question stands alone", [[orphan, u1], {}, null], ["o(1/1)", "u1"]],
  ["a live regenerate replaces the answer in place", [[u1, a1, u2], {}, { userMessageId: "u1" }], ["u1", "live", "u2"]],
  ["a pending send adds the typed text and the live answer", [[u1, a1], {}, { pendingText: "hi" }], ["u1", "a1(1/1)", "pending", "live"]],
])("%s", (_name, args, expected) => {
  expect(keys(threadRows(...args))).toEqual(expected);
});
