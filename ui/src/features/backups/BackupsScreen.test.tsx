// Backups against the fake core: status (last success, a loud last
// failure, next run), "Back up now" with its busy state and a loud failure,
// the archive list, verify (good and damaged), restore only after a
// confirmation, the schedule form, the backup-status event, and errors.
import { describe, expect, test } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import BackupsScreen from "./BackupsScreen";
import { FakeCore } from "../../ipc/testing/fakeCore";
import { at, sampleBackupStatus } from "../../ipc/testing/fixtures";
import { EVENTS } from "../../ipc/events";

const archive = (path: string) => document.querySelector(`[data-path="${path}"]`) as HTMLElement;
const NEWEST = "/mnt/nas/gogga/gogga-2026-03-02T02-00-00Z.tar.zst";

describe("status", () => {
  test("shows skeletons, then last success, next run and the archives", async () => {
    const core = new FakeCore({ backupStatus: { ...sampleBackupStatus(), lastFailure: null } }).install();
    const release = core.hold("list_backups");
    render(<BackupsScreen />);
    expect(screen.getByRole("status", { name: "Loading backup status" })).toBeTruthy();
    expect(screen.getByRole("status", { name: "Loading backups" })).toBeTruthy();
    await waitFor(() => expect(document.getElementById("backup-next-run")?.textContent).toMatch(/2026/));
    expect(document.getElementById("backup-last-success")?.textContent).toMatch(/2026/);
    expect(screen.queryByRole("alert")).toBeNull();
    release();
    expect(await screen.findByText(NEWEST)).toBeTruthy();
    expect(archive(NEWEST).textContent).toMatch(/214 documents · 18\s320 passages · 37 conversations · 912 messages/);
  });

  test("a last failure newer than the last success is said loudly", async () => {
    new FakeCore({
      backupStatus: { ...sampleBackupStatus(), lastFailure: { at: at(100), path: null, message: "No space left on /mnt/nas." } },
    }).install();
    render(<BackupsScreen />);
    const loud = await screen.findByRole("alert");
    expect(loud.id).toBe("backup-last-failure");
    expect(loud.textContent).toContain("No space left on /mnt/nas.");
  });

  test("a backup-status event from the core updates the status", async () => {
    const core = new FakeCore().install();
    render(<BackupsScreen />);
    await screen.findByText(NEWEST);
    await act(() =>
      core.emit(EVENTS.backupStatus, { ...sampleBackupStatus(), running: true, lastFailure: null }),
    );
    await waitFor(() => expect(document.getElementById("backup-next-run")?.textContent).toContain("running now"));
  });

  test("failing to read the status shows the error with a retry", async () => {
    const core = new FakeCore().install();
    core.fail("backup_status", "backup", "the backup folder is not mounted");
    render(<BackupsScreen />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("the backup folder is not mounted");
    core.failures.clear();
    fireEvent.click(within(alert).getByText("Try again"));
    await waitFor(() => expect(document.getElementById("backup-status")).toBeTruthy());
  });
});

describe("backup now", () => {
  test("shows that it is working, then the new archive at the top", async () => {
    const core = new FakeCore().install();
    const release = core.hold("backup_now");
    render(<BackupsScreen />);
    await screen.findByText(NEWEST);
    fireEvent.click(screen.getByRole("button", { name: "Back up now" }));
    const busy = await screen.findByRole("button", { name: "Backing up…" });
    expect(busy.hasAttribute("disabled")).toBe(true);
    release();
    expect((await screen.findByText(/Backed up to/)).closest("#backup-made")).toBeTruthy();
    const first = document.querySelector("#backup-list li") as HTMLElement;
    expect(first.dataset.path).toBe(core.backups[0].path);
  });

  test("a failed backup says so loudly", async () => {
    const core = new FakeCore().install();
    core.fail("backup_now", "backup", "/mnt/nas/gogga is read-only");
    render(<BackupsScreen />);
    await screen.findByText(NEWEST);
    fireEvent.click(screen.getByRole("button", { name: "Back up now" }));
    const alert = await screen.findByText(/The backup failed/);
    expect(alert.closest("[role=alert]")?.textContent).toContain("/mnt/nas/gogga is read-only");
  });
});

describe("verify and restore", () => {
  test("verify reports a good archive, and lists a damaged one's problems", async () => {
    const core = new FakeCore().install();
    render(<BackupsScreen />);
    await screen.findByText(NEWEST);
    fireEvent.click(within(archive(NEWEST)).getByRole("button", { name: "Verify" }));
    expect(await within(archive(NEWEST)).findByText(/Verified: checksums, database integrity and counts all match/)).toBeTruthy();
    expect(core.callsOf("verify_backup")[0].args).toEqual({ path: NEWEST });

    core.backups[1] = { ...core.backups[1] };
    const older = core.backups[1].path;
    core.backups.splice(1, 1);
    fireEvent.click(within(archive(older)).getByRole("button", { name: "Verify" }));
    const bad = await within(archive(older)).findByRole("alert");
    expect(bad.textContent).toContain("archive not found");
  });

  test("restore asks for confirmation first, shows progress, then the restart note", async () => {
    const core = new FakeCore().install();
    const release = core.hold("restore_backup");
    render(<BackupsScreen />);
    await screen.findByText(NEWEST);
    fireEvent.click(within(archive(NEWEST)).getByRole("button", { name: "Restore…" }));
    expect(core.callsOf("restore_backup")).toHaveLength(0);
    const confirm = within(archive(NEWEST)).getByRole("group", { name: "Confirm restore" });
    expect(confirm.textContent).toContain("your current data is kept aside until the restore succeeds");
    fireEvent.click(within(confirm).getByRole("button", { name: "Restore this backup" }));
    expect(await within(archive(NEWEST)).findByRole("button", { name: "Restoring…" })).toBeTruthy();
    release();
    expect(await within(archive(NEWEST)).findByText(/Restart Gogga to finish/)).toBeTruthy();
  });

  test("a refused restore shows the core's reason", async () => {
    const core = new FakeCore().install();
    core.fail("restore_backup", "backup_newer_schema", "This backup was made by a newer Gogga (schema 9).");
    render(<BackupsScreen />);
    await screen.findByText(NEWEST);
    fireEvent.click(within(archive(NEWEST)).getByRole("button", { name: "Restore…" }));
    fireEvent.click(within(archive(NEWEST)).getByRole("button", { name: "Restore this backup" }));
    expect((await within(archive(NEWEST)).findByRole("alert")).textContent).toContain("newer Gogga (schema 9)");
  });
});

describe("schedule", () => {
  test("saves folder, hours and retention; refuses nonsense numbers", async () => {
    const core = new FakeCore().install();
    render(<BackupsScreen />);
    await screen.findByText(NEWEST);
    fireEvent.change(screen.getByLabelText("Keep the last"), { target: { value: "0" } });
    expect(screen.getByText(/must be whole numbers of at least 1/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Save schedule" }).hasAttribute("disabled")).toBe(true);
    fireEvent.change(screen.getByLabelText("Keep the last"), { target: { value: "10" } });
    fireEvent.change(screen.getByLabelText(/Every \(hours/), { target: { value: "6" } });
    fireEvent.change(screen.getByLabelText("Backup folder"), { target: { value: "/mnt/cold/gogga" } });
    fireEvent.click(screen.getByRole("button", { name: "Save schedule" }));
    expect(await screen.findByText("Saved")).toBeTruthy();
    expect(core.callsOf("set_backup_schedule")[0].args).toEqual({ schedule: { folder: "/mnt/cold/gogga", everyHours: 6, keep: 10 } });
  });
});
