// Test helper: talk to a `Channel` the way the Rust side does. Under
// `mockIPC` a command receives the Channel object itself (arguments are not
// serialised); the real transport calls the channel's callback with
// `{ index, message }` and finally `{ index, end: true }`, and the Channel
// reorders by index. Sending through the same callback keeps that logic
// under test instead of calling `onmessage` directly.
import type { Channel } from "@tauri-apps/api/core";

type Internals = { runCallback: (id: number, data: unknown) => void };

const nextIndex = new WeakMap<object, number>();

function internals(): Internals {
  return (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__;
}

/** The Channel passed as a command argument (throws if it is not one). */
export function channelArg<T>(args: unknown, name = "onEvent"): Channel<T> {
  const value = (args as Record<string, unknown> | undefined)?.[name];
  if (!value || typeof value !== "object" || typeof (value as { id?: unknown }).id !== "number") {
    throw new Error(`argument ${name} is not a Channel`);
  }
  return value as Channel<T>;
}

/** Deliver one message in order, as the Rust side would. */
export function sendOnChannel<T>(channel: Channel<T>, message: T): void {
  const index = nextIndex.get(channel) ?? 0;
  nextIndex.set(channel, index + 1);
  internals().runCallback(channel.id, { index, message });
}

/** Deliver a message with an explicit index (to test reordering). */
export function sendAtIndex<T>(channel: Channel<T>, index: number, message: T): void {
  internals().runCallback(channel.id, { index, message });
}

/** Close the channel after the last message. */
export function endChannel<T>(channel: Channel<T>): void {
  const index = nextIndex.get(channel) ?? 0;
  internals().runCallback(channel.id, { index, end: true });
}
