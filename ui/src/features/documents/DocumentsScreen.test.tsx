// The documents screen against the fake core: skeletons then the library
// with each file's status and error, importing through the native dialog
// and by a typed path, skipped paths, progress and ETA from events, status
// changes pushed by the core, removal, attachments, watched folders, errors
// and a virtualized list.
import { describe, expect, test } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Suspense, useState } from "react";
import DocumentsScreen from "./DocumentsScreen";
import { loadDocumentsData } from "./data";
import { FakeCore } from "../../ipc/testing/fakeCore";
import { document as doc } from "../../ipc/testing/fixtures";
import { EVENTS } from "../../ipc/events";
import type { IndexProgress } from "../../ipc";
import { ROW_HEIGHT, VIEWPORT_HEIGHT } from "../../test/setup";

function Harness({ conversationId = null }: { conversationId?: string | null }) {
  const [data, setData] = useState(() => loadDocumentsData(conversationId));
  return (
    <Suspense fallback={<p>loading screen</p>}>
      <DocumentsScreen data={data} conversationId={conversationId} onReload={(c) => setData(loadDocumentsData(c))} />
    </Suspense>
  );
}

/** Render inside an awaited act: the screen `use()`s promises made in its
 * first render, and React only retries a suspended render in a test once
 * the act scope that suspended is awaited. */
async function show(ui: React.ReactElement) {
  await act(async () => {
    render(ui);
  });
}

const documents = () => screen.getByRole("list", { name: "Documents" });
const row = (title: string) => within(documents()).getByText(title).closest(".doc-row") as HTMLElement;

const running = (p: Partial<IndexProgress>): IndexProgress => ({
  running: true,
  filesDone: 2,
  filesTotal: 5,
  filesFailed: 0,
  chunksDone: 120,
  chunksTotal: 300,
  chunksPerSec: 4.5,
  etaSecs: 40,
  currentPath: "/home/thandi/Documents/report.pdf",
  ...p,
});

describe("library", () => {
  test("shows skeletons, then every file with its status, and errors with their reason", async () => {
    const core = new FakeCore().install();
    const release = core.hold("list_documents");
    await show(<Harness />);
    expect(await screen.findByRole("status", { name: "Loading documents" })).toBeTruthy();
    release();
    await screen.findByRole("list", { name: "Documents" });
    expect(within(row("POPIA compliance guide")).getByText("Ready")).toBeTruthy();
    expect(within(row("POPIA compliance guide")).getByText("38 pages · 212 passages")).toBeTruthy();
    expect(within(row("Load-shedding Stage 4 schedule")).getByText("Indexing")).toBeTruthy();
    const failed = row("scanned-contract.pdf");
    expect(within(failed).getByText("Failed")).toBeTruthy();
    expect(failed.textContent).toContain("The PDF is encrypted; save an unlocked copy and import that.");
    expect(screen.getByText(/could not be read/).textContent).toContain("1 could not be read");
    // Attachments of a conversation are not in the library.
    expect(within(documents()).queryByText("Braai notes")).toBeNull();
  });

  test("a failing list shows the core's error with a retry", async () => {
    const core = new FakeCore().install();
    core.fail("list_documents", "store", "database is locked");
    await show(<Harness />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("database is locked");
    core.failures.clear();
    await act(async () => {
      fireEvent.click(within(alert).getByText("Try again"));
    });
    expect(await screen.findByRole("list", { name: "Documents" })).toBeTruthy();
  });

  test("a large library is virtualized", async () => {
    const many = Array.from({ length: 3000 }, (_, i) => doc({ id: `d${i}`, path: `/docs/file-${i}.md`, title: `File ${i}` }));
    new FakeCore({ documents: many }).install();
    await show(<Harness />);
    await screen.findByRole("list", { name: "Documents" });
    const items = within(documents()).getAllByRole("listitem");
    expect(items.length).toBeGreaterThan(3);
    expect(items.length).toBeLessThanOrEqual(Math.ceil(VIEWPORT_HEIGHT / ROW_HEIGHT) + 2 * 8 + 2);
    expect(screen.getByText(/^3\s000 documents$/)).toBeTruthy();
  });
});

describe("importing", () => {
  test("Import files opens the native dialog and imports what was chosen", async () => {
    const core = new FakeCore().install();
    core.dialog = ["/home/thandi/new/one.md", "/home/thandi/new/two.pdf"];
    const release = core.hold("import_paths");
    await show(<Harness />);
    await screen.findByRole("list", { name: "Documents" });
    fireEvent.click(screen.getByRole("button", { name: /Import files/ }));
    await waitFor(() => expect(core.callsOf("import_paths")).toHaveLength(1));
    expect(screen.getByRole("button", { name: /Import files/ }).hasAttribute("disabled")).toBe(true);
    release();
    expect((await screen.findByText(/2 files added to the import queue/)).closest("#import-report")).toBeTruthy();
    expect(core.callsOf("plugin:dialog|open")[0].args).toEqual({ options: { multiple: true, directory: false, title: "Import documents" } });
    expect(core.callsOf("import_paths")[0].args).toEqual({ paths: ["/home/thandi/new/one.md", "/home/thandi/new/two.pdf"], conversationId: null });
    // The lists are reloaded and show the queued files.
    expect(await screen.findByText("one.md")).toBeTruthy();
    expect(within(row("two.pdf")).getByText("Queued")).toBeTruthy();
  });

  test("cancelling the dialog imports nothing", async () => {
    const core = new FakeCore().install();
    await show(<Harness />);
    await screen.findByRole("list", { name: "Documents" });
    fireEvent.click(screen.getByRole("button", { name: /Import a folder/ }));
    await waitFor(() => expect(core.callsOf("plugin:dialog|open")).toHaveLength(1));
    await waitFor(() => expect(screen.getByRole("button", { name: /Import a folder/ }).hasAttribute("disabled")).toBe(false));
    expect(core.callsOf("import_paths")).toHaveLength(0);
  });

  test("a typed path is imported; paths the core refuses are listed with the reason", async () => {
    const core = new FakeCore().install();
    await show(<Harness />);
    await screen.findByRole("list", { name: "Documents" });
    const input = screen.getByLabelText("Or type a file or folder path");
    fireEvent.change(input, { target: { value: "/home/thandi/does-not-exist" } });
    fireEvent.click(screen.getByRole("button", { name: "Import" }));
    const report = await screen.findByText(/Nothing new to import/);
    expect(report.closest("#import-report")?.textContent).toContain("/home/thandi/does-not-exist does not exist.");
    expect(core.callsOf("import_paths")[0].args).toEqual({ paths: ["/home/thandi/does-not-exist"], conversationId: null });
  });
});

describe("progress", () => {
  test("shows files, rate and ETA from index-progress events, and reloads the lists when done", async () => {
    const core = new FakeCore().install();
    await show(<Harness />);
    const card = await screen.findByText("Nothing is being indexed. Everything you imported is searchable.");
    expect(card).toBeTruthy();
    await act(() => core.emit(EVENTS.indexProgress, running({})));
    const progress = document.getElementById("index-progress") as HTMLElement;
    await waitFor(() => expect(progress.dataset.state).toBe("running"));
    expect(progress.textContent).toContain("2 of 5 files");
    expect(progress.textContent).toContain("about 40 s left");
    expect(progress.textContent).toContain("/home/thandi/Documents/report.pdf");
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("40");
    const listsBefore = core.callsOf("list_documents").length;
    await act(() => core.emit(EVENTS.indexProgress, running({ running: false, filesDone: 5, filesFailed: 1, chunksDone: 300, etaSecs: null })));
    await waitFor(() => expect(progress.dataset.state).toBe("done"));
    expect(progress.textContent).toContain("Indexing done");
    expect(progress.textContent).toContain("1 failed");
    await waitFor(() => expect(core.callsOf("list_documents").length).toBeGreaterThan(listsBefore));
  });

  test("a status change pushed by the core updates its row", async () => {
    const core = new FakeCore().install();
    await show(<Harness />);
    await screen.findByRole("list", { name: "Documents" });
    const shed = core.documents.find((d) => d.id === "doc-shed");
    await act(() => core.emit(EVENTS.documentStatus, { ...shed, status: "failed", error: { code: "extract", message: "Line 3 is not valid CSV." } }));
    await waitFor(() => expect(within(row("Load-shedding Stage 4 schedule")).getByText("Failed")).toBeTruthy());
    expect(row("Load-shedding Stage 4 schedule").textContent).toContain("Line 3 is not valid CSV.");
  });
});

describe("removing and scopes", () => {
  test("remove asks first, then removes the document; an error is shown on its row", async () => {
    const core = new FakeCore().install();
    await show(<Harness />);
    await screen.findByRole("list", { name: "Documents" });
    fireEvent.click(screen.getByRole("button", { name: "Remove Lease agreement Sandton" }));
    expect(core.callsOf("remove_document")).toHaveLength(0);
    fireEvent.click(within(screen.getByRole("group", { name: "Confirm removal" })).getByText("Remove"));
    await waitFor(() => expect(within(documents()).queryByText("Lease agreement Sandton")).toBeNull());
    expect(core.callsOf("remove_document")[0].args).toEqual({ documentId: "doc-lease" });

    core.fail("remove_document", "store", "the index is busy");
    fireEvent.click(screen.getByRole("button", { name: "Remove POPIA compliance guide" }));
    fireEvent.click(within(screen.getByRole("group", { name: "Confirm removal" })).getByText("Remove"));
    expect((await within(row("POPIA compliance guide")).findByRole("alert")).textContent).toContain("the index is busy");
  });

  test("the conversation tab lists that conversation's attachments and imports into it", async () => {
    const core = new FakeCore().install();
    core.dialog = ["/home/thandi/menu.txt"];
    await show(<Harness conversationId="c-braai" />);
    await screen.findByRole("list", { name: "Documents" });
    await act(async () => {
      fireEvent.click(screen.getByRole("tab", { name: /This conversation/ }));
    });
    expect(await within(documents()).findByText("Braai notes")).toBeTruthy();
    expect(within(documents()).queryByText("POPIA compliance guide")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: /Import files/ }));
    await waitFor(() => expect(core.callsOf("import_paths")).toHaveLength(1));
    expect(core.callsOf("import_paths")[0].args).toEqual({ paths: ["/home/thandi/menu.txt"], conversationId: "c-braai" });
  });

  test("without a conversation the attachments tab is disabled", async () => {
    new FakeCore().install();
    await show(<Harness />);
    await screen.findByRole("list", { name: "Documents" });
    expect(screen.getByRole("tab", { name: /This conversation/ }).hasAttribute("disabled")).toBe(true);
  });
});

describe("watched folders", () => {
  test("lists watched folders, watches a typed path, and stops watching", async () => {
    const core = new FakeCore().install();
    await show(<Harness />);
    const folders = await screen.findByRole("region", { name: "Watched folders" });
    expect(within(folders).getByText("/home/thandi/Notes")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Or type a file or folder path"), { target: { value: "/srv/shared/policies" } });
    fireEvent.click(screen.getByRole("button", { name: "Watch" }));
    await waitFor(() => expect(core.callsOf("add_watched_folder")).toHaveLength(1));
    expect(core.callsOf("add_watched_folder")[0].args).toEqual({ path: "/srv/shared/policies" });
    expect(await screen.findByText("/srv/shared/policies")).toBeTruthy();
    const notes = screen.getByText("/home/thandi/Notes").closest("li") as HTMLElement;
    fireEvent.click(within(notes).getByRole("button", { name: "Stop watching" }));
    await waitFor(() => expect(screen.queryByText("/home/thandi/Notes")).toBeNull());
    expect(core.callsOf("remove_watched_folder")[0].args).toEqual({ folderId: "f-notes" });
  });
});
