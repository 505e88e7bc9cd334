// Which URLs in untrusted text (model answers, document passages) may become
// links: absolute http(s) and mailto only. Everything else — javascript:,
// data:, vbscript:, file:, relative paths, protocol-relative tricks,
// obfuscated schemes — is dropped and rendered as plain text.
const ALLOWED = new Set(["http:", "https:", "mailto:"]);

/** The normalised URL if it may be offered as a link, else null. */
export function safeUrl(raw: string): string | null {
  // Control characters and whitespace inside a scheme are a classic way to
  // smuggle `java\tscript:` past naive checks; URL() strips some of them, so
  // refuse any input that contains them at all.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (!ALLOWED.has(url.protocol)) return null;
  if (url.protocol !== "mailto:" && !url.hostname) return null;
  return url.href;
}
