// One chat turn at a time: starts it over the IPC channel, folds the
// ChatEvents into a live view (answer and thinking deltas are coalesced to
// one state update per animation frame, so a fast stream does not render
// per token), stops it on request, and hands the stored message to the
// conversation when it is done. An error keeps the partial answer; a turn
// that could not start gives the typed text back to the composer.
import { useRef, useState } from "react";
import { ipc, type ChatEvent, type IpcError, type Language, type Message, type Route, type TurnHandle } from "../../ipc";

export type LivePhase = "starting" | "streaming" | "stopping";

export type Live = {
  kind: "send" | "regenerate" | "edit";
  requestId: string;
  phase: LivePhase;
  pendingText: string;
  userMessage: Message | null;
  route: Route | null;
  language: Language | null;
  searchOnly: boolean;
  notice: string | null;
  progress: string | null;
  answer: string;
  thinking: string;
};

export type TurnCallbacks = {
  /** The core routed the turn (or found no model: search only). */
  onStarted: (started: Extract<ChatEvent, { type: "started" }>) => void;
  /** The core stored (or updated) the user message. */
  onUserMessage: (message: Message, kind: Live["kind"]) => void;
  /** The stored answer (complete, stopped, or partial after an error). */
  onAnswer: (message: Message) => void;
  /** The turn failed; `gaveBack` is text to put back in the composer. */
  onError: (error: IpcError, gaveBack: string | null) => void;
  /** The turn is over, whatever happened. */
  onEnded: () => void;
};

type Buffer = { answer: string; thinking: string; frame: number | null };

const schedule = (fn: () => void): number =>
  typeof requestAnimationFrame === "function" ? requestAnimationFrame(fn) : (setTimeout(fn, 16) as unknown as number);

export function useTurn(callbacks: TurnCallbacks) {
  const [live, setLive] = useState<Live | null>(null);
  const buffer = useRef<Buffer>({ answer: "", thinking: "", frame: null });
  const current = useRef<string | null>(null);

  const flush = () => {
    const b = buffer.current;
    b.frame = null;
    if (!b.answer && !b.thinking) return;
    const answer = b.answer;
    const thinking = b.thinking;
    b.answer = "";
    b.thinking = "";
    setLive((l) => (l ? { ...l, answer: l.answer + answer, thinking: l.thinking + thinking } : l));
  };

  const finish = (requestId: string) => {
    if (current.current !== requestId) return false;
    const b = buffer.current;
    if (b.frame !== null && typeof cancelAnimationFrame === "function") cancelAnimationFrame(b.frame);
    buffer.current = { answer: "", thinking: "", frame: null };
    current.current = null;
    setLive(null);
    return true;
  };

  const handle = (requestId: string, kind: Live["kind"], event: ChatEvent) => {
    if (current.current !== requestId) return;
    switch (event.type) {
      case "started":
        callbacks.onStarted(event);
        callbacks.onUserMessage(event.userMessage, kind);
        setLive((l) =>
          l && {
            ...l,
            phase: l.phase === "stopping" ? "stopping" : "streaming",
            userMessage: event.userMessage,
            route: event.route,
            language: event.language,
            searchOnly: event.searchOnly,
            notice: event.notice,
          },
        );
        break;
      case "progress":
        setLive((l) => l && { ...l, progress: event.note });
        break;
      case "delta":
      case "thinking": {
        const b = buffer.current;
        if (event.type === "delta") b.answer += event.text;
        else b.thinking += event.text;
        if (b.frame === null) b.frame = schedule(flush);
        break;
      }
      case "done":
        if (finish(requestId)) {
          callbacks.onAnswer(event.message);
          callbacks.onEnded();
        }
        break;
      case "error":
        if (finish(requestId)) {
          if (event.partial) callbacks.onAnswer(event.partial);
          callbacks.onError(event.error, null);
          callbacks.onEnded();
        }
        break;
    }
  };

  const begin = (
    kind: Live["kind"],
    pendingText: string,
    start: (onEvent: (e: ChatEvent) => void, requestId: string) => TurnHandle,
  ) => {
    if (current.current !== null) return;
    // The id exists before the command is sent, so no event can arrive for
    // a turn this hook does not know yet.
    const requestId = ipc.newRequestId();
    current.current = requestId;
    setLive({
      kind,
      requestId,
      phase: "starting",
      pendingText,
      userMessage: null,
      route: null,
      language: null,
      searchOnly: false,
      notice: null,
      progress: null,
      answer: "",
      thinking: "",
    });
    const turn = start((e) => handle(requestId, kind, e), requestId);
    turn.finished.catch((error: IpcError) => {
      // The command itself failed: the turn never started (or the shell
      // lost it). Give the text back so nothing typed is lost.
      if (finish(requestId)) {
        callbacks.onError(error, kind === "regenerate" ? null : pendingText);
        callbacks.onEnded();
      }
    });
  };

  const stop = async () => {
    const requestId = current.current;
    if (!requestId) return;
    setLive((l) => l && { ...l, phase: "stopping" });
    try {
      await ipc.stopTurn(requestId);
    } catch (error) {
      callbacks.onError(error as IpcError, null);
    }
  };

  return { live, begin, stop };
}
