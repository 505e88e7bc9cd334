// The whole app against the fake core: the conversations sidebar (list,
// loading, error, search with snippets, new, rename, delete, virtualized),
// the global keys (Ctrl+K, Ctrl+N), the theme from the core's settings, and
// screens whose data requests start together with their lazy code.
import { describe, expect, test } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { App } from "./App";
import { FakeCore } from "./ipc/testing/fakeCore";
import { conversation, sampleSettings } from "./ipc/testing/fixtures";
import { ROW_HEIGHT, VIEWPORT_HEIGHT } from "./test/setup";
import { EVENTS } from "./ipc/events";

const list = () => screen.getByRole("list", { name: "Conversations" });
const titles = () => within(list()).getAllByRole("listitem").map((li) => li.querySelector(".conv-title")?.textContent);

describe("conversations sidebar", () => {
  test("shows a skeleton, then the conversations newest first", async () => {
    const core = new FakeCore().install();
    const release = core.hold("list_conversations");
    render(<App />);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Gogga");
    expect(screen.getByRole("status", { name: "Loading conversations" })).toBeTruthy();
    release();
    await screen.findByRole("list", { name: "Conversations" });
    expect(titles()).toEqual([
      "POPIA: what to do after a data breach",
      "Lease notice period",
      "Greeting a client in isiZulu",
      "Braai for twelve on a budget",
    ]);
  });

  test("shows the core's error with a retry", async () => {
    const core = new FakeCore().install();
    core.fail("list_conversations", "store", "cannot open the database");
    render(<App />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("cannot open the database");
    core.failures.clear();
    fireEvent.click(within(alert).getByText("Try again"));
    await screen.findByRole("list", { name: "Conversations" });
  });

  test("Ctrl+K focuses search; results show snippets with the match marked and open the message", async () => {
    const core = new FakeCore().install();
    render(<App />);
    await screen.findByRole("list", { name: "Conversations" });
    fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const search = screen.getByLabelText("Search conversations");
    expect(document.activeElement).toBe(search);
    fireEvent.change(search, { target: { value: "calendar months" } });
    const results = await screen.findByRole("list", { name: "Search results" });
    expect(core.callsOf("search_conversations")[0].args).toEqual({ query: "calendar months", limit: 50 });
    const hit = within(results).getByRole("button", { name: /Lease notice period/ });
    expect(hit.querySelector("mark")?.textContent).toBe("calendar months");
    fireEvent.click(hit);
    await waitFor(() => expect(document.querySelector('[data-message-id="m4"]')?.classList.contains("highlight")).toBe(true));
    expect(screen.getByRole("heading", { name: "Lease notice period" })).toBeTruthy();
  });

  test("a search with no match says so, and a failing search shows the error", async () => {
    const core = new FakeCore().install();
    render(<App />);
    await screen.findByRole("list", { name: "Conversations" });
    const search = screen.getByLabelText("Search conversations");
    fireEvent.change(search, { target: { value: "zebra" } });
    expect(await screen.findByText("No messages match.")).toBeTruthy();
    core.fail("search_conversations", "index", "the search index is rebuilding");
    fireEvent.change(search, { target: { value: "zebras" } });
    expect((await screen.findByRole("alert")).textContent).toContain("the search index is rebuilding");
  });

  test("Ctrl+N and the New chat button start a new chat", async () => {
    new FakeCore().install();
    render(<App />);
    await screen.findByRole("list", { name: "Conversations" });
    fireEvent.click(within(list()).getByText("Lease notice period"));
    await screen.findByRole("heading", { name: "Lease notice period" });
    fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    expect(await screen.findByRole("heading", { name: "New chat" })).toBeTruthy();
    expect(screen.getByText("Sawubona! What would you like to know?")).toBeTruthy();
    fireEvent.click(within(list()).getByText("Lease notice period"));
    await screen.findByRole("heading", { name: "Lease notice period" });
    fireEvent.click(screen.getByRole("button", { name: /New chat/ }));
    expect(await screen.findByRole("heading", { name: "New chat" })).toBeTruthy();
  });

  test("rename in place: Enter saves through the core; an error is shown", async () => {
    const core = new FakeCore().install();
    render(<App />);
    await screen.findByRole("list", { name: "Conversations" });
    fireEvent.click(screen.getByRole("button", { name: "Rename Lease notice period" }));
    const box = screen.getByLabelText("New title");
    fireEvent.change(box, { target: { value: "Lease: notice to landlord" } });
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(titles()).toContain("Lease: notice to landlord"));
    expect(core.callsOf("rename_conversation")[0].args).toEqual({ conversationId: "c-lease", title: "Lease: notice to landlord" });

    core.fail("rename_conversation", "store", "disk full");
    fireEvent.click(screen.getByRole("button", { name: "Rename Braai for twelve on a budget" }));
    fireEvent.change(screen.getByLabelText("New title"), { target: { value: "Braai" } });
    fireEvent.keyDown(screen.getByLabelText("New title"), { key: "Enter" });
    expect((await screen.findByRole("alert")).textContent).toContain("disk full");
  });

  test("delete asks first, then removes the conversation; deleting the open one starts a new chat", async () => {
    const core = new FakeCore().install();
    render(<App />);
    await screen.findByRole("list", { name: "Conversations" });
    fireEvent.click(within(list()).getByText("Lease notice period"));
    await screen.findByRole("heading", { name: "Lease notice period" });
    fireEvent.click(screen.getByRole("button", { name: "Delete Lease notice period" }));
    expect(core.callsOf("delete_conversation")).toHaveLength(0);
    fireEvent.click(within(screen.getByRole("group", { name: "Confirm delete" })).getByText("Delete"));
    await waitFor(() => expect(titles()).not.toContain("Lease notice period"));
    expect(core.callsOf("delete_conversation")[0].args).toEqual({ conversationId: "c-lease" });
    expect(await screen.findByRole("heading", { name: "New chat" })).toBeTruthy();
  });

  test("a long conversation list is virtualized", async () => {
    const many = Array.from({ length: 3000 }, (_, i) => conversation(`c${i}`, `Conversation ${i}`, i));
    new FakeCore({ conversations: many }).install();
    render(<App />);
    await screen.findByRole("list", { name: "Conversations" });
    const rows = within(list()).getAllByRole("listitem");
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.length).toBeLessThanOrEqual(Math.ceil(VIEWPORT_HEIGHT / ROW_HEIGHT) + 2 * 8 + 2);
    expect(titles()[0]).toBe("Conversation 2999");
  });
});

describe("app frame", () => {
  test("the theme comes from the core's settings", async () => {
    new FakeCore({ settings: { ...sampleSettings(), theme: "dark" } }).install();
    render(<App />);
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("dark"));
  });

  test("indexing progress shows next to Documents from any screen, and goes away when done", async () => {
    const core = new FakeCore().install();
    render(<App />);
    await screen.findByRole("list", { name: "Conversations" });
    const progress = { running: true, filesDone: 1, filesTotal: 3, filesFailed: 0, chunksDone: 40, chunksTotal: 100, chunksPerSec: 10, etaSecs: 6, currentPath: null };
    await act(() => core.emit(EVENTS.indexProgress, progress));
    await waitFor(() => expect(document.getElementById("nav-index-badge")?.textContent).toContain("40%"));
    await act(() => core.emit(EVENTS.indexProgress, { ...progress, running: false, chunksDone: 100 }));
    await waitFor(() => expect(document.getElementById("nav-index-badge")).toBeNull());
  });

  test("opening Documents requests its lists, folders and progress at once, then shows them", async () => {
    const core = new FakeCore().install();
    render(<App />);
    await screen.findByRole("list", { name: "Conversations" });
    const before = core.calls.length;
    fireEvent.click(screen.getByRole("button", { name: "Documents" }));
    // All three requests leave in the same click, before the screen's code has loaded.
    expect(core.calls.slice(before).map((c) => c.cmd).sort()).toEqual(["index_status", "list_documents", "list_watched_folders"]);
    expect(await screen.findByRole("heading", { name: "Documents" }, { timeout: 8000 })).toBeTruthy();
    expect(await screen.findByText("POPIA compliance guide")).toBeTruthy();
  });

  test("each screen opens from the navigation", async () => {
    new FakeCore().install();
    render(<App />);
    for (const [nav, heading] of [
      ["Settings", "Settings"],
      ["Backups", "Backups"],
      ["Diagnostics", "Diagnostics"],
      ["Chat", "New chat"],
    ]) {
      fireEvent.click(screen.getByRole("button", { name: nav }));
      expect(await screen.findByRole("heading", { name: heading }, { timeout: 8000 })).toBeTruthy();
      expect(screen.getByRole("button", { name: nav }).getAttribute("aria-current")).toBe("page");
    }
  });
});
