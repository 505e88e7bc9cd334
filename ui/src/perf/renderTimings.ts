// Render timings of the main panels, recorded locally with the Performance
// API (the seed's "Frontend (Performance API)"), never sent anywhere. Each
// panel sits in a <Profiler>; its onRender writes a `performance.measure`
// named `gogga:<panel>` (visible in the webview's devtools) and keeps the
// last samples in memory for the diagnostics screen (which polls them: a
// live subscription would time its own re-render forever). The app is mounted
// with react-dom's profiling build so this also works in release builds.
import type { ProfilerOnRenderCallback } from "react";

export type Sample = { phase: "mount" | "update" | "nested-update"; ms: number; at: number };
export type PanelStats = { panel: string; count: number; lastMs: number; p50: number; p95: number; maxMs: number; mounts: number };

const KEEP = 200;
const samples = new Map<string, Sample[]>();
let measuresSinceClear = 0;

export const MEASURE_PREFIX = "gogga:";

export const recordRender: ProfilerOnRenderCallback = (id, phase, actualDuration, _base, startTime, commitTime) => {
  record(id, phase, actualDuration, startTime, commitTime);
};

/** Store one render of `panel` (also as a performance measure). */
export function record(panel: string, phase: Sample["phase"], ms: number, start: number, end: number): void {
  const list = samples.get(panel) ?? [];
  list.push({ phase, ms, at: end });
  if (list.length > KEEP) list.splice(0, list.length - KEEP);
  samples.set(panel, list);
  try {
    performance.measure(`${MEASURE_PREFIX}${panel}`, { start, end: Math.max(end, start), detail: { phase, renderMs: ms } });
    // The timeline is unbounded; trim it now and then (our own buffer keeps the stats).
    if (++measuresSinceClear > 2000) {
      performance.clearMeasures();
      measuresSinceClear = 0;
    }
  } catch {
    // Some webviews reject measure options; the in-memory sample is enough.
  }
}

/**
 * Mark the chat screen's first paint. The first time, also write it to the
 * console as wall-clock ms (`gogga:chat-first-paint <ms since the epoch>`):
 * the desktop app copies the console to its stderr when
 * GOGGA_WEBVIEW_CONSOLE=1, so a cold start can be timed from the process's
 * start without WebDriver in the way (bench/desktop-coldstart.mjs).
 */
export function markChatFirstPaint(): void {
  const name = `${MEASURE_PREFIX}chat-first-paint`;
  if (performance.getEntriesByName(name).length > 0) return;
  const mark = performance.mark(name);
  console.info(`gogga:chat-first-paint ${(performance.timeOrigin + mark.startTime).toFixed(1)}`);
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function panelStats(): PanelStats[] {
  return [...samples.entries()]
    .map(([panel, list]) => {
      const ms = list.map((s) => s.ms).sort((a, b) => a - b);
      return {
        panel,
        count: list.length,
        lastMs: list[list.length - 1]?.ms ?? 0,
        p50: quantile(ms, 0.5),
        p95: quantile(ms, 0.95),
        maxMs: ms[ms.length - 1] ?? 0,
        mounts: list.filter((s) => s.phase === "mount").length,
      };
    })
    .sort((a, b) => a.panel.localeCompare(b.panel));
}

/** Time from navigation start to the first paint of the chat screen. */
export function firstPaintMs(): number | null {
  const mark = performance.getEntriesByName(`${MEASURE_PREFIX}chat-first-paint`)[0];
  return mark ? mark.startTime : null;
}

/** For tests. */
export function resetTimings(): void {
  samples.clear();
  performance.clearMeasures();
}
