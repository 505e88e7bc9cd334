// How numbers, sizes, times and money read in the UI (en-ZA: Rand first,
// dollars alongside; 24-hour times).
const NUMBER = new Intl.NumberFormat("en-ZA");

export function formatNumber(n: number): string {
  return NUMBER.format(n);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

export function formatEta(secs: number | null): string {
  if (secs === null || !Number.isFinite(secs)) return "working out time left…";
  if (secs < 5) return "almost done";
  if (secs < 60) return `about ${Math.round(secs)} s left`;
  if (secs < 3600) return `about ${Math.round(secs / 60)} min left`;
  return `about ${(secs / 3600).toFixed(1)} h left`;
}

export function formatRand(zar: number): string {
  return zar < 0.01 && zar > 0 ? `R${zar.toFixed(4)}` : `R${zar.toFixed(2)}`;
}

export function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd < 0.01 ? 5 : 2)}`;
}

/** "just now", "5 min ago", "3 h ago", "yesterday", or a date. */
export function relativeTime(date: Date, now: Date = new Date()): string {
  const secs = (now.getTime() - date.getTime()) / 1000;
  if (secs < 45) return "just now";
  if (secs < 3600) return `${Math.round(secs / 60)} min ago`;
  if (secs < 86_400) return `${Math.round(secs / 3600)} h ago`;
  if (secs < 2 * 86_400) return "yesterday";
  return date.toLocaleDateString("en-ZA", { day: "numeric", month: "short", year: "numeric" });
}

export function formatDateTime(date: Date): string {
  return date.toLocaleString("en-ZA", { dateStyle: "medium", timeStyle: "short", hour12: false });
}
