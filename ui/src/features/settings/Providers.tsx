// One model provider (Cerebras, OpenRouter, or any OpenAI-compatible base
// URL such as a local Ollama): its base URL, whether it is used, and its
// named API keys. A key's secret goes to the core once (which stores it in
// the keyring) and the field is cleared; the screen only ever shows the
// key's name and last characters.
import { useState } from "react";
import { ipc, type ProviderInfo, type ProviderKind } from "../../ipc";
import { Icon } from "../../components/Icon";
import { Spinner } from "../../components/Feedback";
import { Card, type Saver } from "./Card";

const KIND_LABEL: Record<ProviderKind, string> = {
  cerebras: "Cerebras",
  openrouter: "OpenRouter",
  openai_compatible: "OpenAI-compatible",
};

const DEFAULT_URL: Record<ProviderKind, string> = {
  cerebras: "https://api.cerebras.ai/v1",
  openrouter: "https://openrouter.ai/api/v1",
  openai_compatible: "http://127.0.0.1:11434/v1",
};

export function ProviderCard({ provider, saver }: { provider: ProviderInfo; saver: Saver }) {
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl);
  const [enabled, setEnabled] = useState(provider.enabled);
  const [keyName, setKeyName] = useState("");
  const [secret, setSecret] = useState("");
  const [confirmRemove, setConfirmRemove] = useState(false);
  const key = (what: string) => `${what}:${provider.id}`;
  const dirty = baseUrl !== provider.baseUrl || enabled !== provider.enabled;
  const busy = saver.busy?.endsWith(`:${provider.id}`) ?? false;

  const saveProvider = () =>
    saver.save(key("provider"), () =>
      ipc.saveProvider({ id: provider.id, kind: provider.kind, label: provider.label, baseUrl: baseUrl.trim(), enabled }),
    );
  const addKey = async () => {
    const ok = await saver.save(key("key"), () => ipc.setApiKey(provider.id, keyName.trim(), secret));
    // Never keep a secret in the page longer than needed.
    setSecret("");
    if (ok) setKeyName("");
  };

  return (
    <Card
      title={provider.label === KIND_LABEL[provider.kind] ? provider.label : `${provider.label} · ${KIND_LABEL[provider.kind]}`}
      busy={busy}
      error={saver.errors[key("provider")] ?? saver.errors[key("key")] ?? saver.errors[key("remove")]}
    >
      <div className="field">
        <label htmlFor={`base-url-${provider.id}`}>Base URL</label>
        <input id={`base-url-${provider.id}`} type="url" spellCheck={false} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
      </div>
      <label className="toggle">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Use this provider
      </label>
      <div className="row-actions">
        <button type="button" onClick={saveProvider} disabled={saver.busy !== null || !dirty || !baseUrl.trim()}>
          Save
        </button>
        {confirmRemove ? (
          <>
            <button
              type="button"
              className="danger"
              onClick={() => saver.save(key("remove"), () => ipc.removeProvider(provider.id))}
              disabled={saver.busy !== null}
            >
              Remove {provider.label}
            </button>
            <button type="button" onClick={() => setConfirmRemove(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="quiet" onClick={() => setConfirmRemove(true)}>
            Remove…
          </button>
        )}
        {saver.saved === key("provider") && <span className="saved">Saved</span>}
      </div>

      <h5 className="keys-title">API keys</h5>
      {provider.keys.length === 0 ? (
        <p className="muted">No keys yet{provider.kind === "openai_compatible" ? " (a local server may not need one)" : ""}.</p>
      ) : (
        <ul className="key-list" aria-label={`${provider.label} keys`}>
          {provider.keys.map((k) => (
            <li key={k.name}>
              <Icon name="shield" size={14} /> <strong>{k.name}</strong> <code>{k.hint}</code>
              <button
                type="button"
                className="icon-button"
                aria-label={`Delete key ${k.name}`}
                disabled={saver.busy !== null}
                onClick={() => saver.save(key("key"), () => ipc.deleteApiKey(provider.id, k.name))}
              >
                <Icon name="trash" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form add-key"
        onSubmit={(e) => {
          e.preventDefault();
          void addKey();
        }}
      >
        <label className="sr-only" htmlFor={`key-name-${provider.id}`}>
          Key name
        </label>
        <input
          id={`key-name-${provider.id}`}
          placeholder="Name, e.g. work"
          value={keyName}
          autoComplete="off"
          onChange={(e) => setKeyName(e.target.value)}
        />
        <label className="sr-only" htmlFor={`key-secret-${provider.id}`}>
          API key
        </label>
        <input
          id={`key-secret-${provider.id}`}
          type="password"
          placeholder="API key"
          value={secret}
          autoComplete="off"
          onChange={(e) => setSecret(e.target.value)}
        />
        <button type="submit" disabled={saver.busy !== null || !keyName.trim() || !secret}>
          {saver.busy === key("key") ? <Spinner /> : null} Add key
        </button>
      </form>
    </Card>
  );
}

export function NewProvider({ saver, existing }: { saver: Saver; existing: string[] }) {
  const [kind, setKind] = useState<ProviderKind>("openai_compatible");
  const [label, setLabel] = useState("");
  const [baseUrl, setBaseUrl] = useState(DEFAULT_URL.openai_compatible);
  const id = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  const clash = existing.includes(id);
  const add = async () => {
    const ok = await saver.save("new-provider", () => ipc.saveProvider({ id, kind, label: label.trim(), baseUrl: baseUrl.trim(), enabled: true }));
    if (ok) setLabel("");
  };
  return (
    <Card title="Add a provider" busy={saver.busy === "new-provider"} error={saver.errors["new-provider"]}>
      <div className="field">
        <label htmlFor="new-provider-kind">Kind</label>
        <select
          id="new-provider-kind"
          value={kind}
          onChange={(e) => {
            const k = e.target.value as ProviderKind;
            setKind(k);
            setBaseUrl(DEFAULT_URL[k]);
          }}
        >
          {(Object.keys(KIND_LABEL) as ProviderKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="new-provider-label">Name</label>
        <input id="new-provider-label" placeholder="e.g. Local Ollama" value={label} onChange={(e) => setLabel(e.target.value)} />
        {clash && <span className="error-text">A provider with this name exists.</span>}
      </div>
      <div className="field">
        <label htmlFor="new-provider-url">Base URL</label>
        <input id="new-provider-url" type="url" spellCheck={false} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
      </div>
      <button type="button" id="add-provider" onClick={add} disabled={saver.busy !== null || !id || clash || !baseUrl.trim()}>
        <Icon name="plus" /> Add provider
      </button>
    </Card>
  );
}
