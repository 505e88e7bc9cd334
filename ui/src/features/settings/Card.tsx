// The pieces every settings card shares: a titled card with its busy
// spinner and error, and a saver that runs one save at a time, remembers
// each card's error and what was saved last.
import { useState, type ReactNode } from "react";
import type { IpcError, Settings } from "../../ipc";
import { ErrorNote, Spinner } from "../../components/Feedback";

export type Saver = {
  busy: string | null;
  errors: Record<string, IpcError>;
  saved: string | null;
  save: (key: string, run: () => Promise<Settings>) => Promise<boolean>;
};

export function useSaver(onSettings: (s: Settings) => void): Saver {
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, IpcError>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const save = async (key: string, run: () => Promise<Settings>) => {
    setBusy(key);
    setSaved(null);
    setErrors((all) => withoutKey(all, key));
    let ok = true;
    try {
      onSettings(await run());
      setSaved(key);
    } catch (e) {
      const error = e as IpcError;
      setErrors((all) => ({ ...all, [key]: error }));
      ok = false;
    }
    setBusy(null);
    return ok;
  };
  return { busy, errors, saved, save };
}

function withoutKey<T>(all: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...all };
  delete copy[key];
  return copy;
}

export function Card({ title, busy, error, children }: { title: string; busy: boolean; error?: IpcError; children: ReactNode }) {
  return (
    <section className="card" aria-label={title} aria-busy={busy}>
      <h4 className="card-title">
        {title} {busy && <Spinner />}
      </h4>
      {children}
      {error && <ErrorNote error={error} />}
    </section>
  );
}

