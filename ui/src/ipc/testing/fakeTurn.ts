// The fake core's chat turn: the ChatEvent stream the Rust side sends over
// the Channel (started, progress, thinking, deltas, then done or error),
// with stop, regenerate (a new alternative) and edit (drop what followed).
import type { ChatEvent, Message, TurnOptions } from "../types";
import { channelArg, endChannel, sendOnChannel } from "./channel";
import { sleep, type FakeCore } from "./fakeCore";
import * as fx from "./fixtures";

export async function runTurn(core: FakeCore, kind: "send" | "regenerate" | "edit", args: Record<string, unknown>): Promise<null> {
  const channel = channelArg<ChatEvent>(args);
  const requestId = String(args.requestId);
  const options = args.options as TurnOptions;
  let user: Message;
  if (kind === "send") {
    const text = String(args.text ?? "");
    if (!text.trim()) throw { code: "invalid_input", message: "A message cannot be empty." };
    const c = core.conversation(args.conversationId as string);
    user = fx.message({ id: core.id("m"), conversationId: c.id, role: "user", content: text, createdAt: core.now() });
    core.messages.push(user);
  } else if (kind === "regenerate") {
    const old = core.messages.find((m) => m.id === args.messageId);
    const u = old && core.messages.find((m) => m.id === old.replyTo);
    if (!u) throw { code: "not_found", message: "That answer no longer exists." };
    user = u;
  } else {
    const idx = core.messages.findIndex((m) => m.id === args.messageId);
    if (idx < 0) throw { code: "not_found", message: "That message no longer exists." };
    const old = core.messages[idx];
    user = { ...old, content: String(args.text) };
    core.messages = core.messages.filter((m) => m.conversationId !== old.conversationId || m.createdAt < old.createdAt);
    core.messages.push(user);
  }
  const s = core.script(user.content, options);
  const state = { stopped: false };
  core.running.set(requestId, state);
  const assistantId = core.id("m");
  const started = Date.now();
  sendOnChannel<ChatEvent>(channel, {
    type: "started",
    requestId,
    userMessage: user,
    assistantMessageId: assistantId,
    route: s.route === undefined ? { tier: core.settings.plan, layer: "fast", model: "qwen-3-32b" } : s.route,
    language: s.language ?? null,
    searchOnly: s.searchOnly ?? false,
    notice: s.notice ?? null,
  });
  if (s.progress) sendOnChannel<ChatEvent>(channel, { type: "progress", note: s.progress });
  const delay = s.delayMs ?? core.delayMs;
  let thinking: string | null = null;
  for (const t of s.thinking ?? []) {
    await sleep(delay);
    thinking = (thinking ?? "") + t;
    sendOnChannel<ChatEvent>(channel, { type: "thinking", text: t });
  }
  let content = "";
  let firstTokenMs: number | null = null;
  const finish = (extra: Partial<Message>): Message => {
    const m = fx.message({
      id: assistantId,
      conversationId: user.conversationId,
      role: "assistant",
      content,
      thinking,
      replyTo: user.id,
      createdAt: core.now(),
      route: s.route === undefined ? { tier: core.settings.plan, layer: "fast", model: "qwen-3-32b" } : s.route,
      language: s.language ?? null,
      citations: s.citations ?? [],
      searchOnly: s.searchOnly ?? false,
      onlyDocuments: options.onlyDocuments,
      usage: { tokensIn: 900 + user.content.length, tokensOut: content.length, costUsd: 0.0004, costZar: 0.0074 },
      timing: { firstTokenMs, totalMs: Date.now() - started },
      ...extra,
    });
    core.messages.push(m);
    const c = core.conversations.find((x) => x.id === user.conversationId);
    if (c) {
      c.updatedAt = m.createdAt;
      c.messageCount = core.messages.filter((x) => x.conversationId === c.id).length;
      if (c.title === "New chat") c.title = user.content.slice(0, 40);
    }
    core.running.delete(requestId);
    return m;
  };
  for (const [i, chunk] of s.chunks.entries()) {
    await sleep(delay);
    if (state.stopped) {
      sendOnChannel<ChatEvent>(channel, { type: "done", message: finish({ stopped: true }) });
      endChannel(channel);
      return null;
    }
    if (s.failAfter && i >= s.failAfter.chunks) {
      const partial = content ? finish({ error: s.failAfter.error }) : null;
      core.running.delete(requestId);
      sendOnChannel<ChatEvent>(channel, { type: "error", error: s.failAfter.error, partial });
      endChannel(channel);
      return null;
    }
    firstTokenMs ??= Date.now() - started;
    content += chunk;
    sendOnChannel<ChatEvent>(channel, { type: "delta", text: chunk });
  }
  // Tests hold "turn:done" to look at the streaming state before it ends.
  await core.pass("turn:done");
  sendOnChannel<ChatEvent>(channel, { type: "done", message: finish({}) });
  endChannel(channel);
  return null;
}
