// The IPC contract from the UI side: command names and argument names are
// exactly what CONTRACT.md says (the lead's Rust commands match them), every
// rejection becomes `{code, message}`, chat events arrive in order over a
// Channel even when the transport delivers them out of order, and events
// reach their listeners.
import { describe, expect, test, vi } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import { ipc, toIpcError, type ChatEvent } from ".";
import { channelArg, endChannel, sendAtIndex } from "./testing/channel";
import { FakeCore } from "./testing/fakeCore";
import { EVENTS } from "./events";

function recordCalls() {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    return null;
  });
  return calls;
}

describe("commands", () => {
  test("names and camelCase arguments match the contract", async () => {
    const calls = recordCalls();
    const opts = { mode: "auto" as const, onlyDocuments: false };
    await ipc.listConversations();
    await ipc.createConversation(null);
    await ipc.renameConversation("c1", "Title");
    await ipc.deleteConversation("c1");
    await ipc.getConversation("c1");
    await ipc.searchConversations("popia", 20);
    await ipc.exportConversation("c1", "markdown", "/tmp/x.md");
    await ipc.stopTurn("r1");
    await ipc.prepareQuestion();
    await ipc.getPassage("k1");
    await ipc.listDocuments(null);
    await ipc.importPaths(["/a", "/b"], "c1");
    await ipc.removeDocument("d1");
    await ipc.listWatchedFolders();
    await ipc.addWatchedFolder("/w");
    await ipc.removeWatchedFolder("f1");
    await ipc.indexStatus();
    await ipc.getSettings();
    await ipc.updateSettings({ plan: "JIGGA", defaultMode: null, cepo: null, theme: null, dataDir: null });
    await ipc.saveProvider({ id: "p", kind: "cerebras", label: "P", baseUrl: "https://x", enabled: true });
    await ipc.removeProvider("p");
    await ipc.setApiKey("p", "work", "sk-123");
    await ipc.deleteApiKey("p", "work");
    await ipc.backupStatus();
    await ipc.listBackups();
    await ipc.backupNow();
    await ipc.verifyBackup("/b.tar.zst");
    await ipc.restoreBackup("/b.tar.zst");
    await ipc.setBackupSchedule({ folder: "/nas", everyHours: 24, keep: 7 });
    await ipc.getMetrics();
    await ipc.openExternal("https://example.com/");
    await ipc.appStatus();
    await ipc.sendMessage("c1", "hi", opts, () => {}).finished;
    await ipc.regenerateAnswer("m2", opts, () => {}).finished;
    await ipc.editMessage("m1", "hello", opts, () => {}).finished;
    const shape = calls.map((c) => `${c.cmd}(${Object.keys(c.args).sort().join(",")})`);
    expect(shape).toEqual([
      "list_conversations()",
      "create_conversation(title)",
      "rename_conversation(conversationId,title)",
      "delete_conversation(conversationId)",
      "get_conversation(conversationId)",
      "search_conversations(limit,query)",
      "export_conversation(conversationId,format,path)",
      "stop_turn(requestId)",
      "prepare_question()",
      "get_passage(chunkId)",
      "list_documents(conversationId)",
      "import_paths(conversationId,paths)",
      "remove_document(documentId)",
      "list_watched_folders()",
      "add_watched_folder(path)",
      "remove_watched_folder(folderId)",
      "index_status()",
      "get_settings()",
      "update_settings(patch)",
      "save_provider(provider)",
      "remove_provider(providerId)",
      "set_api_key(name,providerId,secret)",
      "delete_api_key(name,providerId)",
      "backup_status()",
      "list_backups()",
      "backup_now()",
      "verify_backup(path)",
      "restore_backup(path)",
      "set_backup_schedule(schedule)",
      "get_metrics()",
      "open_external(url)",
      "app_status()",
      "send_message(conversationId,onEvent,options,requestId,text)",
      "regenerate_answer(messageId,onEvent,options,requestId)",
      "edit_message(messageId,onEvent,options,requestId,text)",
    ]);
  });

  test("every turn gets a fresh UUID request id", () => {
    const calls = recordCalls();
    const a = ipc.sendMessage("c1", "one", { mode: "fast", onlyDocuments: true }, () => {});
    const b = ipc.sendMessage("c1", "two", { mode: "fast", onlyDocuments: true }, () => {});
    expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.requestId).not.toBe(b.requestId);
    return vi.waitFor(() => {
      expect(calls.map((c) => c.args.requestId)).toEqual([a.requestId, b.requestId]);
      expect(calls[0].args.options).toEqual({ mode: "fast", onlyDocuments: true });
    });
  });

  test.each([
    [{ code: "not_found", message: "No conversation c9." }, { code: "not_found", message: "No conversation c9." }],
    ["plain string from an old shell", { code: "ipc", message: "plain string from an old shell" }],
    [new Error("boom"), { code: "ipc", message: "boom" }],
    [{ code: 42, message: null }, { code: "42", message: "null" }],
  ])("a rejection with %j becomes %j", async (raw, expected) => {
    mockIPC(() => {
      throw raw;
    });
    await expect(ipc.listConversations()).rejects.toEqual(expected);
    expect(toIpcError(raw)).toEqual(expected);
  });
});

describe("chat channel", () => {
  test("events reach the handler in index order even when delivered out of order", async () => {
    const seen: ChatEvent[] = [];
    let release: () => void = () => {};
    mockIPC((cmd, args) => {
      if (cmd !== "send_message") throw new Error(cmd);
      const ch = channelArg<ChatEvent>(args);
      sendAtIndex<ChatEvent>(ch, 2, { type: "delta", text: "b" });
      sendAtIndex<ChatEvent>(ch, 0, { type: "progress", note: "routing" });
      sendAtIndex<ChatEvent>(ch, 1, { type: "delta", text: "a" });
      return new Promise((r) => {
        release = () => {
          sendAtIndex<ChatEvent>(ch, 3, { type: "thinking", text: "t" });
          endChannel(ch);
          r(null);
        };
      });
    });
    const turn = ipc.sendMessage("c1", "hi", { mode: "auto", onlyDocuments: false }, (e) => seen.push(e));
    await vi.waitFor(() => expect(seen).toHaveLength(3));
    release();
    await turn.finished;
    await vi.waitFor(() => expect(seen).toHaveLength(4));
    expect(seen.map((e) => (e.type === "progress" ? e.note : "text" in e ? e.text : e.type))).toEqual(["routing", "a", "b", "t"]);
  });

  test("a turn that cannot start rejects `finished` with the IpcError and sends nothing", async () => {
    const core = new FakeCore().install();
    const seen: ChatEvent[] = [];
    const turn = ipc.sendMessage("c-popia", "   ", { mode: "auto", onlyDocuments: false }, (e) => seen.push(e));
    await expect(turn.finished).rejects.toEqual({ code: "invalid_input", message: "A message cannot be empty." });
    expect(seen).toEqual([]);
    expect(core.callsOf("send_message")).toHaveLength(1);
  });
});

describe("events", () => {
  test("index progress reaches listeners until they unlisten", async () => {
    const core = new FakeCore().install();
    const got: number[] = [];
    const unlisten = await ipc.onIndexProgress((p) => got.push(p.chunksDone));
    await core.emit(EVENTS.indexProgress, { ...core.progress, running: true, chunksDone: 5 });
    unlisten();
    await core.emit(EVENTS.indexProgress, { ...core.progress, running: true, chunksDone: 9 });
    expect(got).toEqual([5]);
  });
});

describe("dialogs", () => {
  test("choosing files asks the dialog plugin for several files; cancel gives null", async () => {
    const calls: unknown[] = [];
    let answer: unknown = ["/home/a.pdf", "/home/b.md"];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      return answer;
    });
    expect(await ipc.chooseFiles()).toEqual(["/home/a.pdf", "/home/b.md"]);
    expect(calls[0]).toEqual({ cmd: "plugin:dialog|open", args: { options: { multiple: true, directory: false, title: "Import documents" } } });
    answer = null;
    expect(await ipc.chooseFiles()).toBeNull();
    answer = "/home/docs";
    expect(await ipc.chooseFolder()).toBe("/home/docs");
  });
});
