// Diagnostics against the fake core: a skeleton while the metrics load, the
// charts (latency histogram per tier/model with p50/p95, tokens per day,
// retries, CePO fallbacks, embedding queue), the UI's own render timings
// from the Performance API, refresh, and the error state.
import { beforeEach, describe, expect, test } from "vitest";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import DiagnosticsScreen from "./DiagnosticsScreen";
import { loadDiagnosticsData } from "./data";
import { combine, quantileBound } from "./histogram";
import { FakeCore } from "../../ipc/testing/fakeCore";
import { sampleMetrics } from "../../ipc/testing/fixtures";
import { record, resetTimings, MEASURE_PREFIX } from "../../perf/renderTimings";

function Harness() {
  const [data, setData] = useState(loadDiagnosticsData);
  return <DiagnosticsScreen data={data} onReload={() => setData(loadDiagnosticsData())} />;
}

async function show() {
  await act(async () => {
    render(<Harness />);
  });
}

beforeEach(() => resetTimings());

describe("histogram arithmetic", () => {
  test("combines series bucket by bucket and finds the quantile's bucket", () => {
    const h = combine(sampleMetrics().latency);
    expect(h.count).toBe(181);
    expect(h.buckets.map((b) => b.count)).toEqual([21, 61, 50, 34, 11, 4, 0, 0]);
    expect(h.buckets[h.buckets.length - 1].le).toBeNull();
    expect(quantileBound(h.buckets, 0.5)).toBe(2);
    expect(quantileBound(h.buckets, 0.95)).toBe(10);
    expect(quantileBound([], 0.5)).toBeNull();
  });
});

describe("screen", () => {
  test("shows a skeleton while loading, then every chart", async () => {
    const core = new FakeCore().install();
    const release = core.hold("get_metrics");
    await show();
    expect(screen.getByRole("status", { name: "Loading metrics" })).toBeTruthy();
    await act(async () => release());
    const latency = await screen.findByRole("img", { name: /^Latency histogram/ });
    expect(latency.getAttribute("aria-label")).toBe("Latency histogram: ≤0.5s 21, ≤1s 61, ≤2s 50, ≤5s 34, ≤10s 11, ≤30s 4, ≤60s 0, >60s 0");
    expect(latency.getAttribute("width")).toBe("760");
    expect(latency.getAttribute("height")).toBe("200");
    expect(screen.getByText(/181 answers/).textContent).toContain("p50 ≤ 2 s · p95 ≤ 10 s");
    const tokens = screen.getByRole("img", { name: "Tokens per day over 14 days" });
    expect(tokens.querySelectorAll("g.bar")).toHaveLength(14);
    expect(within(screen.getByRole("list", { name: "Retries by key and status" })).getByText("work · 429")).toBeTruthy();
    expect(screen.getByText("3", { selector: "#cepo-fallbacks" })).toBeTruthy();
    expect(document.getElementById("embedding-queue")?.textContent).toContain("24.6 passages/s");
  });

  test("the latency chart follows the chosen tier and model", async () => {
    new FakeCore().install();
    await show();
    fireEvent.change(await screen.findByLabelText("Tier and model"), { target: { value: "JIGGA/qwen-3-235b" } });
    expect(screen.getByText(/38 answers/).textContent).toContain("p50 ≤ 5 s");
  });

  test("shows the UI's own render timings, recorded as performance measures", async () => {
    new FakeCore().install();
    record("chat", "mount", 12.5, 100, 112.5);
    record("chat", "update", 2.5, 200, 202.5);
    record("documents", "mount", 30, 300, 330);
    expect(performance.getEntriesByName(`${MEASURE_PREFIX}chat`, "measure")).toHaveLength(2);
    await show();
    const table = screen.getByRole("table");
    const rows = within(table).getAllByRole("row").slice(1).map((r) => r.textContent);
    expect(rows).toEqual(["chat22.5 ms12.5 ms12.5 ms12.5 ms", "documents130.0 ms30.0 ms30.0 ms30.0 ms"]);
  });

  test("a failure shows the error; refresh asks the core again", async () => {
    const core = new FakeCore().install();
    core.fail("get_metrics", "metrics", "metrics are disabled in config");
    await show();
    expect((await screen.findByRole("alert")).textContent).toContain("metrics are disabled in config");
    core.failures.clear();
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    });
    expect(await screen.findByRole("img", { name: /^Latency histogram/ })).toBeTruthy();
    expect(core.callsOf("get_metrics")).toHaveLength(2);
  });
});
