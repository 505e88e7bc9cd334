// The real app over the in-memory fake core, for the browser smoke run
// (ui/e2e/smoke.mjs). `?scenario=` picks the data: default (sample data,
// streamed answers), big (a 5,000-message conversation), hostile (attack
// payloads in an answer and a passage), empty (a fresh install), and
// `?theme=light|dark` overrides the theme setting.
import { FakeCore, type Script } from "../../src/ipc/testing/fakeCore";
import { conversation, message, popiaCitation } from "../../src/ipc/testing/fixtures";
import { ATTACKS } from "../../src/test/dom";
import type { Message, Theme } from "../../src/ipc";

const params = new URLSearchParams(location.search);
const scenario = params.get("scenario") ?? "default";

const streamed = (text: string): Script => ({
  thinking: ["The user asks about ", "POPIA breach duties. ", "Passage [1] covers section 22."],
  chunks: `Under **section 22** of POPIA you must tell the **Information Regulator** and every affected person [1], as soon as reasonably possible. You asked: *${text}*`.match(/.{1,12}/gs) ?? [],
  citations: [popiaCitation],
  route: { tier: "JIVE", layer: "complex", model: "qwen-3-235b" },
  delayMs: Number(params.get("delay") ?? 60),
});

function big(): { conversations: ReturnType<typeof conversation>[]; messages: Message[] } {
  const messages: Message[] = [];
  for (let i = 0; i < 2500; i++) {
    messages.push(message({ id: `u${i}`, conversationId: "c-big", role: "user", content: `Question ${i}: what does clause ${i} say?` }));
    messages.push(
      message({
        id: `a${i}`,
        conversationId: "c-big",
        role: "assistant",
        replyTo: `u${i}`,
        content: `Clause ${i} says the **tenant** must give notice.\n\n- point one\n- point two${i % 7 === 0 ? "\n\n```ts\nconst clause = " + i + ";\n```" : ""}`,
        route: { tier: "JIVE", layer: "fast", model: "qwen-3-32b" },
        usage: { tokensIn: 900, tokensOut: 60, costUsd: 0.0004, costZar: 0.0074 },
        timing: { firstTokenMs: 200, totalMs: 900 },
      }),
    );
  }
  return { conversations: [conversation("c-big", "A 5,000-message conversation", 900, 5000)], messages };
}

const core = new FakeCore({
  delayMs: 40,
  simulateIndexing: true,
  script: scenario === "hostile" ? () => ({ chunks: [...ATTACKS.split(/(?<=\n\n)/), "\n\nSee [1]."], thinking: [ATTACKS], citations: [popiaCitation] }) : streamed,
  ...(scenario === "big" ? big() : {}),
  ...(scenario === "empty" ? { conversations: [], messages: [], documents: [], folders: [] } : {}),
});
if (scenario === "hostile") {
  core.passages[popiaCitation.chunkId] = { ...core.passages[popiaCitation.chunkId], text: `${ATTACKS}\n\nThe end.` };
}
const theme = params.get("theme");
if (theme) core.settings = { ...core.settings, theme: theme as Theme };
(window as unknown as { __core: FakeCore }).__core = core;
core.install();

await import("../../src/main");
