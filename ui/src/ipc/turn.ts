// Chat turns streamed over a `tauri::ipc::Channel<ChatEvent>`. The UI makes
// the request id (sending is idempotent in the core: a double send with the
// same id makes one message) and can stop the turn with it. The command
// resolves once the turn has ended; it rejects only when the turn could not
// start (then no channel message was sent). Everything else — deltas,
// thinking, the stored message, a mid-stream error with the partial text —
// arrives on the channel, in order.
import { Channel } from "@tauri-apps/api/core";
import type { ChatEvent } from "./bindings/ChatEvent";
import type { TurnOptions } from "./bindings/TurnOptions";
import { call } from "./call";

export type TurnHandle = {
  /** The id to pass to `stopTurn`. */
  requestId: string;
  /** Settles when the command returns: rejects with an IpcError if the turn
   * never started. */
  finished: Promise<null>;
};

/** A fresh request id (UUID v4 from the webview's CSPRNG). */
export function newRequestId(): string {
  return crypto.randomUUID();
}

function start(
  command: string,
  args: Record<string, unknown>,
  onEvent: (event: ChatEvent) => void,
  requestId: string,
): TurnHandle {
  const channel = new Channel<ChatEvent>(onEvent);
  const finished = call<null>(command, { ...args, requestId, onEvent: channel });
  return { requestId, finished };
}

/** Ask a question in a conversation. */
export function sendMessage(
  conversationId: string,
  text: string,
  options: TurnOptions,
  onEvent: (event: ChatEvent) => void,
  requestId = newRequestId(),
): TurnHandle {
  return start("send_message", { conversationId, text, options }, onEvent, requestId);
}

/** A new answer to the user message that `messageId` (an assistant
 * message) answered; the old answer is kept as an alternative. */
export function regenerateAnswer(
  messageId: string,
  options: TurnOptions,
  onEvent: (event: ChatEvent) => void,
  requestId = newRequestId(),
): TurnHandle {
  return start("regenerate_answer", { messageId, options }, onEvent, requestId);
}

/** Replace a user message's text; the messages after it are dropped and the
 * conversation continues from the edit with a new answer. */
export function editMessage(
  messageId: string,
  text: string,
  options: TurnOptions,
  onEvent: (event: ChatEvent) => void,
  requestId = newRequestId(),
): TurnHandle {
  return start("edit_message", { messageId, text, options }, onEvent, requestId);
}
