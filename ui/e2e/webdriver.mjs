// A minimal W3C WebDriver client (fetch + JSON): enough to drive the real
// Tauri webview through tauri-driver without pulling a browser-downloading
// test framework onto a machine that cannot download browsers.
import { spawn } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf"; // the W3C web element identifier

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, capabilities) {
    const value = await request(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities } });
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body, options) {
    return request(this.base, method, `/session/${this.id}${path}`, body, options);
  }

  async find(css) {
    const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return v[ELEMENT];
  }

  /** Poll until `css` exists (and, if given, `until(text)` holds). */
  async waitFor(css, { timeoutMs = 20000, until } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    for (;;) {
      try {
        const el = await this.find(css);
        last = await this.text(el);
        if (!until || until(last)) return el;
      } catch {
        // not there yet
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${css} (last text: ${JSON.stringify(last)})`);
      await delay(100);
    }
  }

  async findAll(css) {
    const list = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return list.map((v) => v[ELEMENT]);
  }

  text(el) {
    return this.cmd("GET", `/element/${el}/text`);
  }

  attribute(el, name) {
    return this.cmd("GET", `/element/${el}/attribute/${name}`);
  }

  /** Poll `script` (a function body run in the page) until it returns a
   * truthy value; return that value. */
  async until(script, { timeoutMs = 20000, what = script } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        last = await this.execute(script);
        if (last) return last;
      } catch (e) {
        last = e.message;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
      await delay(100);
    }
  }

  click(el) {
    return this.cmd("POST", `/element/${el}/click`, {});
  }

  type(el, text) {
    return this.cmd("POST", `/element/${el}/value`, { text });
  }

  execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** A PNG (base64) of the window. WebKitGTK answers only after the page's
   * next paint, and without accelerated compositing (the app's default) a
   * page where nothing changes never paints again: the command would wait
   * forever. So the page is made to repaint (with no visible change) every
   * 100 ms while the shot is pending, and a shot that still does not come
   * fails after a minute instead of node's 300 s. */
  async screenshot() {
    await this.execute(REPAINT_START);
    try {
      return await this.cmd("GET", "/screenshot", undefined, { timeoutMs: 60000 });
    } finally {
      await this.execute(REPAINT_STOP).catch(() => {});
    }
  }

  end() {
    return this.cmd("DELETE", "");
  }
}

// Toggle a transparent outline on the root element: a style change WebKit
// must repaint (so the pending screenshot gets its paint), with the same
// pixels before and after.
const REPAINT_START = `
  if (!window.__e2eRepaint) {
    let flip = false;
    window.__e2eRepaint = setInterval(() => {
      flip = !flip;
      document.documentElement.style.outline = flip ? "1px solid transparent" : "";
    }, 100);
  }`;
const REPAINT_STOP = `
  clearInterval(window.__e2eRepaint);
  window.__e2eRepaint = undefined;
  document.documentElement.style.outline = "";`;

async function request(base, method, path, body, { timeoutMs } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const v = json.value ?? {};
    throw new Error(`${method} ${path}: ${res.status} ${v.error ?? ""} ${v.message ?? ""}`);
  }
  return json.value;
}

/** Start tauri-driver and wait until it answers. */
export async function startDriver(port) {
  const child = spawn("tauri-driver", ["--port", String(port)], { stdio: ["ignore", "inherit", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/status`);
      if (res.ok) return { child, base };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("tauri-driver did not start within 15 s");
    await delay(100);
  }
}
