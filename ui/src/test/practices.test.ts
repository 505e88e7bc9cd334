// The seed's front-end practices, checked on the source so they stay true:
// the React Compiler is on (and fails the build on any component it cannot
// optimise), no hand memoization, no localStorage/IndexedDB for app data,
// no raw HTML, @tauri-apps only behind src/ipc, explicit sizes on every
// image, and the few compiler opt-outs are the virtualizers, with a reason.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { AssistantMessage } from "../features/chat/MessageItem";
import { Sources } from "../features/chat/Sources";

const SRC = join(__dirname, "..");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const all = walk(SRC).filter((f) => /\.(ts|tsx)$/.test(f));
const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.includes(`${join("src", "test")}`) || f.includes(join("ipc", "testing"));
const app = all.filter((f) => !isTest(f));
const rel = (f: string) => relative(SRC, f);
const text = (f: string) => readFileSync(f, "utf8");

/** Code without comments, so prose about a practice does not trip it. */
const code = (f: string) => text(f).replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");

describe("practices", () => {
  test("the React Compiler is on, and any component it cannot compile fails the build", () => {
    const config = readFileSync(join(SRC, "..", "vite.config.ts"), "utf8");
    expect(config).toMatch(/reactCompilerPreset\(\{ panicThreshold: "all_errors" \}\)/);
    // The components these tests run are the compiled ones (memo cache slots).
    expect(String(AssistantMessage)).toMatch(/\$\[\d+\]/);
    expect(String(Sources)).toMatch(/\$\[\d+\]/);
  });

  test("no hand memoization (the compiler does it)", () => {
    const offenders = app.filter((f) => /\buse(Memo|Callback)\s*\(|\bmemo\s*\(/.test(code(f))).map(rel);
    expect(offenders).toEqual([]);
  });

  test("opting out of the compiler happens only around TanStack Virtual, with a reason", () => {
    const optOuts = app.filter((f) => code(f).includes('"use no memo"')).map(rel).sort();
    expect(optOuts).toEqual(["features/chat/MessageList.tsx", "features/conversations/ConversationList.tsx", "features/documents/DocumentTable.tsx"]);
    for (const f of optOuts) expect(text(join(SRC, f))).toMatch(/TanStack Virtual[\s\S]{0,200}Compiler/);
  });

  test("no browser storage for app data: the Rust store is the source of truth", () => {
    expect(app.filter((f) => /\b(localStorage|sessionStorage|indexedDB)\b/.test(code(f))).map(rel)).toEqual([]);
  });

  test("no raw HTML anywhere in the app", () => {
    expect(app.filter((f) => /dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(code(f))).map(rel)).toEqual([]);
  });

  test("only src/ipc imports @tauri-apps (tests may use its mocks)", () => {
    const offenders = all
      .filter((f) => !rel(f).startsWith("ipc/"))
      .filter((f) => {
        const imports = [...text(f).matchAll(/from\s+"(@tauri-apps\/[^"]+)"/g)].map((m) => m[1]);
        return imports.some((i) => !(isTest(f) && i === "@tauri-apps/api/mocks"));
      })
      .map(rel);
    expect(offenders).toEqual([]);
  });

  test("every <img> and <svg> in the app has explicit width and height", () => {
    const offenders: string[] = [];
    for (const f of app.filter((x) => x.endsWith(".tsx"))) {
      for (const m of code(f).matchAll(/<(img|svg)\b([^>]*)>/g)) {
        if (!/\bwidth=/.test(m[2]) || !/\bheight=/.test(m[2])) offenders.push(`${rel(f)}: <${m[1]}${m[2].slice(0, 40)}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test("dates stay ISO strings in DTOs and are parsed lazily in views", () => {
    const views = text(join(SRC, "model", "dates.ts"));
    expect(views.match(/get \w+\(\) \{\s*return new Date/g)?.length).toBeGreaterThanOrEqual(5);
    // No eager `new Date(x.createdAt)` when building lists.
    const eager = app.filter((f) => /\.map\([^)]*=>[^)]*new Date\(/.test(code(f))).map(rel);
    expect(eager).toEqual([]);
  });

  test("every source file opens with a comment saying what it does", () => {
    const missing = all.filter((f) => !/^\/\//.test(text(f))).map(rel).filter((f) => !f.startsWith("ipc/bindings/"));
    expect(missing).toEqual([]);
  });
});
