// Small, dependency-free SVG charts with explicit sizes. Each chart is an
// image with a text summary for screen readers, and every bar has a
// tooltip with its exact value.
export type Bar = { label: string; values: number[]; title: string };

type BarChartProps = {
  bars: Bar[];
  /** One colour class per stacked series. */
  series: string[];
  label: string;
  width?: number;
  height?: number;
  id?: string;
};

export function BarChart({ bars, series, label, width = 760, height = 200, id }: BarChartProps) {
  const pad = { top: 10, right: 8, bottom: 30, left: 40 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...bars.map((b) => b.values.reduce((a, v) => a + v, 0)));
  const step = bars.length > 0 ? innerW / bars.length : innerW;
  const barW = Math.max(2, step * 0.7);
  const labelEvery = Math.ceil(bars.length / 10);
  return (
    <svg className="chart" id={id} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <line x1={pad.left} x2={width - pad.right} y1={pad.top + innerH} y2={pad.top + innerH} className="axis" />
      {[0.5, 1].map((f) => (
        <g key={f}>
          <line x1={pad.left} x2={width - pad.right} y1={pad.top + innerH * (1 - f)} y2={pad.top + innerH * (1 - f)} className="grid" />
          <text x={pad.left - 6} y={pad.top + innerH * (1 - f) + 4} className="tick" textAnchor="end">
            {compact(max * f)}
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        let y = pad.top + innerH;
        const x = pad.left + i * step + (step - barW) / 2;
        return (
          <g key={b.label} className="bar">
            <title>{b.title}</title>
            {b.values.map((v, s) => {
              const h = (v / max) * innerH;
              y -= h;
              return <rect key={s} x={x} y={y} width={barW} height={Math.max(0, h)} rx={2} className={series[s]} />;
            })}
            {i % labelEvery === 0 && (
              <text x={x + barW / 2} y={height - pad.bottom + 16} className="tick" textAnchor="middle">
                {b.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function HBars({ rows, label }: { rows: { label: string; value: number }[]; label: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <ul className="hbars" aria-label={label}>
      {rows.map((r) => (
        <li key={r.label}>
          <span className="hbar-label">{r.label}</span>
          <span className="hbar-track">
            <span className="hbar-fill" style={{ width: `${(r.value / max) * 100}%` }} />
          </span>
          <span className="hbar-value">{r.value}</span>
        </li>
      ))}
    </ul>
  );
}

function compact(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1000) return `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k`;
  return n >= 10 ? n.toFixed(0) : n.toFixed(1);
}
