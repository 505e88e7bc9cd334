// Cold start and idle memory of the desktop app through WebDriver (the way
// the E2E tests start it), for BENCHMARKS.md. For each run: start the
// release binary through tauri-driver (a fresh data folder each time), read
// in the page when the chat screen was first painted (performance.timeOrigin
// + the UI's "chat-first-paint" mark, as wall-clock time) and subtract the
// app process's start time from /proc/<pid>/stat. WebKit's automation
// session is set up between the process start and the page load, so this
// is slower than a user's launch: desktop-coldstart.mjs times that. Then
// wait 10 s idle and sum the memory of the app's process tree (the app and
// its WebKit web and network processes): RSS (counts shared pages once per
// process, so it overstates) and PSS (shares them out; the honest total).
//
//   xvfb-run -a node bench/desktop-startup.mjs target/release/gogga-desktop [runs]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawn } from "node:child_process";
import { Session } from "../ui/e2e/webdriver.mjs";
import { exeOf, median, pids, stat, treeMemory } from "./proc.mjs";

const app = resolve(process.argv[2] ?? "target/release/gogga-desktop");
const runs = Number(process.argv[3] ?? 5);
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

// Its own ports (and WebKitWebDriver's), so it can run beside an E2E test.
const port = 5555 + (process.pid % 1000);
const base = `http://127.0.0.1:${port}`;

/** tauri-driver with `env`: the app it starts inherits it (set per run, so
 * each run gets its own fresh data folder). */
async function startDriver(env) {
  const child = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env },
  });
  for (let t = 0; ; t++) {
    if (await fetch(`${base}/status`).then((r) => r.ok, () => false)) return child;
    if (t > 150) throw new Error("tauri-driver did not start");
    await delay(100);
  }
}

const rows = [];
for (let i = 0; i < runs; i++) {
  const home = mkdtempSync(join(tmpdir(), "gogga-start-"));
  const driver = await startDriver({ GOGGA_DATA_DIR: join(home, "data"), GOGGA_CONFIG_DIR: join(home, "config") });
  try {
    const before = new Set(pids());
    const session = await Session.start(base, { browserName: "wry", "tauri:options": { application: app } });
    const [origin, pageMs] = await session.until(
      `const m = performance.getEntriesByName("gogga:chat-first-paint")[0];
       return m && document.querySelector("#composer-input") ? [performance.timeOrigin, m.startTime] : null;`,
      { timeoutMs: 30000, what: "the chat screen's first paint" },
    );
    const pid = pids().find((p) => !before.has(p) && exeOf(p) === app);
    if (!pid) throw new Error(`no new ${app} process found`);
    const startMs = origin + pageMs - stat(pid).startMs;
    // Split: the native part (process start → the page starts loading:
    // libraries, GTK, the core, the window, WebKit's processes) and the
    // page's part (loading, parsing and running the UI until first paint).
    const nativeMs = origin - stat(pid).startMs;
    await delay(10000);
    const mem = treeMemory(pid);
    rows.push({ startMs, rssMb: mem.rssMb, pssMb: mem.pssMb });
    console.log(`run ${i + 1}: first paint ${startMs.toFixed(0)} ms after process start (native ${nativeMs.toFixed(0)} + page ${pageMs.toFixed(0)}); idle RSS ${mem.rssMb.toFixed(0)} MB, PSS ${mem.pssMb.toFixed(0)} MB over ${mem.procs} processes (PSS MB: ${mem.parts})`);
    await session.end();
  } finally {
    const exited = new Promise((r) => driver.once("exit", r));
    driver.kill();
    await exited;
  }
  await delay(500);
}
const med = (k) => median(rows.map((r) => r[k]));
console.log(`\nmedian of ${rows.length}: cold start ${med("startMs").toFixed(0)} ms (goal ≤ 1000), idle PSS ${med("pssMb").toFixed(0)} MB, RSS ${med("rssMb").toFixed(0)} MB (goal ≤ 200)`);
