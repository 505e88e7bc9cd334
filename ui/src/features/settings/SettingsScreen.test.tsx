// Settings against the fake core: loading and error, the theme applied
// from the core's answer, plan and default model, providers (base URL,
// enable, add, remove), API keys (secret sent once, cleared, never shown),
// where keys are stored (keyring or the 0600 file, said plainly), CePO,
// the data folder with its restart notice, and every save's busy state and
// error.
import { describe, expect, test } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import SettingsScreen from "./SettingsScreen";
import { useSettings } from "./useSettings";
import { FakeCore } from "../../ipc/testing/fakeCore";
import { sampleSettings } from "../../ipc/testing/fixtures";

function Harness() {
  const store = useSettings();
  return <SettingsScreen store={store} />;
}

const card = (name: string | RegExp) => screen.getByRole("region", { name });

describe("loading", () => {
  test("shows a skeleton, then the settings; a failure shows the error with a retry", async () => {
    const core = new FakeCore().install();
    core.fail("get_settings", "config", "config.toml: unknown key `colour`");
    render(<Harness />);
    expect(screen.getByRole("status", { name: "Loading settings" })).toBeTruthy();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("config.toml: unknown key `colour`");
    core.failures.clear();
    fireEvent.click(within(alert).getByText("Try again"));
    expect(await screen.findByRole("heading", { name: "Settings" })).toBeTruthy();
  });
});

describe("appearance, plan and model", () => {
  test("choosing a theme saves it and applies the core's answer", async () => {
    const core = new FakeCore().install();
    render(<Harness />);
    await screen.findByRole("heading", { name: "Settings" });
    expect(document.documentElement.dataset.theme).toBe("system");
    fireEvent.click(screen.getByLabelText("Dark"));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("dark"));
    expect(core.callsOf("update_settings")[0].args.patch).toEqual({ plan: null, defaultMode: null, cepo: null, theme: "dark", dataDir: null });
  });

  test("plan and default model are saved; a refused save shows the core's error", async () => {
    const core = new FakeCore().install();
    render(<Harness />);
    await screen.findByRole("heading", { name: "Settings" });
    fireEvent.change(screen.getByLabelText("Plan"), { target: { value: "JIGGA" } });
    await waitFor(() => expect((screen.getByLabelText("Plan") as HTMLSelectElement).value).toBe("JIGGA"));
    expect(core.callsOf("update_settings")[0].args.patch).toMatchObject({ plan: "JIGGA" });
    core.fail("update_settings", "config", "cannot write config.toml: read-only file system");
    fireEvent.change(screen.getByLabelText("Model for new chats"), { target: { value: "max" } });
    expect((await within(card("Plan and model")).findByRole("alert")).textContent).toContain("read-only file system");
    expect((screen.getByLabelText("Model for new chats") as HTMLSelectElement).value).toBe("auto");
  });
});

describe("providers and keys", () => {
  test("says keys are in the system keyring", async () => {
    new FakeCore().install();
    render(<Harness />);
    expect((await screen.findByText(/API keys are kept in your system keyring/)).id).toBe("key-storage");
  });

  test("says plainly when keys fall back to a 0600 file, and where", async () => {
    new FakeCore({ settings: { ...sampleSettings(), keyStorage: "file", keyFile: "/home/thandi/.config/gogga/keys.toml" } }).install();
    render(<Harness />);
    const note = await screen.findByRole("note");
    expect(note.textContent).toContain("API keys are kept in a file only your user can read");
    expect(note.textContent).toContain("(mode 0600)");
    expect(note.textContent).toContain("/home/thandi/.config/gogga/keys.toml");
  });

  test("adding a key sends the secret once, clears it, and shows only the name and last characters", async () => {
    const core = new FakeCore().install();
    render(<Harness />);
    await screen.findByRole("heading", { name: "Settings" });
    const cerebras = card("Cerebras");
    fireEvent.change(within(cerebras).getByLabelText("Key name"), { target: { value: "personal" } });
    fireEvent.change(within(cerebras).getByLabelText("API key"), { target: { value: "csk-secret-1234wxyz" } });
    fireEvent.click(within(cerebras).getByRole("button", { name: "Add key" }));
    await waitFor(() => expect(within(cerebras).getByText("personal")).toBeTruthy());
    expect(core.callsOf("set_api_key")[0].args).toEqual({ providerId: "cerebras", name: "personal", secret: "csk-secret-1234wxyz" });
    expect(within(cerebras).getByText("…wxyz")).toBeTruthy();
    expect((within(cerebras).getByLabelText("API key") as HTMLInputElement).value).toBe("");
    expect(document.body.textContent).not.toContain("csk-secret-1234wxyz");
  });

  test("a refused key is cleared from the page too, and the error shown", async () => {
    const core = new FakeCore().install();
    core.fail("set_api_key", "keyring", "the keyring is locked");
    render(<Harness />);
    await screen.findByRole("heading", { name: "Settings" });
    const cerebras = card("Cerebras");
    fireEvent.change(within(cerebras).getByLabelText("Key name"), { target: { value: "x" } });
    fireEvent.change(within(cerebras).getByLabelText("API key"), { target: { value: "csk-nope" } });
    fireEvent.click(within(cerebras).getByRole("button", { name: "Add key" }));
    expect((await within(cerebras).findByRole("alert")).textContent).toContain("the keyring is locked");
    expect((within(cerebras).getByLabelText("API key") as HTMLInputElement).value).toBe("");
    expect((within(cerebras).getByLabelText("Key name") as HTMLInputElement).value).toBe("x");
  });

  test("deleting a key and changing a base URL go through the core", async () => {
    const core = new FakeCore().install();
    render(<Harness />);
    await screen.findByRole("heading", { name: "Settings" });
    fireEvent.click(screen.getByRole("button", { name: "Delete key work" }));
    await waitFor(() => expect(screen.queryByRole("button", { name: "Delete key work" })).toBeNull());
    expect(core.callsOf("delete_api_key")[0].args).toEqual({ providerId: "cerebras", name: "work" });
    const ollama = card(/Local Ollama/);
    fireEvent.change(within(ollama).getByLabelText("Base URL"), { target: { value: "http://127.0.0.1:8080/v1" } });
    fireEvent.click(within(ollama).getByLabelText("Use this provider"));
    fireEvent.click(within(ollama).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(core.callsOf("save_provider")).toHaveLength(1));
    expect(core.callsOf("save_provider")[0].args.provider).toEqual({
      id: "ollama",
      kind: "openai_compatible",
      label: "Local Ollama",
      baseUrl: "http://127.0.0.1:8080/v1",
      enabled: true,
    });
  });

  test("a new provider is added with an id from its name", async () => {
    const core = new FakeCore().install();
    render(<Harness />);
    await screen.findByRole("heading", { name: "Settings" });
    fireEvent.change(screen.getByLabelText("Kind"), { target: { value: "openrouter" } });
    expect((screen.getByLabelText("Base URL", { selector: "#new-provider-url" }) as HTMLInputElement).value).toBe("https://openrouter.ai/api/v1");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "OpenRouter Work" } });
    fireEvent.click(screen.getByRole("button", { name: "Add provider" }));
    expect(await screen.findByRole("region", { name: /OpenRouter Work · OpenRouter/ })).toBeTruthy();
    expect(core.callsOf("save_provider")[0].args.provider).toMatchObject({ id: "openrouter-work", kind: "openrouter", enabled: true });
  });
});

describe("CePO and data folder", () => {
  test("CePO needs an endpoint when enabled and saves both", async () => {
    const core = new FakeCore().install();
    render(<Harness />);
    await screen.findByRole("heading", { name: "Settings" });
    fireEvent.click(screen.getByLabelText("Use CePO"));
    const save = within(card(/CePO/)).getByRole("button", { name: "Save" });
    expect(save.hasAttribute("disabled")).toBe(true);
    fireEvent.change(screen.getByLabelText("Endpoint"), { target: { value: "http://127.0.0.1:8000/v1" } });
    fireEvent.click(save);
    await waitFor(() => expect(core.callsOf("update_settings")).toHaveLength(1));
    expect(core.callsOf("update_settings")[0].args.patch).toMatchObject({ cepo: { enabled: true, endpoint: "http://127.0.0.1:8000/v1" } });
  });

  test("a new data folder from the dialog is saved and the restart notice shows", async () => {
    const core = new FakeCore().install();
    core.dialog = "/data/gogga";
    render(<Harness />);
    await screen.findByRole("heading", { name: "Settings" });
    fireEvent.click(within(card("Data folder")).getByRole("button", { name: /Choose/ }));
    await waitFor(() => expect((screen.getByLabelText("Data folder", { selector: "input" }) as HTMLInputElement).value).toBe("/data/gogga"));
    fireEvent.click(within(card("Data folder")).getByRole("button", { name: "Save" }));
    expect((await screen.findByText(/Restart Gogga to use the new data folder/)).id).toBe("restart-notice");
    expect(core.callsOf("update_settings")[0].args.patch).toMatchObject({ dataDir: "/data/gogga" });
  });

  test("the installation's status is shown", async () => {
    new FakeCore().install();
    render(<Harness />);
    expect((await screen.findByText("/home/thandi/.local/share/gogga", { selector: "#status-data-dir" })).id).toBe("status-data-dir");
  });
});
