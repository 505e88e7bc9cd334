// Process facts from Linux's /proc for the desktop benchmarks
// (desktop-startup.mjs, desktop-coldstart.mjs): when a process started, as
// wall-clock ms, and the memory of a process tree.
import { readFileSync, readdirSync } from "node:fs";

const ticks = 100; // USER_HZ on Linux
// When the machine booted, as wall-clock ms: now minus the uptime (10 ms
// resolution). Not /proc/stat's `btime`: it is truncated to whole seconds,
// which made every start look up to a second later than it was (0.54 s on
// the machine of the 2026-11-27 figures).
const bootMs = Date.now() - Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1000;

/** The parent pid and the start time (wall-clock ms) of `pid`. */
export function stat(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(f[1]), startMs: bootMs + (Number(f[19]) / ticks) * 1000 };
}

export function pids() {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
}

/** The executable path `pid` was started with ("" once it is gone). */
export function exeOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
  } catch {
    return "";
  }
}

/** `root` and every process below it. */
export function tree(root) {
  const all = pids().flatMap((p) => {
    try {
      return [[p, stat(p).ppid]];
    } catch {
      return [];
    }
  });
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [p, pp] of all) if (pp === out[i]) out.push(p);
  return out;
}

function memoryKb(pid) {
  try {
    const r = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(r)?.[1] ?? 0);
    return { rss: kb("Rss"), pss: kb("Pss") };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/**
 * The memory of `root`'s process tree in MB: RSS (counts shared pages once
 * per process, so it overstates) and PSS (shares them out; the honest
 * total), and each process's PSS.
 */
export function treeMemory(root) {
  const procs = tree(root);
  const each = procs.map((p) => ({ name: exeOf(p).split("/").pop(), ...memoryKb(p) }));
  return {
    rssMb: each.reduce((a, m) => a + m.rss, 0) / 1024,
    pssMb: each.reduce((a, m) => a + m.pss, 0) / 1024,
    procs: procs.length,
    parts: each.map((m) => `${m.name} ${(m.pss / 1024).toFixed(0)}`).join(", "),
  };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
