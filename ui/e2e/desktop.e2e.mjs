// End-to-end test of the real desktop app in the real webview (WebKitGTK via
// tauri-driver), run under Xvfb by `make test`:
//   the window shows the UI, the UI got live facts from Rust, a click invokes
//   the Rust command again and the DOM shows its answer. Screenshots go to
//   artifacts/e2e/.
//
//   node ui/e2e/desktop.e2e.mjs <path-to-gogga-desktop-binary>
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Session, startDriver } from "./webdriver.mjs";

const app = resolve(process.argv[2] ?? "");
const artifacts = resolve(process.env.GOGGA_ARTIFACTS ?? "artifacts/e2e");
mkdirSync(artifacts, { recursive: true });

// A fresh data folder only Rust knows about: seeing it in the DOM proves the
// value came through the command.
const home = mkdtempSync(join(tmpdir(), "gogga-e2e-"));
process.env.GOGGA_DATA_DIR = join(home, "data");
process.env.GOGGA_CONFIG_DIR = join(home, "config");

let failures = 0;
async function step(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}

const { child, base } = await startDriver(4444 + (process.pid % 1000));
let session;
try {
  session = await Session.start(base, { browserName: "wry", "tauri:options": { application: app } });

  await step("window shows the UI", async () => {
    const title = await session.waitFor("h1");
    const text = await session.text(title);
    if (text !== "Gogga") throw new Error(`heading is ${JSON.stringify(text)}`);
  });

  await step("status comes from the Rust core", async () => {
    // The status panel lives in Settings ("About this installation").
    await session.click(await session.waitFor("#nav-settings"));
    await session.waitFor("#status-data-dir", { until: (t) => t === process.env.GOGGA_DATA_DIR });
    const version = await session.text(await session.find("#status-version"));
    if (!/^\d+\.\d+\.\d+/.test(version)) throw new Error(`version is ${JSON.stringify(version)}`);
  });

  await step("a click invokes the command again and the DOM shows its answer", async () => {
    // Blank the field first so only a fresh answer from Rust can fill it.
    await session.execute("document.getElementById('status-data-dir').textContent = ''");
    await session.click(await session.find("#refresh-status"));
    await session.waitFor("#status-data-dir", { until: (t) => t === process.env.GOGGA_DATA_DIR });
    const schema = await session.text(await session.find("#status-schema"));
    if (!/^\d+$/.test(schema) || Number(schema) < 1) throw new Error(`schema is ${JSON.stringify(schema)}`);
  });

  const shot = await session.screenshot();
  writeFileSync(join(artifacts, "status.png"), Buffer.from(shot, "base64"));
  console.log(`screenshot: ${join(artifacts, "status.png")}`);
} catch (e) {
  failures++;
  console.log(`FAIL session: ${e.message}`);
} finally {
  await session?.end().catch(() => {});
  child.kill();
}
process.exit(failures === 0 ? 0 : 1);
