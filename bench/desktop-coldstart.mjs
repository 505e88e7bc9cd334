// Cold start and idle memory of the desktop app as a user launches it: no
// WebDriver (whose automation session sits between the process start and
// the page load). For each run: start the release binary directly with a
// fresh data folder and GOGGA_WEBVIEW_CONSOLE=1, so WebKit copies the
// page's console to the app's stderr; the UI writes
// `gogga:chat-first-paint <wall-clock ms>` when the chat screen first
// paints (perf/renderTimings.ts). Cold start = that moment minus the
// process's start time from /proc/<pid>/stat. Then 10 s idle and the
// memory of the app's process tree (app, WebKit web and network processes).
//
//   xvfb-run -a -s "-screen 0 1280x800x24" node bench/desktop-coldstart.mjs target/release/gogga-desktop [runs]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawn } from "node:child_process";
import { median, stat, treeMemory } from "./proc.mjs";

const app = resolve(process.argv[2] ?? "target/release/gogga-desktop");
const runs = Number(process.argv[3] ?? 5);
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** Start the app; resolve with its pid and the first-paint time it reports. */
function launch(home) {
  const child = spawn(app, [], {
    env: {
      ...process.env,
      GOGGA_DATA_DIR: join(home, "data"),
      GOGGA_CONFIG_DIR: join(home, "config"),
      GOGGA_WEBVIEW_CONSOLE: "1",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  // Read now, before anything awaits: /proc/<pid> goes with the process.
  const startMs = stat(child.pid).startMs;
  const painted = new Promise((resolvePaint, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("no first paint within 30 s")), 30000);
    child.stderr.on("data", (b) => {
      out += b;
      const m = /gogga:chat-first-paint (\d+(?:\.\d+)?)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePaint(Number(m[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`the app exited (${code}) before its first paint`)));
  });
  return { child, startMs, painted };
}

const rows = [];
for (let i = 0; i < runs; i++) {
  const home = mkdtempSync(join(tmpdir(), "gogga-cold-"));
  const { child, startMs, painted } = launch(home);
  try {
    const coldMs = (await painted) - startMs;
    await delay(10000);
    const mem = treeMemory(child.pid);
    rows.push({ coldMs, rssMb: mem.rssMb, pssMb: mem.pssMb });
    console.log(`run ${i + 1}: chat screen first painted ${coldMs.toFixed(0)} ms after the process started; idle RSS ${mem.rssMb.toFixed(0)} MB, PSS ${mem.pssMb.toFixed(0)} MB over ${mem.procs} processes (PSS MB: ${mem.parts})`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(home, { recursive: true, force: true });
  }
  await delay(500);
}
const med = (k) => median(rows.map((r) => r[k]));
console.log(`\nmedian of ${rows.length}: cold start ${med("coldMs").toFixed(0)} ms (goal ≤ 1000), idle PSS ${med("pssMb").toFixed(0)} MB, RSS ${med("rssMb").toFixed(0)} MB (goal ≤ 200)`);
