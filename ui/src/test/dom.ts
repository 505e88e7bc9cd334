// Assertions over rendered DOM shared by the security tests: what may never
// appear when untrusted text is rendered.
const FORBIDDEN_TAGS = ["script", "img", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "video", "audio", "source", "picture"];

/** Everything in `root` that could run script, load a resource or navigate. */
export function dangerousNodes(root: Element): string[] {
  const found: string[] = [];
  for (const el of root.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (FORBIDDEN_TAGS.includes(tag)) found.push(`<${tag}>`);
    for (const attr of el.getAttributeNames()) {
      const value = el.getAttribute(attr) ?? "";
      if (attr.startsWith("on")) found.push(`${tag}[${attr}]`);
      if (["href", "src", "srcset", "action", "formaction", "xlink:href", "srcdoc"].includes(attr)) found.push(`${tag}[${attr}=${value}]`);
      if (attr === "style" && /url\(|expression\(/i.test(value)) found.push(`${tag}[style=${value}]`);
    }
  }
  return found;
}

/** Payloads from the issue: raw HTML, script, javascript: links and
 * markdown-image tricks, plus the usual scheme obfuscations. */
export const ATTACKS = [
  '<img src=x onerror="window.__canary(\'img\')">',
  "<script>window.__canary('script')</script>",
  '<svg onload="window.__canary(\'svg\')"></svg>',
  '<iframe src="javascript:window.__canary(\'iframe\')"></iframe>',
  '<a href="javascript:window.__canary(\'a\')">raw anchor</a>',
  "[click me](javascript:window.__canary('md-link'))",
  "[upper](JaVaScRiPt:window.__canary('upper'))",
  "[entity](&#106;avascript:window.__canary('entity'))",
  "[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19jYW5hcnkoKTwvc2NyaXB0Pg==)",
  "[vb](vbscript:msgbox('x'))",
  "[file](file:///etc/passwd)",
  "[proto-relative](//evil.example/x)",
  "<javascript:window.__canary('autolink')>",
  "[ref link][r]\n\n[r]: javascript:window.__canary('ref')",
  "![pixel](https://evil.example/track.png)",
  "![x](javascript:window.__canary('img-md'))",
  '![x](x" onerror="window.__canary(\'attr-break\'))',
  "[![nested](https://evil.example/a.png)](https://evil.example/)",
  '<details open ontoggle="window.__canary(\'details\')">x</details>',
].join("\n\n");
