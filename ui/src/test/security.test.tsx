// Untrusted output end to end in the screens: a model answer (streamed and
// stored), its thinking, a document passage and a conversation search
// snippet all carry the attack payloads. Nothing may become an element that
// runs script, loads a resource or navigates, and nothing may be invoked in
// the core except the reads the screens make themselves.
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { ChatView } from "../features/chat/ChatView";
import { App } from "../App";
import { FakeCore } from "../ipc/testing/fakeCore";
import { popiaCitation } from "../ipc/testing/fixtures";
import { ATTACKS, dangerousNodes } from "./dom";

const canary = vi.fn();
beforeEach(() => {
  canary.mockReset();
  (window as unknown as { __canary: () => void }).__canary = canary;
});
afterEach(() => {
  expect(canary).not.toHaveBeenCalled();
});

const thread = () => document.getElementById("thread") as HTMLElement;

// The screen's own calls: reads, the question the test sends, and the
// embedder warm-up typing that question triggers (it changes nothing).
const READS = new Set(["get_conversation", "list_documents", "send_message", "prepare_question", "get_passage", "list_conversations", "get_settings", "search_conversations"]);

test("a hostile answer, its thinking and the cited passage render inert, and invoke nothing", async () => {
  const core = new FakeCore({
    script: () => ({ chunks: [...ATTACKS.split(/(?<=\n\n)/), "\n\nSee [1]."], thinking: [ATTACKS], citations: [popiaCitation] }),
  }).install();
  core.passages[popiaCitation.chunkId] = { ...core.passages[popiaCitation.chunkId], title: '<img src=x onerror="window.__canary()">', text: `${ATTACKS}\n\nSee [1].` };
  render(<ChatView conversationId="c-lease" focusMessageId={null} defaultMode="auto" onConversationCreated={() => {}} onTurnEnded={() => {}} onOpenSettings={() => {}} />);
  await screen.findByText("How much notice do I give to end my lease?");
  fireEvent.change(screen.getByLabelText("Your question"), { target: { value: "Tell me [1] <b>bold</b> <img src=x onerror=window.__canary()>" } });
  fireEvent.keyDown(screen.getByLabelText("Your question"), { key: "Enter" });

  // While streaming.
  const live = await screen.findByRole("article", { name: "Gogga is answering" });
  await waitFor(() => expect(live.textContent).toContain("raw anchor"));
  expect(dangerousNodes(thread())).toEqual([]);

  // Stored.
  await waitFor(() => expect(screen.queryByRole("article", { name: "Gogga is answering" })).toBeNull());
  const answers = screen.getAllByRole("article", { name: "Gogga's answer" });
  const hostile = answers[answers.length - 1];
  hostile.querySelectorAll("details").forEach((d) => ((d as HTMLDetailsElement).open = true));
  expect(hostile.textContent).toContain("<script>window.__canary('script')</script>");
  expect(dangerousNodes(thread())).toEqual([]);

  // The passage panel, with a hostile title and text.
  fireEvent.click(within(hostile).getAllByRole("button", { name: /^Source 1/ })[0]);
  const panel = await screen.findByRole("complementary", { name: "Source passage" });
  await waitFor(() => expect(panel.textContent).toContain("<img src=x onerror="));
  expect(dangerousNodes(panel)).toEqual([]);
  expect(dangerousNodes(thread())).toEqual([]);

  // Clicking around (links that survived are https only; no click was made
  // on them) invoked nothing beyond the screen's own reads.
  expect(core.calls.map((c) => c.cmd).filter((c) => !READS.has(c))).toEqual([]);
});

test("a hostile search snippet and conversation title render as text", async () => {
  const core = new FakeCore().install();
  core.conversations[0].title = "<img src=x onerror=window.__canary()> title";
  core.messages[0].content = "<script>window.__canary()</script> breach <svg onload=window.__canary()>";
  render(<App />);
  const conversations = await screen.findByRole("list", { name: "Conversations" });
  expect(conversations.textContent).toContain("<img src=x onerror=window.__canary()> title");
  expect(dangerousNodes(conversations)).toEqual([]);
  fireEvent.change(screen.getByLabelText("Search conversations"), { target: { value: "breach" } });
  const results = await screen.findByRole("list", { name: "Search results" });
  expect(results.textContent).toContain("window.__canary()</script> breach <svg onload=");
  expect(dangerousNodes(results)).toEqual([]);
  expect(core.calls.map((c) => c.cmd).filter((c) => !READS.has(c))).toEqual([]);
});
