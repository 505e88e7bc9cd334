// The metrics request for the diagnostics screen, started in the click that
// opens it (in parallel with the screen's code).
import { ipc, type Metrics } from "../../ipc";

export type DiagnosticsData = { metrics: Promise<Metrics> };

export function loadDiagnosticsData(): DiagnosticsData {
  const metrics = ipc.getMetrics();
  metrics.catch(() => {});
  return { metrics };
}
