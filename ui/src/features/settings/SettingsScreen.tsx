// Settings, stored by the core in its config (and API keys in the OS
// keyring, or a 0600 file when no keyring exists — the screen says which):
// theme, plan and default model override, providers with their base URLs
// and named keys, the CePO endpoint, the data folder, and what the core
// reports about this installation. Every save shows that it is working and
// any error the core gives; secrets are sent once and never shown again.
import { useState } from "react";
import { ipc, type RouteMode, type Settings, type SettingsPatch, type Theme, type Tier } from "../../ipc";
import { ErrorNote, Skeleton, Spinner } from "../../components/Feedback";
import { Card, useSaver, type Saver } from "./Card";
import { Icon } from "../../components/Icon";
import { StatusPanel } from "../status/StatusPanel";
import type { SettingsStore } from "./useSettings";
import { ProviderCard, NewProvider } from "./Providers";

const NO_CHANGE: SettingsPatch = { plan: null, defaultMode: null, cepo: null, theme: null, dataDir: null };

export default function SettingsScreen({ store }: { store: SettingsStore }) {
  const saver = useSaver(store.replace);
  const state = store.state;
  if (state.status === "loading") return <Skeleton lines={8} label="Loading settings" />;
  if (state.status === "failed") return <ErrorNote error={state.error} onRetry={store.load} />;
  const s = state.settings;
  const patch = (key: string, p: Partial<SettingsPatch>) => saver.save(key, () => ipc.updateSettings({ ...NO_CHANGE, ...p }));

  return (
    <section className="settings" aria-labelledby="settings-title">
      <header className="screen-head">
        <h2 id="settings-title">Settings</h2>
      </header>
      {s.restartRequired && (
        <div className="notice" role="status" id="restart-notice">
          <Icon name="warn" /> Restart Gogga to use the new data folder.
        </div>
      )}

      <div className="cards">
        <Card title="Appearance" busy={saver.busy === "theme"} error={saver.errors.theme}>
          <fieldset className="segmented" aria-label="Theme">
            <legend className="sr-only">Theme</legend>
            {(["light", "dark", "system"] as Theme[]).map((t) => (
              <label key={t} className={s.theme === t ? "on" : undefined}>
                <input
                  type="radio"
                  name="theme"
                  id={`theme-${t}`}
                  checked={s.theme === t}
                  disabled={saver.busy !== null}
                  onChange={() => patch("theme", { theme: t })}
                />
                {t === "system" ? "Follow system" : t === "light" ? "Light" : "Dark"}
              </label>
            ))}
          </fieldset>
        </Card>

        <Card title="Plan and model" busy={saver.busy === "plan" || saver.busy === "mode"} error={saver.errors.plan ?? saver.errors.mode}>
          <div className="field">
            <label htmlFor="plan">Plan</label>
            <select id="plan" value={s.plan} disabled={saver.busy !== null} onChange={(e) => patch("plan", { plan: e.target.value as Tier })}>
              <option value="FREE">FREE — fast model, small budget</option>
              <option value="JIVE">JIVE — big model for complex questions</option>
              <option value="JIGGA">JIGGA — biggest budgets and planning</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="default-mode">Model for new chats</label>
            <select
              id="default-mode"
              value={s.defaultMode}
              disabled={saver.busy !== null}
              onChange={(e) => patch("mode", { defaultMode: e.target.value as RouteMode })}
            >
              <option value="auto">Auto — Gogga picks per question</option>
              <option value="fast">Fast — always the fast model</option>
              <option value="max">Max — always the biggest model</option>
            </select>
          </div>
        </Card>
      </div>

      <h3 className="section-title">Model providers</h3>
      <KeyStorageNote settings={s} />
      <div className="cards">
        {s.providers.map((p) => (
          <ProviderCard key={p.id} provider={p} saver={saver} />
        ))}
        <NewProvider saver={saver} existing={s.providers.map((p) => p.id)} />
      </div>

      <div className="cards">
        <CepoCard settings={s} saver={saver} onSave={(cepo) => patch("cepo", { cepo })} />
        <DataFolderCard settings={s} saver={saver} onSave={(dataDir) => patch("dataDir", { dataDir })} />
      </div>

      <StatusPanel />
    </section>
  );
}

function KeyStorageNote({ settings }: { settings: Settings }) {
  return settings.keyStorage === "keyring" ? (
    <p className="key-storage ok" id="key-storage">
      <Icon name="shield" /> API keys are kept in your system keyring. They are never shown again, never backed up and never
      leave this machine except to the provider they belong to.
    </p>
  ) : (
    <p className="key-storage warn" id="key-storage" role="note">
      <Icon name="warn" /> API keys are kept in a file only your user can read (mode 0600)
      {settings.keyFile ? (
        <>
          : <code>{settings.keyFile}</code>
        </>
      ) : null}
      . They are never shown again and never backed up; anyone who can log in as you can read them.
    </p>
  );
}

function CepoCard({ settings, saver, onSave }: { settings: Settings; saver: Saver; onSave: (c: Settings["cepo"]) => void }) {
  const [enabled, setEnabled] = useState(settings.cepo.enabled);
  const [endpoint, setEndpoint] = useState(settings.cepo.endpoint ?? "");
  return (
    <Card title="CePO (reasoning proxy)" busy={saver.busy === "cepo"} error={saver.errors.cepo}>
      <p className="muted">For JIVE and JIGGA, send questions through an OptiLLM CePO endpoint first; any failure falls back to a direct call.</p>
      <label className="toggle">
        <input id="cepo-enabled" type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Use CePO
      </label>
      <div className="field">
        <label htmlFor="cepo-endpoint">Endpoint</label>
        <input
          id="cepo-endpoint"
          type="url"
          placeholder="http://127.0.0.1:8000/v1"
          value={endpoint}
          onChange={(e) => setEndpoint(e.target.value)}
        />
      </div>
      <button
        type="button"
        id="cepo-save"
        disabled={saver.busy !== null || (enabled && !endpoint.trim())}
        onClick={() => onSave({ enabled, endpoint: endpoint.trim() || null })}
      >
        Save
      </button>
      {saver.saved === "cepo" && <span className="saved">Saved</span>}
    </Card>
  );
}

function DataFolderCard({ settings, saver, onSave }: { settings: Settings; saver: Saver; onSave: (dir: string) => void }) {
  const [dir, setDir] = useState(settings.dataDir);
  const [choosing, setChoosing] = useState(false);
  const choose = async () => {
    setChoosing(true);
    const picked = await ipc.chooseDataFolder().catch(() => null);
    if (picked) setDir(picked);
    setChoosing(false);
  };
  return (
    <Card title="Data folder" busy={saver.busy === "dataDir"} error={saver.errors.dataDir}>
      <p className="muted">Where your documents, index and conversations live. It must be a local disk (not a network share): use backups for NFS.</p>
      <div className="inline-form">
        <label htmlFor="data-dir" className="sr-only">
          Data folder
        </label>
        <input id="data-dir" type="text" spellCheck={false} value={dir} onChange={(e) => setDir(e.target.value)} />
        <button type="button" onClick={choose} disabled={choosing}>
          {choosing ? <Spinner /> : <Icon name="folder" />} Choose…
        </button>
        <button type="button" id="data-dir-save" onClick={() => onSave(dir.trim())} disabled={saver.busy !== null || !dir.trim() || dir === settings.dataDir}>
          Save
        </button>
      </div>
    </Card>
  );
}
