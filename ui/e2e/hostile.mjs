// The hostile model answer of the security end-to-end checks: raw HTML with
// event handlers, a script, a javascript: link and a markdown image. The
// FREE plan's mock model answers exactly this text (flows-config.mjs), and
// the hostile fixture document carries the same with "answer-" renamed.
export const HOSTILE_ANSWER = [
  '<img src=x onerror="window.__canary(\'answer-img\')">',
  "<script>window.__canary('answer-script')</script>",
  "[click me](javascript:window.__canary('answer-link'))",
  "![pixel](https://evil.example/track.png)",
  "<svg onload=\"window.__canary('answer-svg')\"></svg>",
].join("\n\n");
