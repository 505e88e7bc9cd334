// The settings as the core stores them, loaded once at start-up. The theme
// is applied from here (the core's config is the source of truth; nothing
// is kept in localStorage), following the system when set to "system".
import { useEffect, useState } from "react";
import { ipc, type IpcError, type Settings } from "../../ipc";

export type SettingsState = { status: "loading" } | { status: "ready"; settings: Settings } | { status: "failed"; error: IpcError };

export function useSettings() {
  const [state, setState] = useState<SettingsState>({ status: "loading" });

  const load = () => {
    setState({ status: "loading" });
    ipc
      .getSettings()
      .then((settings) => setState({ status: "ready", settings }))
      .catch((error: IpcError) => setState({ status: "failed", error }));
  };

  useEffect(load, []);

  const theme = state.status === "ready" ? state.settings.theme : "system";
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const replace = (settings: Settings) => setState({ status: "ready", settings });
  return { state, load, replace };
}

export type SettingsStore = ReturnType<typeof useSettings>;
