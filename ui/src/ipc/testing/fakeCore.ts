// An in-memory stand-in for the Rust core behind `mockIPC`, implementing the
// whole contract of CONTRACT.md: commands, the ChatEvent channel and the
// Tauri events. Component tests and the browser smoke run use it; it records
// every call so tests can assert what was (and was not) invoked. Failures
// and slow commands are injected per command name.
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type {
  BackupInfo,
  BackupStatus,
  Citation,
  ConversationSummary,
  DocumentInfo,
  IndexProgress,
  IpcError,
  Language,
  Message,
  Metrics,
  Passage,
  Route,
  Settings,
  SnippetPart,
  TurnOptions,
  WatchedFolder,
} from "../types";
import { EVENTS } from "../events";
import { runTurn } from "./fakeTurn";
import * as fx from "./fixtures";

/** How the fake model answers one question. */
export type Script = {
  chunks: string[];
  thinking?: string[];
  citations?: Citation[];
  route?: Route | null;
  language?: Language | null;
  searchOnly?: boolean;
  notice?: string | null;
  progress?: string;
  /** Fail after this many chunks, keeping the partial text. */
  failAfter?: { chunks: number; error: IpcError };
  /** Milliseconds between chunks (default: the core's `delayMs`). */
  delayMs?: number;
};

export type FakeCoreOptions = {
  conversations?: ConversationSummary[];
  messages?: Message[];
  documents?: DocumentInfo[];
  folders?: WatchedFolder[];
  settings?: Settings;
  backups?: BackupInfo[];
  backupStatus?: BackupStatus;
  metrics?: Metrics;
  passages?: Record<string, Passage>;
  progress?: IndexProgress;
  script?: (text: string, options: TurnOptions) => Script;
  delayMs?: number;
  /** Pretend the core indexes imported files (smoke runs). */
  simulateIndexing?: boolean;
};

export type Call = { cmd: string; args: Record<string, unknown> };

const idle: IndexProgress = {
  running: false,
  filesDone: 0,
  filesTotal: 0,
  filesFailed: 0,
  chunksDone: 0,
  chunksTotal: 0,
  chunksPerSec: 0,
  etaSecs: null,
  currentPath: null,
};

const defaultScript = (text: string): Script => ({
  chunks: ["You asked: ", text.slice(0, 60), ". Here is what ", "your documents say [1]."],
  citations: [fx.popiaCitation],
  route: { tier: "JIVE", layer: "fast", model: "qwen-3-32b" },
});

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class FakeCore {
  conversations: ConversationSummary[];
  messages: Message[];
  documents: DocumentInfo[];
  folders: WatchedFolder[];
  settings: Settings;
  backups: BackupInfo[];
  backupStatus: BackupStatus;
  metrics: Metrics;
  passages: Record<string, Passage>;
  progress: IndexProgress;
  script: (text: string, options: TurnOptions) => Script;
  delayMs: number;
  simulateIndexing: boolean;
  readonly calls: Call[] = [];
  /** What the native dialog "returns" (null: the user cancelled). */
  dialog: string | string[] | null = null;
  /** Commands that reject with the given error. */
  readonly failures = new Map<string, IpcError>();
  private readonly holds = new Map<string, Promise<void>>();
  /** Turns in flight by request id (fakeTurn.ts). */
  readonly running = new Map<string, { stopped: boolean }>();
  private seq = 0;
  private clock = 1000;

  constructor(options: FakeCoreOptions = {}) {
    this.conversations = options.conversations ?? fx.sampleConversations();
    this.messages = options.messages ?? fx.sampleMessages();
    this.documents = options.documents ?? fx.sampleDocuments();
    this.folders = options.folders ?? fx.sampleFolders();
    this.settings = options.settings ?? fx.sampleSettings();
    this.backups = options.backups ?? fx.sampleBackups();
    this.backupStatus = options.backupStatus ?? fx.sampleBackupStatus();
    this.metrics = options.metrics ?? fx.sampleMetrics();
    this.passages = options.passages ?? { ...fx.passages };
    this.progress = options.progress ?? idle;
    this.script = options.script ?? defaultScript;
    this.delayMs = options.delayMs ?? 0;
    this.simulateIndexing = options.simulateIndexing ?? false;
  }

  /** Route every invoke (and the event plugin) to this fake. */
  install(): this {
    mockIPC((cmd, args) => this.handle(cmd, (args ?? {}) as Record<string, unknown>), { shouldMockEvents: true });
    return this;
  }

  /** Make `cmd` wait until the returned function is called. */
  hold(cmd: string): () => void {
    let release = () => {};
    this.holds.set(cmd, new Promise<void>((r) => (release = r)));
    return () => {
      this.holds.delete(cmd);
      release();
    };
  }

  /** Wait while `point` is held (a `hold` name that is not a command). */
  async pass(point: string): Promise<void> {
    const hold = this.holds.get(point);
    if (hold) await hold;
  }

  /** Make `cmd` reject with `{code, message}`. */
  fail(cmd: string, code: string, message: string): void {
    this.failures.set(cmd, { code, message });
  }

  callsOf(cmd: string): Call[] {
    return this.calls.filter((c) => c.cmd === cmd);
  }

  /** Emit a Tauri event as the shell would. */
  emit(name: string, payload: unknown): Promise<void> {
    return emit(name, payload);
  }

  now(): string {
    this.clock += 1;
    return fx.at(this.clock);
  }

  id(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${this.seq}`;
  }

  async handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    this.calls.push({ cmd, args });
    const hold = this.holds.get(cmd);
    if (hold) await hold;
    const failure = this.failures.get(cmd);
    if (failure) throw failure;
    switch (cmd) {
      case "app_status":
        return {
          version: "0.1.0",
          dataDir: this.settings.dataDir,
          configFile: "/home/thandi/.config/gogga/config.toml",
          schemaVersion: 3,
          storeBytes: 52_428_800,
          modelId: "all-MiniLM-L6-v2",
          modelReady: true,
          modelProblem: null,
        };
      case "list_conversations":
        return [...this.conversations].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      case "create_conversation": {
        const now = this.now();
        const c = { id: this.id("c"), title: (args.title as string | null) ?? "New chat", createdAt: now, updatedAt: now, messageCount: 0 };
        this.conversations.push(c);
        return c;
      }
      case "rename_conversation": {
        const c = this.conversation(args.conversationId as string);
        const title = String(args.title).trim();
        if (!title) throw { code: "invalid_input", message: "A title cannot be empty." };
        c.title = title;
        return c;
      }
      case "delete_conversation":
        this.conversation(args.conversationId as string);
        this.conversations = this.conversations.filter((c) => c.id !== args.conversationId);
        this.messages = this.messages.filter((m) => m.conversationId !== args.conversationId);
        return null;
      case "get_conversation": {
        const c = this.conversation(args.conversationId as string);
        return { conversation: c, messages: this.messages.filter((m) => m.conversationId === c.id) };
      }
      case "search_conversations":
        return this.search(String(args.query), Number(args.limit));
      case "export_conversation":
        return args.path;
      case "send_message":
        return runTurn(this, "send", args);
      case "regenerate_answer":
        return runTurn(this, "regenerate", args);
      case "edit_message":
        return runTurn(this, "edit", args);
      case "stop_turn": {
        const t = this.running.get(args.requestId as string);
        if (t) t.stopped = true;
        return Boolean(t);
      }
      case "prepare_question":
        return true;
      case "get_passage": {
        const p = this.passages[args.chunkId as string];
        if (!p) throw { code: "not_found", message: `No passage ${String(args.chunkId)}.` };
        return p;
      }
      case "list_documents":
        return this.documents.filter((d) => d.conversationId === (args.conversationId ?? null));
      case "import_paths":
        return this.importPaths(args.paths as string[], (args.conversationId as string | null) ?? null);
      case "remove_document":
        this.documents = this.documents.filter((d) => d.id !== args.documentId);
        return null;
      case "list_watched_folders":
        return this.folders;
      case "add_watched_folder": {
        const f = { id: this.id("f"), path: String(args.path), documentCount: 0, lastScanAt: null, error: null };
        this.folders = [...this.folders, f];
        return f;
      }
      case "remove_watched_folder":
        this.folders = this.folders.filter((f) => f.id !== args.folderId);
        return null;
      case "index_status":
        return this.progress;
      case "get_settings":
        return this.settings;
      case "update_settings": {
        const patch = args.patch as Record<string, unknown>;
        const next = { ...this.settings };
        for (const [k, v] of Object.entries(patch)) if (v !== null) (next as Record<string, unknown>)[k] = v;
        if (patch.dataDir !== null && patch.dataDir !== this.settings.dataDir) next.restartRequired = true;
        this.settings = next;
        return next;
      }
      case "save_provider": {
        const input = args.provider as Settings["providers"][number];
        const old = this.settings.providers.find((p) => p.id === input.id);
        const merged = { ...input, keys: old?.keys ?? [] };
        const providers = old
          ? this.settings.providers.map((p) => (p.id === input.id ? merged : p))
          : [...this.settings.providers, merged];
        this.settings = { ...this.settings, providers };
        return this.settings;
      }
      case "remove_provider":
        this.settings = { ...this.settings, providers: this.settings.providers.filter((p) => p.id !== args.providerId) };
        return this.settings;
      case "set_api_key": {
        const secret = String(args.secret);
        const providers = this.settings.providers.map((p) =>
          p.id === args.providerId
            ? { ...p, keys: [...p.keys.filter((k) => k.name !== args.name), { name: String(args.name), hint: `…${secret.slice(-4)}` }] }
            : p,
        );
        this.settings = { ...this.settings, providers };
        return this.settings;
      }
      case "delete_api_key": {
        const providers = this.settings.providers.map((p) =>
          p.id === args.providerId ? { ...p, keys: p.keys.filter((k) => k.name !== args.name) } : p,
        );
        this.settings = { ...this.settings, providers };
        return this.settings;
      }
      case "backup_status":
        return this.backupStatus;
      case "list_backups":
        return this.backups;
      case "backup_now": {
        const b: BackupInfo = { ...this.backups[0], path: `/mnt/nas/gogga/gogga-${this.id("b")}.tar.zst`, createdAt: this.now() };
        this.backups = [b, ...this.backups];
        this.backupStatus = { ...this.backupStatus, lastSuccess: { at: b.createdAt, path: b.path, message: "Backed up." } };
        return b;
      }
      case "verify_backup": {
        const b = this.backups.find((x) => x.path === args.path);
        return b
          ? { path: b.path, ok: true, problems: [], counts: b.counts }
          : { path: String(args.path), ok: false, problems: ["archive not found"], counts: null };
      }
      case "restore_backup":
        return { message: "Restored. Restart Gogga to use the restored data.", restartRequired: true };
      case "set_backup_schedule": {
        const s = args.schedule as { folder: string | null; everyHours: number | null; keep: number };
        this.backupStatus = { ...this.backupStatus, ...s };
        return this.backupStatus;
      }
      case "get_metrics":
        return this.metrics;
      case "open_external":
        return null;
      case "plugin:dialog|open":
      case "plugin:dialog|save":
        return this.dialog;
      default:
        throw { code: "unknown_command", message: `the fake core has no command ${cmd}` };
    }
  }

  conversation(id: string): ConversationSummary {
    const c = this.conversations.find((x) => x.id === id);
    if (!c) throw { code: "not_found", message: `No conversation ${id}.` };
    return c;
  }

  private search(query: string, limit: number) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const hits = [];
    for (const m of this.messages) {
      const at = m.content.toLowerCase().indexOf(q);
      if (at < 0) continue;
      const c = this.conversations.find((x) => x.id === m.conversationId);
      if (!c) continue;
      const start = Math.max(0, at - 30);
      const snippet: SnippetPart[] = [
        { text: (start > 0 ? "…" : "") + m.content.slice(start, at), hit: false },
        { text: m.content.slice(at, at + q.length), hit: true },
        { text: m.content.slice(at + q.length, at + q.length + 40) + "…", hit: false },
      ];
      hits.push({ conversationId: c.id, conversationTitle: c.title, messageId: m.id, role: m.role, snippet, createdAt: m.createdAt });
      if (hits.length >= limit) break;
    }
    return hits;
  }

  private importPaths(paths: string[], conversationId: string | null) {
    const skipped = [];
    const added: DocumentInfo[] = [];
    for (const path of paths) {
      if (path.includes("does-not-exist")) {
        skipped.push({ path, code: "not_found", message: `${path} does not exist.` });
        continue;
      }
      const name = path.split("/").pop() ?? path;
      const d = fx.document({ id: this.id("doc"), path, title: name, status: "queued", chunks: 0, conversationId, addedAt: this.now(), updatedAt: this.now() });
      added.push(d);
    }
    this.documents = [...this.documents, ...added];
    if (this.simulateIndexing && added.length > 0) void this.index(added);
    return { accepted: added.length, skipped };
  }

  /** Walk imported documents through their statuses with progress events. */
  private async index(docs: DocumentInfo[]) {
    const chunksTotal = docs.length * 40;
    for (let step = 0; step <= 10; step++) {
      await sleep(this.delayMs || 60);
      const chunksDone = Math.round((chunksTotal * step) / 10);
      const filesDone = Math.min(docs.length, Math.floor((docs.length * step) / 10));
      this.progress = {
        running: step < 10,
        filesDone: step === 10 ? docs.length : filesDone,
        filesTotal: docs.length,
        filesFailed: 0,
        chunksDone,
        chunksTotal,
        chunksPerSec: 120,
        etaSecs: step < 10 ? (chunksTotal - chunksDone) / 120 : null,
        currentPath: step < 10 ? docs[Math.min(filesDone, docs.length - 1)].path : null,
      };
      await this.emit(EVENTS.indexProgress, this.progress);
    }
    for (const d of docs) {
      const failed = d.path.endsWith(".bin");
      const next: DocumentInfo = failed
        ? { ...d, status: "failed", error: { code: "unsupported", message: "Not a document Gogga can read (binary file)." } }
        : { ...d, status: "ready", chunks: 40 };
      this.documents = this.documents.map((x) => (x.id === d.id ? next : x));
      await this.emit(EVENTS.documentStatus, next);
    }
  }
}
