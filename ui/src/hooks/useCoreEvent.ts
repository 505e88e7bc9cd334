// Listen to one of the core's events while a component is mounted. The
// handler is an effect event, so it always sees the latest props and state
// without re-registering the listener (which would risk missing events).
// Registration is asynchronous: an unmount that comes first still
// unregisters the listener once registration completes.
import { useEffect, useEffectEvent } from "react";
import type { Unlisten } from "../ipc";

export function useCoreEvent<T>(subscribe: (handler: (payload: T) => void) => Promise<Unlisten>, handler: (payload: T) => void) {
  const onEvent = useEffectEvent(handler);
  useEffect(() => {
    let unlisten: Unlisten | null = null;
    let gone = false;
    subscribe((payload) => {
      if (!gone) onEvent(payload);
    })
      .then((u) => {
        if (gone) safely(u);
        else unlisten = u;
      })
      .catch(() => {
        // Outside Tauri (or a broken event plugin) there is nothing to listen to.
      });
    return () => {
      gone = true;
      if (unlisten) safely(unlisten);
    };
  }, [subscribe]);
}

/** Unlistening after the IPC bridge went away (window closing) is fine. */
function safely(unlisten: Unlisten) {
  try {
    unlisten();
  } catch {
    // nothing left to unregister from
  }
}
