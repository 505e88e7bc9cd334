// The status panel with the IPC layer mocked: it renders what the core
// returns, shows a readable error when the command fails, and asks again on
// Refresh.
import { afterEach, beforeEach, expect, test } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { StatusPanel } from "./StatusPanel";

const status = {
  version: "0.1.0",
  dataDir: "/tmp/gogga-data",
  configFile: "/tmp/c/config.toml",
  schemaVersion: 3,
  storeBytes: 4096,
  modelId: "all-MiniLM-L6-v2",
  modelReady: false,
  modelProblem: "ONNX Runtime not found",
};

beforeEach(() => {
  // jsdom has no WebCrypto-backed randomness for Tauri's callback ids.
  Object.defineProperty(window, "crypto", { value: globalThis.crypto, configurable: true });
});
afterEach(() => {
  cleanup();
  clearMocks();
});

test("shows the facts the core returns", async () => {
  let calls = 0;
  mockIPC((cmd) => {
    if (cmd === "app_status") {
      calls++;
      return status;
    }
    throw new Error(`unexpected ${cmd}`);
  });
  render(<StatusPanel />);
  expect(await screen.findByText("/tmp/gogga-data")).toBeTruthy();
  expect(screen.getByText("4.0 KiB")).toBeTruthy();
  expect(screen.getByText("not ready").getAttribute("title")).toBe("ONNX Runtime not found");
  fireEvent.click(screen.getByText("Refresh"));
  await waitFor(() => expect(calls).toBe(2));
});

test("shows the error code and message when the command fails", async () => {
  mockIPC(() => {
    throw { code: "store", message: "database is newer than this Gogga" };
  });
  render(<StatusPanel />);
  const alert = await screen.findByRole("alert");
  expect(alert.textContent).toContain("database is newer than this Gogga");
  expect(alert.textContent).toContain("store");
});
