// The chat screen against the fake core: loading, errors, keyboard (Enter
// sends, Shift+Enter does not, Esc stops), streaming over the channel,
// stop, regenerate with alternatives, edit, copy, route/language badges and
// usage, the search-only notice, partial answers kept on error, citations
// opening their passage, and the virtualized thread's bounded DOM.
import { describe, expect, test, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { ChatView } from "./ChatView";
import { FakeCore, type Script } from "../../ipc/testing/fakeCore";
import { message, popiaCitation } from "../../ipc/testing/fixtures";
import type { Message } from "../../ipc";
import { clipboard, ROW_HEIGHT, VIEWPORT_HEIGHT } from "../../test/setup";

function mount(conversationId: string | null, _core: FakeCore, extra: Partial<Parameters<typeof ChatView>[0]> = {}) {
  const props = {
    conversationId,
    focusMessageId: null,
    defaultMode: "auto" as const,
    onConversationCreated: vi.fn(),
    onTurnEnded: vi.fn(),
    onOpenSettings: vi.fn(),
    ...extra,
  };
  render(<ChatView {...props} />);
  return props;
}

const input = () => screen.getByLabelText("Your question") as HTMLTextAreaElement;

function type(text: string) {
  fireEvent.change(input(), { target: { value: text } });
}

const slow = (chunks = 400, delayMs = 25): Script => ({
  chunks: Array.from({ length: chunks }, (_, i) => `word${i} `),
  delayMs,
  route: { tier: "JIGGA", layer: "complex", model: "qwen-3-235b" },
});

describe("loading a conversation", () => {
  test("shows a skeleton while loading, then the messages with route, language, usage and collapsed thinking", async () => {
    const core = new FakeCore().install();
    const release = core.hold("get_conversation");
    mount("c-popia", core);
    expect(screen.getByRole("status", { name: "Loading the conversation" })).toBeTruthy();
    release();
    const answer = await screen.findByRole("article", { name: "Gogga's answer" });
    expect(screen.getByText("What must we do after a data breach under POPIA?")).toBeTruthy();
    expect(within(answer).getByText("JIVE · qwen-3-235b")).toBeTruthy();
    expect(within(answer).getByText(/^1\s840 → 212 tokens$/)).toBeTruthy();
    expect(within(answer).getByText("3.2 s")).toBeTruthy();
    expect(within(answer).getByText("R0.03")).toBeTruthy();
    const thinking = answer.querySelector("details.thinking") as HTMLDetailsElement;
    expect(thinking.open).toBe(false);
    expect(screen.getByRole("heading", { name: "POPIA: what to do after a data breach" })).toBeTruthy();
  });

  test("shows the language badge for a non-English answer", async () => {
    mount("c-zulu", new FakeCore().install());
    expect(await screen.findByText("isiZulu")).toBeTruthy();
  });

  test("shows the core's error with a retry that loads again", async () => {
    const core = new FakeCore().install();
    core.fail("get_conversation", "store", "database is locked");
    mount("c-popia", core);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("database is locked");
    expect(alert.textContent).toContain("store");
    core.failures.clear();
    fireEvent.click(within(alert).getByText("Try again"));
    expect(await screen.findByRole("article", { name: "Gogga's answer" })).toBeTruthy();
  });
});

describe("sending and streaming", () => {
  test("Shift+Enter does not send; Enter sends with the chosen mode and only-documents flag", async () => {
    const core = new FakeCore().install();
    mount("c-lease", core);
    await screen.findByText("How much notice do I give to end my lease?");
    type("line one");
    fireEvent.keyDown(input(), { key: "Enter", shiftKey: true });
    expect(core.callsOf("send_message")).toHaveLength(0);
    fireEvent.click(screen.getByLabelText("Max"));
    fireEvent.click(screen.getByLabelText("Only my documents"));
    fireEvent.keyDown(input(), { key: "Enter" });
    await waitFor(() => expect(core.callsOf("send_message")).toHaveLength(1));
    const args = core.callsOf("send_message")[0].args;
    expect(args.text).toBe("line one");
    expect(args.conversationId).toBe("c-lease");
    expect(args.options).toEqual({ mode: "max", onlyDocuments: true });
    expect(input().value).toBe("");
  });

  test("the first keystroke prepares the question embedder, once, not on every key", async () => {
    const core = new FakeCore().install();
    mount("c-lease", core);
    await screen.findByText("How much notice do I give to end my lease?");
    type("   ");
    expect(core.callsOf("prepare_question")).toHaveLength(0);
    type("W");
    type("Wh");
    type("What is the deposit?");
    await waitFor(() => expect(core.callsOf("prepare_question")).toHaveLength(1));
    fireEvent.keyDown(input(), { key: "Enter" });
    await waitFor(() => expect(core.callsOf("send_message")).toHaveLength(1));
    expect(core.callsOf("prepare_question")).toHaveLength(1);
  });

  test("streams the answer, shows the route badge early, then the stored message with its citation", async () => {
    const core = new FakeCore({ delayMs: 5 }).install();
    const finish = core.hold("turn:done");
    const props = mount("c-lease", core);
    await screen.findByText("How much notice do I give to end my lease?");
    type("What does POPIA say?");
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    const live = await screen.findByRole("article", { name: "Gogga is answering" });
    await waitFor(() => expect(within(live).getByText("JIVE · qwen-3-32b")).toBeTruthy());
    await waitFor(() => expect(live.textContent).toContain("your documents say"));
    finish();
    await waitFor(() => expect(screen.queryByRole("article", { name: "Gogga is answering" })).toBeNull());
    const answers = screen.getAllByRole("article", { name: "Gogga's answer" });
    const last = answers[answers.length - 1];
    expect(last.textContent).toContain("You asked: What does POPIA say?. Here is what your documents say");
    expect(within(last).getByRole("button", { name: "Source 1: POPIA compliance guide, page 12" })).toBeTruthy();
    expect(props.onTurnEnded).toHaveBeenCalledTimes(1);
  });

  test("a new chat creates the conversation on the first send", async () => {
    const core = new FakeCore().install();
    const props = mount(null, core);
    expect(screen.getByText("Sawubona! What would you like to know?")).toBeTruthy();
    type("Hello Gogga");
    fireEvent.keyDown(input(), { key: "Enter" });
    await waitFor(() => expect(core.callsOf("send_message")).toHaveLength(1));
    const created = core.conversations[core.conversations.length - 1];
    expect(core.callsOf("create_conversation")[0].args).toEqual({ title: null });
    expect(core.callsOf("send_message")[0].args.conversationId).toBe(created.id);
    expect(props.onConversationCreated).toHaveBeenCalledWith(expect.objectContaining({ id: created.id }));
    await screen.findByRole("article", { name: "Gogga's answer" });
  });

  test("Esc stops a slow answer: the partial text is kept and marked stopped", async () => {
    const core = new FakeCore({ script: () => slow() }).install();
    mount("c-lease", core);
    await screen.findByText("How much notice do I give to end my lease?");
    type("Write a long report");
    fireEvent.keyDown(input(), { key: "Enter" });
    const live = await screen.findByRole("article", { name: "Gogga is answering" });
    await waitFor(() => expect(live.textContent).toContain("word1"));
    fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(core.callsOf("stop_turn")).toHaveLength(1));
    expect(core.callsOf("stop_turn")[0].args.requestId).toBe(core.callsOf("send_message")[0].args.requestId);
    await waitFor(() => expect(screen.queryByRole("article", { name: "Gogga is answering" })).toBeNull());
    const answers = screen.getAllByRole("article", { name: "Gogga's answer" });
    const stopped = answers[answers.length - 1];
    expect(within(stopped).getByText("stopped")).toBeTruthy();
    expect(stopped.textContent).toContain("word0");
    expect(stopped.textContent).not.toContain("word399");
  });

  test("the Stop button stops too and says it is stopping", async () => {
    const core = new FakeCore({ script: () => slow() }).install();
    const release = core.hold("stop_turn");
    mount("c-lease", core);
    await screen.findByText("How much notice do I give to end my lease?");
    type("Another long one");
    fireEvent.keyDown(input(), { key: "Enter" });
    fireEvent.click(await screen.findByRole("button", { name: "Stop" }));
    expect(await screen.findByRole("button", { name: "Stopping…" })).toBeTruthy();
    release();
    await waitFor(() => expect(screen.getByRole("button", { name: "Send" })).toBeTruthy());
    expect(core.messages[core.messages.length - 1].stopped).toBe(true);
  });

  test("an error mid-stream keeps the partial answer and shows the error", async () => {
    const core = new FakeCore({
      script: () => ({ chunks: ["Part one. ", "Part two. ", "never"], failAfter: { chunks: 2, error: { code: "upstream", message: "The model went away (502)." } } }),
    }).install();
    mount("c-lease", core);
    await screen.findByText("How much notice do I give to end my lease?");
    type("Tell me");
    fireEvent.keyDown(input(), { key: "Enter" });
    await waitFor(() => expect(screen.getAllByRole("alert").length).toBeGreaterThan(0));
    const answers = screen.getAllByRole("article", { name: "Gogga's answer" });
    const partial = answers[answers.length - 1];
    expect(partial.textContent).toContain("Part one. Part two.");
    expect(partial.textContent).toContain("The model went away (502).");
    expect(partial.textContent).not.toContain("never");
  });

  test("a turn that cannot start shows why and gives the typed text back", async () => {
    const core = new FakeCore().install();
    core.fail("send_message", "no_provider", "Cerebras rejected the key.");
    mount("c-lease", core);
    await screen.findByText("How much notice do I give to end my lease?");
    type("Keep this text");
    fireEvent.keyDown(input(), { key: "Enter" });
    expect((await screen.findByRole("alert")).textContent).toContain("Cerebras rejected the key.");
    expect(input().value).toBe("Keep this text");
    expect(screen.queryByRole("article", { name: "Your message (sending)" })).toBeNull();
  });

  test("search-only answers say clearly that no model is set", async () => {
    const core = new FakeCore({
      script: () => ({
        chunks: ["**Best passages**\n\n", "> A responsible party must notify… [1]"],
        citations: [popiaCitation],
        route: null,
        searchOnly: true,
        notice: "No model is set up: here are the best passages from your documents.",
      }),
    }).install();
    const props = mount("c-lease", core);
    await screen.findByText("How much notice do I give to end my lease?");
    type("breach");
    fireEvent.keyDown(input(), { key: "Enter" });
    const notice = await screen.findByRole("note");
    expect(notice.textContent).toContain("No model is set up: here are the best passages from your documents.");
    fireEvent.click(within(notice).getByText("Add a model in Settings"));
    expect(props.onOpenSettings).toHaveBeenCalled();
    await waitFor(() => expect(screen.getAllByText("search only").length).toBeGreaterThan(0));
  });
});

describe("message actions", () => {
  test("regenerate keeps the old answer as an alternative", async () => {
    const core = new FakeCore({ script: () => ({ chunks: ["A fresh answer."] }) }).install();
    mount("c-lease", core);
    const first = await screen.findByRole("article", { name: "Gogga's answer" });
    fireEvent.click(within(first).getByRole("button", { name: "Regenerate answer" }));
    await waitFor(() => expect(core.callsOf("regenerate_answer")).toHaveLength(1));
    expect(core.callsOf("regenerate_answer")[0].args.messageId).toBe("m4");
    await screen.findByText("A fresh answer.");
    expect(screen.getByText("2/2")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Previous answer" }));
    expect(await screen.findByText("1/2")).toBeTruthy();
    expect(screen.getByRole("article", { name: "Gogga's answer" }).textContent).toContain("Two calendar months");
  });

  test("editing a message answers again from the edit", async () => {
    const core = new FakeCore({ script: (text) => ({ chunks: [`Answer to: ${text}`] }) }).install();
    mount("c-lease", core);
    const mine = await screen.findByRole("article", { name: "Your message" });
    fireEvent.click(within(mine).getByRole("button", { name: "Edit message" }));
    const box = screen.getByLabelText("Edit your message");
    fireEvent.change(box, { target: { value: "How much notice for a month-to-month lease?" } });
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(core.callsOf("edit_message")).toHaveLength(1));
    expect(core.callsOf("edit_message")[0].args).toMatchObject({ messageId: "m3", text: "How much notice for a month-to-month lease?" });
    expect(await screen.findByText("Answer to: How much notice for a month-to-month lease?")).toBeTruthy();
    expect(screen.queryByText(/Two calendar months/)).toBeNull();
    expect(screen.getAllByRole("article", { name: "Your message" })).toHaveLength(1);
  });

  test("copy puts the answer's markdown on the clipboard", async () => {
    mount("c-lease", new FakeCore().install());
    const answer = await screen.findByRole("article", { name: "Gogga's answer" });
    fireEvent.click(within(answer).getByRole("button", { name: "Copy answer" }));
    await waitFor(() => expect(clipboard).toEqual(["Two calendar months' written notice, by hand or e-mail [2]."]));
  });
});

describe("export", () => {
  test("exports as Markdown to the path chosen in the save dialog; cancel writes nothing", async () => {
    const core = new FakeCore().install();
    mount("c-lease", core);
    await screen.findByRole("article", { name: "Gogga's answer" });
    fireEvent.click(screen.getByRole("button", { name: /Export/ }));
    fireEvent.click(screen.getByRole("button", { name: "Markdown (.md)" }));
    await waitFor(() => expect(core.callsOf("plugin:dialog|save")).toHaveLength(1));
    // Cancelled: the menu closes and the button is usable again, nothing written.
    await waitFor(() => expect(screen.getByRole("button", { name: /Export/ }).hasAttribute("disabled")).toBe(false));
    expect(screen.queryByRole("group", { name: "Export format" })).toBeNull();
    expect(core.callsOf("export_conversation")).toHaveLength(0);
    core.dialog = "/home/thandi/lease.md";
    fireEvent.click(screen.getByRole("button", { name: /Export/ }));
    fireEvent.click(screen.getByRole("button", { name: "Markdown (.md)" }));
    expect((await screen.findByText(/Exported to/)).textContent).toContain("/home/thandi/lease.md");
    expect(core.callsOf("export_conversation")[0].args).toEqual({ conversationId: "c-lease", format: "markdown", path: "/home/thandi/lease.md" });
    expect((core.callsOf("plugin:dialog|save")[1].args.options as { defaultPath: string }).defaultPath).toBe("Lease notice period.md");
  });
});

describe("citations", () => {
  test("a citation marker opens the passage in the side panel; Esc closes it", async () => {
    const core = new FakeCore().install();
    const release = core.hold("get_passage");
    mount("c-popia", core);
    const answer = await screen.findByRole("article", { name: "Gogga's answer" });
    fireEvent.click(within(answer).getByRole("button", { name: "Source 1: POPIA compliance guide, page 12" }));
    expect(await screen.findByRole("status", { name: /Loading the passage|Opening the source/ })).toBeTruthy();
    release();
    const panel = await screen.findByRole("complementary", { name: "Source passage" });
    await waitFor(() => expect(within(panel).getByText("Section 22: Notification of security compromises")).toBeTruthy());
    expect(within(panel).getByText("12")).toBeTruthy();
    expect(panel.textContent).toContain("the Information Regulator");
    expect(core.callsOf("get_passage")[0].args).toEqual({ chunkId: "chunk-popia-12" });
    fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("complementary", { name: "Source passage" })).toBeNull());
  });

  test("the sources list opens passages too, and a missing passage shows the core's error", async () => {
    const core = new FakeCore().install();
    delete core.passages["chunk-lease-3"];
    mount("c-lease", core);
    const sources = await screen.findByRole("list", { name: "Sources" });
    fireEvent.click(within(sources).getByRole("button", { name: /Lease agreement Sandton/ }));
    const panel = await screen.findByRole("complementary", { name: "Source passage" });
    expect((await within(panel).findByRole("alert")).textContent).toContain("No passage chunk-lease-3.");
  });
});

function bigConversation(): FakeCore {
  const messages: Message[] = [];
  for (let i = 0; i < 2500; i++) {
    messages.push(message({ id: `u${i}`, conversationId: "c-big", role: "user", content: `Question number ${i}` }));
    messages.push(message({ id: `a${i}`, conversationId: "c-big", role: "assistant", replyTo: `u${i}`, content: `Answer number ${i}` }));
  }
  const c = { id: "c-big", title: "Big", createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z", messageCount: 5000 };
  return new FakeCore({ conversations: [c], messages }).install();
}

describe("virtualization", () => {
  test("a 5,000-message conversation opens at its end with a bounded DOM", async () => {
    bigConversation();
    mount("c-big", new FakeCore());
    await screen.findByText("Answer number 2499");
    expect(screen.queryByText("Question number 0")).toBeNull();
    expect(document.querySelectorAll(".thread-row").length).toBeLessThanOrEqual(Math.ceil(VIEWPORT_HEIGHT / ROW_HEIGHT) + 2 * 4 + 2);
  });

  test("a 5,000-message conversation keeps the DOM bounded, and a searched message far up is shown", async () => {
    const core = bigConversation();
    mount("c-big", core, { focusMessageId: "u10" });
    await screen.findByText("Question number 10");
    const rows = document.querySelectorAll(".thread-row");
    // What fits the viewport plus the overscan on both sides, never the 5,000.
    const bound = Math.ceil(VIEWPORT_HEIGHT / ROW_HEIGHT) + 2 * 4 + 2;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(bound);
    expect(document.querySelectorAll("article").length).toBeLessThanOrEqual(bound);
    expect(document.body.getElementsByTagName("*").length).toBeLessThan(1000);
    expect(screen.queryByText("Answer number 2400")).toBeNull();
    // The total height still stands for every row, so the scrollbar is honest.
    const inner = document.querySelector(".thread-inner") as HTMLElement;
    expect(parseInt(inner.style.height, 10)).toBeGreaterThanOrEqual(5000 * ROW_HEIGHT * 0.9);
    await act(async () => {});
  });
});
