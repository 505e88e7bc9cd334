// Sample data shaped exactly like the contract's DTOs, for component tests
// and the browser smoke run. Times are fixed ISO strings so tests and
// screenshots are deterministic.
import type {
  BackupInfo,
  BackupStatus,
  Citation,
  ConversationSummary,
  DocumentInfo,
  Message,
  Metrics,
  Passage,
  Settings,
  WatchedFolder,
} from "../types";

export const T0 = Date.parse("2026-03-02T08:00:00Z");

/** An ISO time `minutes` after T0. */
export function at(minutes: number): string {
  return new Date(T0 + minutes * 60_000).toISOString();
}

export function conversation(id: string, title: string, minutes: number, messageCount = 2): ConversationSummary {
  return { id, title, createdAt: at(minutes - 30), updatedAt: at(minutes), messageCount };
}

export function message(partial: Partial<Message> & Pick<Message, "id" | "conversationId" | "role" | "content">): Message {
  return {
    thinking: null,
    createdAt: at(0),
    replyTo: null,
    route: null,
    language: null,
    usage: null,
    timing: null,
    citations: [],
    stopped: false,
    searchOnly: false,
    onlyDocuments: false,
    error: null,
    ...partial,
  };
}

export const popiaCitation: Citation = {
  marker: 1,
  chunkId: "chunk-popia-12",
  documentId: "doc-popia",
  documentPath: "/home/thandi/Documents/POPIA compliance guide.pdf",
  title: "POPIA compliance guide",
  page: 12,
  snippet: "A responsible party must notify the Information Regulator and the data subject as soon as reasonably possible…",
};

export const leaseCitation: Citation = {
  marker: 2,
  chunkId: "chunk-lease-3",
  documentId: "doc-lease",
  documentPath: "/home/thandi/Documents/Lease agreement Sandton.docx",
  title: "Lease agreement Sandton",
  page: null,
  snippet: "Either party may terminate this lease on two calendar months' written notice.",
};

export const passages: Record<string, Passage> = {
  [popiaCitation.chunkId]: {
    chunkId: popiaCitation.chunkId,
    documentId: popiaCitation.documentId,
    documentPath: popiaCitation.documentPath,
    title: popiaCitation.title,
    page: 12,
    heading: "Section 22: Notification of security compromises",
    text:
      "Where there are reasonable grounds to believe that the personal information of a data subject has been " +
      "accessed or acquired by any unauthorised person, the **responsible party** must notify:\n\n" +
      "1. the Information Regulator; and\n2. the data subject, unless the identity of the data subject cannot be established.\n\n" +
      "The notification must be made *as soon as reasonably possible* after the discovery of the compromise.",
  },
  [leaseCitation.chunkId]: {
    chunkId: leaseCitation.chunkId,
    documentId: leaseCitation.documentId,
    documentPath: leaseCitation.documentPath,
    title: leaseCitation.title,
    page: null,
    heading: "Termination",
    text: "Either party may terminate this lease on two calendar months' written notice, delivered by hand or e-mail.",
  },
};

export function sampleConversations(): ConversationSummary[] {
  return [
    conversation("c-popia", "POPIA: what to do after a data breach", 600, 2),
    conversation("c-lease", "Lease notice period", 420, 2),
    conversation("c-zulu", "Greeting a client in isiZulu", 300, 2),
    conversation("c-braai", "Braai for twelve on a budget", 120, 0),
  ];
}

export function sampleMessages(): Message[] {
  return [
    message({ id: "m1", conversationId: "c-popia", role: "user", content: "What must we do after a data breach under POPIA?", createdAt: at(598) }),
    message({
      id: "m2",
      conversationId: "c-popia",
      role: "assistant",
      replyTo: "m1",
      createdAt: at(599),
      content:
        "Under **section 22** of POPIA you must notify two parties [1]:\n\n" +
        "- the **Information Regulator**, and\n- every affected **data subject** (unless they cannot be identified).\n\n" +
        "Do it *as soon as reasonably possible*. A short checklist:\n\n" +
        "```bash\n# 1. contain the breach\n# 2. assess which records were exposed\n# 3. notify the Regulator and data subjects\n```\n\n" +
        "Your lease also asks for written notice to your landlord for changes to the premises [2].",
      thinking: "The user asks about POPIA breach duties. Passage [1] covers section 22. Passage [2] is less relevant.",
      route: { tier: "JIVE", layer: "complex", model: "qwen-3-235b" },
      usage: { tokensIn: 1840, tokensOut: 212, costUsd: 0.001358, costZar: 0.0251 },
      timing: { firstTokenMs: 420, totalMs: 3180 },
      citations: [popiaCitation, leaseCitation],
    }),
    message({ id: "m3", conversationId: "c-lease", role: "user", content: "How much notice do I give to end my lease?", createdAt: at(418) }),
    message({
      id: "m4",
      conversationId: "c-lease",
      role: "assistant",
      replyTo: "m3",
      createdAt: at(419),
      content: "Two calendar months' written notice, by hand or e-mail [2].",
      route: { tier: "JIVE", layer: "fast", model: "qwen-3-32b" },
      usage: { tokensIn: 950, tokensOut: 24, costUsd: 0.000399, costZar: 0.0074 },
      timing: { firstTokenMs: 180, totalMs: 640 },
      citations: [leaseCitation],
    }),
    message({ id: "m5", conversationId: "c-zulu", role: "user", content: "Ngicela ungisize: how do I greet a client politely in isiZulu?", createdAt: at(298) }),
    message({
      id: "m6",
      conversationId: "c-zulu",
      role: "assistant",
      replyTo: "m5",
      createdAt: at(299),
      content: "Say **\"Sawubona\"** (to one person) or **\"Sanibonani\"** (to several). Reply to *Unjani?* with *Ngiyaphila, ngiyabonga.*",
      route: { tier: "JIGGA", layer: "bantu", model: "qwen-3-235b" },
      language: { code: "zu", name: "isiZulu" },
      usage: { tokensIn: 310, tokensOut: 48, costUsd: 0.000244, costZar: 0.0045 },
      timing: { firstTokenMs: 350, totalMs: 1200 },
    }),
  ];
}

export function document(partial: Partial<DocumentInfo> & Pick<DocumentInfo, "id" | "path" | "title">): DocumentInfo {
  return {
    format: partial.path.split(".").pop() ?? "txt",
    sizeBytes: 48_213,
    status: "ready",
    error: null,
    chunks: 42,
    pages: null,
    conversationId: null,
    folderId: null,
    addedAt: at(0),
    updatedAt: at(5),
    ...partial,
  };
}

export function sampleDocuments(): DocumentInfo[] {
  return [
    document({ id: "doc-popia", path: popiaCitation.documentPath, title: "POPIA compliance guide", format: "pdf", pages: 38, chunks: 212, sizeBytes: 1_482_113 }),
    document({ id: "doc-lease", path: leaseCitation.documentPath, title: "Lease agreement Sandton", format: "docx", chunks: 31, sizeBytes: 88_004 }),
    document({ id: "doc-shed", path: "/home/thandi/Documents/Load-shedding Stage 4 schedule.csv", title: "Load-shedding Stage 4 schedule", format: "csv", status: "embedding", chunks: 18 }),
    document({
      id: "doc-scan",
      path: "/home/thandi/Documents/scanned-contract.pdf",
      title: "scanned-contract.pdf",
      format: "pdf",
      status: "failed",
      chunks: 0,
      error: { code: "extract", message: "The PDF is encrypted; save an unlocked copy and import that." },
    }),
    document({ id: "doc-notes", path: "/home/thandi/Notes/braai.md", title: "Braai notes", format: "md", chunks: 4, conversationId: "c-braai" }),
  ];
}

export function sampleFolders(): WatchedFolder[] {
  return [{ id: "f-notes", path: "/home/thandi/Notes", documentCount: 12, lastScanAt: at(400), error: null }];
}

export function sampleSettings(): Settings {
  return {
    providers: [
      { id: "cerebras", kind: "cerebras", label: "Cerebras", baseUrl: "https://api.cerebras.ai/v1", enabled: true, keys: [{ name: "work", hint: "…9f3a" }] },
      { id: "ollama", kind: "openai_compatible", label: "Local Ollama", baseUrl: "http://127.0.0.1:11434/v1", enabled: false, keys: [] },
    ],
    plan: "JIVE",
    defaultMode: "auto",
    cepo: { enabled: false, endpoint: null },
    theme: "system",
    dataDir: "/home/thandi/.local/share/gogga",
    restartRequired: false,
    keyStorage: "keyring",
    keyFile: null,
  };
}

export function sampleBackups(): BackupInfo[] {
  return [
    {
      path: "/mnt/nas/gogga/gogga-2026-03-02T02-00-00Z.tar.zst",
      createdAt: at(-360),
      sizeBytes: 184_223_744,
      appVersion: "0.1.0",
      schemaVersion: 3,
      counts: { documents: 214, chunks: 18_320, conversations: 37, messages: 912 },
    },
    {
      path: "/mnt/nas/gogga/gogga-2026-03-01T02-00-00Z.tar.zst",
      createdAt: at(-1800),
      sizeBytes: 180_100_096,
      appVersion: "0.1.0",
      schemaVersion: 3,
      counts: { documents: 210, chunks: 18_002, conversations: 35, messages: 870 },
    },
  ];
}

export function sampleBackupStatus(): BackupStatus {
  return {
    folder: "/mnt/nas/gogga",
    everyHours: 24,
    keep: 7,
    running: false,
    lastSuccess: { at: at(-360), path: sampleBackups()[0].path, message: "Backed up 214 documents and 37 conversations." },
    lastFailure: { at: at(-3240), path: null, message: "The folder /mnt/nas/gogga is not mounted." },
    nextRunAt: at(1080),
  };
}

export function sampleMetrics(): Metrics {
  const days = Array.from({ length: 14 }, (_, i) => {
    const d = new Date(T0 - (13 - i) * 86_400_000).toISOString().slice(0, 10);
    const tokensIn = 4000 + ((i * 7919) % 9000);
    const tokensOut = 800 + ((i * 3571) % 2500);
    return { day: d, tokensIn, tokensOut, costUsd: (tokensIn * 0.4 + tokensOut * 0.8) / 1e6, costZar: ((tokensIn * 0.4 + tokensOut * 0.8) / 1e6) * 18.5 };
  });
  return {
    since: at(-20_160),
    latency: [
      {
        tier: "JIVE",
        model: "qwen-3-32b",
        count: 143,
        sumSeconds: 201.4,
        buckets: [
          { le: 0.5, count: 21 },
          { le: 1, count: 58 },
          { le: 2, count: 41 },
          { le: 5, count: 17 },
          { le: 10, count: 4 },
          { le: 30, count: 2 },
          { le: 60, count: 0 },
          { le: null, count: 0 },
        ],
      },
      {
        tier: "JIGGA",
        model: "qwen-3-235b",
        count: 38,
        sumSeconds: 161.2,
        buckets: [
          { le: 0.5, count: 0 },
          { le: 1, count: 3 },
          { le: 2, count: 9 },
          { le: 5, count: 17 },
          { le: 10, count: 7 },
          { le: 30, count: 2 },
          { le: 60, count: 0 },
          { le: null, count: 0 },
        ],
      },
    ],
    tokensPerDay: days,
    retries: [
      { keyName: "work", statusCode: "429", count: 6 },
      { keyName: "work", statusCode: "503", count: 2 },
      { keyName: "personal", statusCode: "timeout", count: 1 },
    ],
    cepoFallbacks: 3,
    queue: { pending: 128, running: 16, failed: 1, done: 18_175, chunksPerSec: 24.6 },
  };
}
