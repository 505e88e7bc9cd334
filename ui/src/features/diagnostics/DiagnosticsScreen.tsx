// Diagnostics: the core's metrics as charts (chat latency histogram per
// tier and model, tokens and cost per day, retries by key and status, CePO
// fallbacks, the embedding queue) and the UI's own render timings from the
// Performance API. The metrics load behind their own Suspense boundary; the
// render timings are local and show at once. Nothing here leaves the machine.
import { Suspense, use, useEffect, useState } from "react";
import type { Metrics } from "../../ipc";
import { ErrorBoundary } from "../../components/ErrorBoundary";
import { Skeleton } from "../../components/Feedback";
import { Icon } from "../../components/Icon";
import { formatMs, formatNumber, formatRand } from "../../model/format";
import { firstPaintMs, panelStats, type PanelStats } from "../../perf/renderTimings";
import { BarChart, HBars } from "./charts";
import type { DiagnosticsData } from "./data";
import { bucketLabel, combine, quantileBound } from "./histogram";

export default function DiagnosticsScreen({ data, onReload }: { data: DiagnosticsData; onReload: () => void }) {
  return (
    <section className="diagnostics" aria-labelledby="diagnostics-title">
      <header className="screen-head">
        <h2 id="diagnostics-title">Diagnostics</h2>
        <div className="head-actions">
          <button type="button" id="refresh-metrics" onClick={onReload}>
            <Icon name="regenerate" /> Refresh
          </button>
        </div>
      </header>
      <ErrorBoundary onRetry={onReload} resetKey={data.metrics}>
        <Suspense fallback={<Skeleton lines={10} label="Loading metrics" />}>
          <MetricsView metrics={data.metrics} />
        </Suspense>
      </ErrorBoundary>
      <RenderTimings />
    </section>
  );
}

function MetricsView({ metrics }: { metrics: Promise<Metrics> }) {
  const m = use(metrics);
  const [series, setSeries] = useState("all");
  const chosen = series === "all" ? m.latency : m.latency.filter((s) => `${s.tier}/${s.model}` === series);
  const h = combine(chosen);
  const p50 = quantileBound(h.buckets, 0.5);
  const p95 = quantileBound(h.buckets, 0.95);
  const totalZar = m.tokensPerDay.reduce((a, d) => a + d.costZar, 0);
  return (
    <div className="cards metrics" id="metrics">
      <section className="card wide" aria-labelledby="latency-title">
        <h3 className="card-title" id="latency-title">
          Chat latency
        </h3>
        <div className="chart-head">
          <label htmlFor="latency-series" className="sr-only">
            Tier and model
          </label>
          <select id="latency-series" value={series} onChange={(e) => setSeries(e.target.value)}>
            <option value="all">All tiers and models</option>
            {m.latency.map((s) => (
              <option key={`${s.tier}/${s.model}`} value={`${s.tier}/${s.model}`}>
                {s.tier} · {s.model}
              </option>
            ))}
          </select>
          <span className="muted">
            {formatNumber(h.count)} answers · mean {h.count ? formatMs((h.sumSeconds / h.count) * 1000) : "–"} · p50 ≤{" "}
            {p50 === null ? "–" : `${p50} s`} · p95 ≤ {p95 === null ? "–" : `${p95} s`}
          </span>
        </div>
        <BarChart
          id="latency-chart"
          label={`Latency histogram: ${h.buckets.map((b, i) => `${bucketLabel(b, h.buckets[i - 1])} ${b.count}`).join(", ")}`}
          series={["s-accent"]}
          bars={h.buckets.map((b, i) => ({
            label: bucketLabel(b, h.buckets[i - 1]),
            values: [b.count],
            title: `${bucketLabel(b, h.buckets[i - 1])}: ${b.count} answers`,
          }))}
        />
      </section>

      <section className="card wide" aria-labelledby="tokens-title">
        <h3 className="card-title" id="tokens-title">
          Tokens per day
        </h3>
        <p className="muted">
          <span className="legend s-in" /> in <span className="legend s-out" /> out · {formatRand(totalZar)} over {m.tokensPerDay.length} days
        </p>
        <BarChart
          id="tokens-chart"
          label={`Tokens per day over ${m.tokensPerDay.length} days`}
          series={["s-in", "s-out"]}
          bars={m.tokensPerDay.map((d) => ({
            label: d.day.slice(5),
            values: [d.tokensIn, d.tokensOut],
            title: `${d.day}: ${formatNumber(d.tokensIn)} in, ${formatNumber(d.tokensOut)} out, ${formatRand(d.costZar)}`,
          }))}
        />
      </section>

      <section className="card" aria-labelledby="retries-title">
        <h3 className="card-title" id="retries-title">
          Retries
        </h3>
        {m.retries.length === 0 ? (
          <p className="muted">No retries.</p>
        ) : (
          <HBars label="Retries by key and status" rows={m.retries.map((r) => ({ label: `${r.keyName} · ${r.statusCode}`, value: r.count }))} />
        )}
      </section>

      <section className="card" aria-labelledby="fallbacks-title">
        <h3 className="card-title" id="fallbacks-title">
          CePO fallbacks
        </h3>
        <p className="big-number" id="cepo-fallbacks">
          {formatNumber(m.cepoFallbacks)}
        </p>
        <p className="muted">times CePO failed and Gogga answered directly instead.</p>
      </section>

      <section className="card" aria-labelledby="queue-title">
        <h3 className="card-title" id="queue-title">
          Embedding queue
        </h3>
        <dl className="facts" id="embedding-queue">
          <dt>Waiting</dt>
          <dd>{formatNumber(m.queue.pending)}</dd>
          <dt>Running</dt>
          <dd>{formatNumber(m.queue.running)}</dd>
          <dt>Failed</dt>
          <dd className={m.queue.failed > 0 ? "error-text" : undefined}>{formatNumber(m.queue.failed)}</dd>
          <dt>Done</dt>
          <dd>{formatNumber(m.queue.done)}</dd>
          <dt>Rate</dt>
          <dd>{m.queue.chunksPerSec.toFixed(1)} passages/s</dd>
        </dl>
      </section>
      <p className="muted since">Counting since {new Date(m.since).toLocaleString("en-ZA")}.</p>
    </div>
  );
}

function RenderTimings() {
  const [stats, setStats] = useState<PanelStats[]>(panelStats);
  const [paint, setPaint] = useState<number | null>(firstPaintMs);
  useEffect(() => {
    // Polled, not subscribed: this screen's own renders are timed too.
    const timer = setInterval(() => {
      setStats(panelStats());
      setPaint(firstPaintMs());
    }, 2000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section className="card wide" aria-labelledby="timings-title">
      <h3 className="card-title" id="timings-title">
        Render timings (this window)
      </h3>
      <p className="muted">
        Measured with the browser's Performance API (<code>gogga:*</code> measures) and kept in this window only.
        {paint !== null && <> First paint of the chat screen: {formatMs(paint)} after start.</>}
      </p>
      {stats.length === 0 ? (
        <p className="muted">No renders recorded yet.</p>
      ) : (
        <table className="timings" id="render-timings">
          <thead>
            <tr>
              <th scope="col">Panel</th>
              <th scope="col">Renders</th>
              <th scope="col">Last</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
              <th scope="col">Max</th>
            </tr>
          </thead>
          <tbody>
            {stats.map((s) => (
              <tr key={s.panel}>
                <th scope="row">{s.panel}</th>
                <td>{s.count}</td>
                <td>{s.lastMs.toFixed(1)} ms</td>
                <td>{s.p50.toFixed(1)} ms</td>
                <td>{s.p95.toFixed(1)} ms</td>
                <td>{s.maxMs.toFixed(1)} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
