// End-to-end flows in the real desktop app (WebKitGTK through tauri-driver,
// under Xvfb), against the mock upstream: import a fixture folder by path,
// watch indexing reach done, ask a question and see the streamed answer
// with a citation, open the citation and see the passage, regenerate and
// edit, stop a slow answer, search conversations (Ctrl+K), back up and
// verify the archive, add and delete an API key (a hint only; a 0600 file),
// restart the app and find the conversation again, and the security checks
// (a hostile document and a hostile model answer run no script and invoke
// nothing; a canary on window is never called).
// Screenshots of every screen go to the artifacts folder.
//
//   GOGGA_E2E_CONFIG=path/to/config.toml node ui/e2e/flows.e2e.mjs <gogga-desktop binary>
//
// What the harness must provide (the lead's `make test` / CI script):
// - the mock upstream running on 127.0.0.1, and GOGGA_E2E_CONFIG: a
//   config.toml (copied into a fresh config folder here) whose provider
//   points at it, with plan JIVE and these models:
//     fast model (Auto and Fast)  -> a mock model that streams an answer in
//       several chunks quoting the retrieved passage as "[1]";
//     big model (Max)             -> `slow`: streams for at least 10 s;
//     FREE plan's model           -> a mock model whose answer is the text
//       of HOSTILE_ANSWER (hostile.mjs; raw HTML, script, javascript: links,
//       markdown-image tricks).
// - the embedding model and ONNX Runtime (setup's cache), so imported files
//   really index.
// Each step prints "ok" or "FAIL"; the exit code is 1 if any step failed.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { Session, startDriver } from "./webdriver.mjs";
import { HOSTILE_ANSWER } from "./hostile.mjs";

const app = resolve(process.argv[2] ?? "");
const artifacts = resolve(process.env.GOGGA_ARTIFACTS ?? "artifacts/e2e");
mkdirSync(artifacts, { recursive: true });

const KEY = { enter: "\uE007", escape: "\uE00C", control: "\uE009" };

// A unique phrase only the fixture contains: seeing it in the passage panel
// proves the citation resolved to the imported file.
const NEEDLE = "Umkhonto-7731 retention period is forty-two days";
// The FREE plan's mock model answers exactly this (see flows-config.mjs).
export { HOSTILE_ANSWER };

// Fresh data and config folders only this run knows.
const home = mkdtempSync(join(tmpdir(), "gogga-flows-"));
process.env.GOGGA_DATA_DIR = join(home, "data");
process.env.GOGGA_CONFIG_DIR = join(home, "config");
mkdirSync(process.env.GOGGA_CONFIG_DIR, { recursive: true });
if (process.env.GOGGA_E2E_CONFIG) copyFileSync(process.env.GOGGA_E2E_CONFIG, join(process.env.GOGGA_CONFIG_DIR, "config.toml"));

const backups = join(home, "backups");
mkdirSync(backups);
const fixtures = join(home, "fixtures");
mkdirSync(fixtures);
writeFileSync(
  join(fixtures, "records-policy.md"),
  `# Records policy\n\n## Retention\n\nThe ${NEEDLE}, after which call recordings are deleted.\n\n## Access\n\nOnly the information officer may export recordings.\n`,
);
writeFileSync(
  join(fixtures, "hostile.md"),
  `# Hostile document\n\nThe hostile retention note.\n\n${HOSTILE_ANSWER.replaceAll("answer-", "document-")}\n`,
);
writeFileSync(join(fixtures, "not-a-document.bin"), Buffer.from([0, 159, 146, 150, 0, 1, 2, 3, 255, 0]));

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

async function shot(session, name) {
  const png = await session.screenshot();
  writeFileSync(join(artifacts, `${name}.png`), Buffer.from(png, "base64"));
}

async function nav(session, screen) {
  await session.click(await session.waitFor(`#nav-${screen}`));
}

/** Type into an element (WebDriver keys; modifiers stay down until repeated). */
async function type(session, css, text) {
  const el = await session.waitFor(css);
  await session.type(el, text);
  return el;
}

/** Ask a question in the current chat and wait for the answer to finish. */
async function ask(session, question) {
  const before = await session.execute(`return document.querySelectorAll('article[aria-label="Gogga\\'s answer"]').length`);
  await type(session, "#composer-input", question + KEY.enter);
  return before;
}

/** Page-side prelude: `a` is the list of stored answers, `last` the newest. */
const ANSWERS = `const a = document.querySelectorAll('article[aria-label="Gogga\\'s answer"]'); const last = a[a.length - 1];`;

/** Everything in the thread and the passage panel that could run script,
 * load a resource or navigate (the same rule as the Vitest security tests). */
const DANGEROUS = `
  const found = [];
  for (const root of [document.getElementById('thread'), document.getElementById('passage-panel')]) {
    if (!root) continue;
    for (const el of root.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['script','img','iframe','object','embed','style','link','meta','base','video','audio'].includes(tag)) found.push(tag);
      for (const a of el.getAttributeNames()) {
        if (a.startsWith('on') || ['href','src','srcset','srcdoc','action','formaction'].includes(a)) found.push(tag + '[' + a + ']');
      }
    }
  }
  return found;`;

async function run(session, { restarted }) {
  await step("window shows the UI", async () => {
    const text = await session.text(await session.waitFor("h1"));
    if (text !== "Gogga") throw new Error(`heading is ${JSON.stringify(text)}`);
  });

  if (restarted) {
    await step("after a restart the conversation is found again by search", async () => {
      await type(session, "#composer-input", `${KEY.control}k${KEY.control}`);
      await session.until("return document.activeElement && document.activeElement.id === 'conversation-search'", { what: "Ctrl+K focus" });
      await type(session, "#conversation-search", "Umkhonto-7731");
      const hit = await session.waitFor("#search-results button.hit", { until: (t) => t.includes("Umkhonto-7731") });
      await session.click(hit);
      await session.waitFor("#thread", { until: (t) => t.includes("forty-two days") });
      await shot(session, "restart-found");
    });
    return;
  }

  // A canary the hostile content would call if anything ran; recording it
  // through execute() first proves the canary itself works.
  await step("install the canary and an IPC recorder", async () => {
    const ok = await session.execute(`
      window.__canaryHits = [];
      window.__canary = (x) => window.__canaryHits.push(String(x));
      window.__canary('self-test');
      const hits = window.__canaryHits.length;
      window.__canaryHits = [];
      // __TAURI_INTERNALS__.invoke is read-only; every invoke goes out as
      // fetch("ipc://localhost/<command>") on this platform, so record there.
      window.__invoked = [];
      const original = window.fetch;
      window.fetch = (url, options) => {
        const u = String(url);
        const prefix = "ipc://localhost/";
        if (u.startsWith(prefix)) window.__invoked.push(decodeURIComponent(u.slice(prefix.length).split("?")[0]));
        return original(url, options);
      };
      return hits === 1 && window.fetch !== original;`);
    if (!ok) throw new Error("could not install the canary or the IPC recorder");
  });

  await step("import the fixture folder by path", async () => {
    await nav(session, "documents");
    await type(session, "#import-path", fixtures);
    await session.click(await session.waitFor("#import-path-submit"));
    await session.waitFor("#import-report", { until: (t) => /\d+ files? added to the import queue/.test(t) });
  });

  await step("indexing progress reaches done; the binary file is left out with a reason", async () => {
    await session.until("return document.getElementById('index-progress')?.dataset.state === 'running' || document.getElementById('index-progress')?.dataset.state === 'done'", { what: "indexing to start" });
    await shot(session, "documents-indexing");
    await session.until("return document.getElementById('index-progress')?.dataset.state === 'done'", { timeoutMs: 120000, what: "indexing done" });
    // The final event carries the run's totals: every passage has its vector.
    const percent = await session.execute("return document.querySelector('#index-progress [role=progressbar]')?.getAttribute('aria-valuenow')");
    if (percent !== "100") throw new Error(`indexing done at ${percent}%`);
    const ready = await session.until(
      "const r = document.querySelectorAll('#document-list .doc-row[data-status=\"ready\"]'); return r.length >= 2 ? r.length : 0",
      { timeoutMs: 30000, what: "two ready documents" },
    );
    // A folder import reads the formats the library knows; other files
    // are left out at once and listed in the import report with the reason.
    const failed = await session.until(
      "const li = [...document.querySelectorAll('#import-report .skipped li')].find((l) => l.textContent.includes('not-a-document.bin')); return li ? li.textContent.replace(/^.*not-a-document\\.bin:/, '') : ''",
      { timeoutMs: 30000, what: "the binary file's reason in the import report" },
    );
    if (!failed.trim()) throw new Error("the left-out file shows no reason");
    console.log(`     ${ready} documents ready; binary file: ${failed.trim()}`);
    await shot(session, "documents");
  });

  await step("ask a question: the answer streams and cites the imported file", async () => {
    await session.click(await session.waitFor("#new-chat"));
    await ask(session, "How long are call recordings kept?");
    await session.waitFor("#live-answer", { until: (t) => t.trim().length > 0 });
    await shot(session, "chat-streaming");
    await session.until(`${ANSWERS} return !document.getElementById('live-answer') && a.length > 0 && last?.querySelector('button.cite[data-marker="1"]');`, {
      timeoutMs: 60000,
      what: "the stored answer with citation [1]",
    });
    await shot(session, "chat");
  });

  await step("open the citation: the passage panel shows the file and the passage", async () => {
    const cite = await session.execute(`${ANSWERS} return last?.querySelector('button.cite[data-marker="1"]');`);
    await session.click(Object.values(cite)[0]);
    await session.waitFor("#passage-text", { until: (t) => t.includes(NEEDLE) });
    const title = await session.text(await session.find("#passage-title"));
    if (!/records/i.test(title)) throw new Error(`passage title is ${JSON.stringify(title)}`);
    await shot(session, "citation");
    await type(session, "#composer-input", KEY.escape); // Esc closes the panel when nothing streams
    await session.until("return !document.getElementById('passage-panel')", { what: "the panel to close" });
  });

  await step("regenerate keeps the old answer: the thread shows 2/2", async () => {
    await session.execute(`${ANSWERS} last.querySelector('button[aria-label="Regenerate answer"]').click();`);
    await session.until(`${ANSWERS} return !document.getElementById('live-answer') && last?.querySelector('.alt-count')?.textContent === '2/2';`, {
      timeoutMs: 60000,
      what: "the second alternative",
    });
  });

  await step("edit the question: it is answered again and the alternatives go", async () => {
    await session.execute(`const u = document.querySelectorAll('article[aria-label="Your message"]'); u[u.length - 1].querySelector('button[aria-label="Edit message"]').click();`);
    const box = await session.waitFor("textarea.edit-input");
    await session.cmd("POST", `/element/${box}/clear`, {});
    await session.type(box, "How long are call recordings kept? Be exact." + KEY.enter);
    await session.until(
      `${ANSWERS} const u = document.querySelectorAll('article[aria-label="Your message"]');
       return !document.getElementById('live-answer') && u[u.length - 1].textContent.includes('Be exact.') && a.length === 1 && !last.querySelector('.alt-count') && last.querySelector('button.cite');`,
      { timeoutMs: 60000, what: "the edited question answered once" },
    );
  });

  await step("stop a slow answer: Esc keeps the partial text marked stopped", async () => {
    await session.execute("document.getElementById('mode-max').click()");
    await ask(session, "Write a very long report on call recordings.");
    await session.waitFor("#live-answer", { until: (t) => t.trim().length > 20, timeoutMs: 30000 });
    await type(session, "#composer-input", KEY.escape);
    await session.until(`${ANSWERS} return !document.getElementById('live-answer') && last?.textContent.includes('stopped');`, {
      timeoutMs: 10000,
      what: "the stopped answer",
    });
    await session.execute("document.getElementById('mode-auto').click()");
  });

  await step("search conversations with Ctrl+K and open the hit", async () => {
    await type(session, "#composer-input", `${KEY.control}k${KEY.control}`);
    await session.until("return document.activeElement && document.activeElement.id === 'conversation-search'", { what: "Ctrl+K focus" });
    await type(session, "#conversation-search", "call recordings");
    const hit = await session.waitFor("#search-results button.hit", { until: (t) => /call recordings/i.test(t) });
    const marked = await session.execute("return document.querySelector('#search-results mark')?.textContent ?? ''");
    if (!/call recordings/i.test(marked)) throw new Error(`the snippet marks ${JSON.stringify(marked)}`);
    await shot(session, "search");
    await session.click(hit);
    await session.waitFor("#thread", { until: (t) => t.includes("How long are call recordings kept?") });
  });

  await step("security: a hostile document renders inert in the passage panel", async () => {
    await session.click(await session.waitFor("#new-chat"));
    await ask(session, "What does the hostile retention note say?");
    await session.until(`${ANSWERS} return !document.getElementById('live-answer') && a.length > 0;`, { timeoutMs: 60000, what: "the answer" });
    // Open every citation of the answer; the hostile document is among them.
    const count = await session.execute(`${ANSWERS} return last?.querySelectorAll('.sources button.source').length ?? 0;`);
    if (!count) throw new Error("the answer cites nothing");
    let sawHostile = false;
    for (let i = 0; i < count; i++) {
      await session.execute(`${ANSWERS} last?.querySelectorAll('.sources button.source')[${i}].click();`);
      const text = await session.text(await session.waitFor("#passage-text"));
      if (text.includes("document-script")) sawHostile = true;
      await delay(300);
    }
    if (!sawHostile) throw new Error("the hostile document was not among the sources");
    await shot(session, "security-document");
  });

  await step("security: a hostile model answer renders inert", async () => {
    await nav(session, "settings");
    await session.click(await session.waitFor('#plan option[value="FREE"]'));
    await session.until("return document.getElementById('plan')?.value === 'FREE'", { what: "plan FREE saved" });
    await nav(session, "chat");
    await ask(session, "Say something dangerous.");
    await session.until(`${ANSWERS} return !document.getElementById('live-answer') && a.length > 0 && last?.textContent.includes('answer-script');`, {
      timeoutMs: 60000,
      what: "the hostile answer, shown as text",
    });
    await shot(session, "security-answer");
  });

  await step("security: the canary was never called, nothing dangerous is in the DOM, nothing was invoked", async () => {
    await delay(1000); // give any image error or load handler time to fire
    const hits = await session.execute("return window.__canaryHits");
    if (hits.length) throw new Error(`the canary was called: ${hits.join(", ")}`);
    const dangerous = await session.execute(DANGEROUS);
    if (dangerous.length) throw new Error(`dangerous nodes: ${dangerous.join(", ")}`);
    const invoked = await session.execute("return [...new Set(window.__invoked)]");
    // The recorder must have seen the run's own commands, or it proves nothing.
    for (const expected of ["import_paths", "send_message"]) {
      if (!invoked.includes(expected)) throw new Error(`the IPC recorder missed ${expected}: saw ${invoked.join(", ")}`);
    }
    const bad = invoked.filter((c) => c === "open_external" || (c.startsWith("plugin:") && !c.startsWith("plugin:event|") && !c.startsWith("plugin:dialog|")));
    if (bad.length) throw new Error(`invoked: ${bad.join(", ")}`);
    console.log(`     commands invoked during the run: ${invoked.join(", ")}`);
  });

  await step("backups: choose a folder, back up now, the archive is listed and verifies", async () => {
    await nav(session, "backups");
    await type(session, "#backup-folder", backups);
    await session.click(await session.waitFor("#backup-schedule-save"));
    await session.waitFor("form.schedule .saved", { timeoutMs: 10000 });
    await session.click(await session.waitFor("#backup-now"));
    const made = await session.until(
      "const ok = document.getElementById('backup-made'); const bad = document.getElementById('backup-error'); return ok ? 'ok ' + ok.textContent : bad ? 'error ' + bad.textContent : ''",
      { timeoutMs: 60000, what: "the backup to finish" },
    );
    if (!made.startsWith("ok") || !made.includes(backups)) throw new Error(`backup: ${made}`);
    await session.waitFor("#backup-list li.backup-row", { until: (t) => /2 documents/.test(t) });
    await session.click(await session.find("#backup-list li.backup-row button.verify"));
    await session.waitFor("#backup-list li.backup-row .success", { timeoutMs: 30000, until: (t) => t.includes("Verified") });
    console.log(`     ${made.slice(3).trim()}`);
    await shot(session, "backups");
  });

  await step("settings: an API key goes in once, shows as a hint, sits in a 0600 file, and can be deleted", async () => {
    const secret = "csk-e2e-secret-value-9f3a";
    await nav(session, "settings");
    await type(session, "#key-name-cerebras", "work");
    await type(session, "#key-secret-cerebras", secret + KEY.enter);
    await session.waitFor('ul[aria-label="Cerebras keys"]', { timeoutMs: 10000, until: (t) => t.includes("work") && t.includes("…9f3a") });
    const leaked = await session.execute(`return document.body.innerHTML.includes(${JSON.stringify(secret)}) || [...document.querySelectorAll('input')].some((i) => i.value.includes(${JSON.stringify(secret)}))`);
    if (leaked) throw new Error("the secret is still in the page");
    const keyFile = (await session.text(await session.find("#key-storage code"))).trim();
    const mode = statSync(keyFile).mode & 0o777;
    if (mode !== 0o600) throw new Error(`${keyFile} has mode ${mode.toString(8)}`);
    if (!readFileSync(keyFile, "utf8").includes(secret)) throw new Error(`the key is not in ${keyFile}`);
    await session.click(await session.find('button[aria-label="Delete key work"]'));
    await session.until(`return !document.querySelector('button[aria-label="Delete key work"]')`, { timeoutMs: 10000, what: "the key to go" });
    if (readFileSync(keyFile, "utf8").includes(secret)) throw new Error(`the deleted key is still in ${keyFile}`);
  });

  await step("screenshots of the other screens", async () => {
    await nav(session, "diagnostics");
    await session.waitFor("#render-timings", { timeoutMs: 20000 });
    await shot(session, "diagnostics");
    await nav(session, "settings");
    await session.waitFor("#status-data-dir");
    await shot(session, "settings");
  });
}

const { child, base } = await startDriver(4444 + (process.pid % 1000));
try {
  for (const restarted of [false, true]) {
    let session;
    try {
      session = await Session.start(base, { browserName: "wry", "tauri:options": { application: app } });
      await run(session, { restarted });
    } catch (e) {
      failures++;
      console.log(`FAIL session${restarted ? " after restart" : ""}: ${e.message}`);
    } finally {
      await session?.end().catch(() => {});
    }
  }
} finally {
  child.kill();
}
console.log(`screenshots: ${artifacts}`);
process.exit(failures === 0 ? 0 : 1);
