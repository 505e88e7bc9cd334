// The chat screen's first-paint mark: set once, and written to the console
// once as wall-clock ms (what bench/desktop-coldstart.mjs reads).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { firstPaintMs, markChatFirstPaint, MEASURE_PREFIX } from "./renderTimings";

// The Performance timeline is the worker's, shared with other test files.
beforeEach(() => performance.clearMarks());
afterEach(() => vi.restoreAllMocks());

describe("markChatFirstPaint", () => {
  it("marks the first paint once and logs it as wall-clock ms", () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    expect(firstPaintMs()).toBeNull();
    const before = Date.now();
    markChatFirstPaint();
    const after = Date.now();
    markChatFirstPaint();
    expect(performance.getEntriesByName(`${MEASURE_PREFIX}chat-first-paint`)).toHaveLength(1);
    expect(firstPaintMs()).not.toBeNull();
    expect(info).toHaveBeenCalledTimes(1);
    const match = /^gogga:chat-first-paint (\d+\.\d)$/.exec(String(info.mock.calls[0][0]));
    expect(match).not.toBeNull();
    const at = Number(match?.[1]);
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(after + 1);
  });
});
