// The thread, virtualized: only the rows near the viewport are in the DOM,
// so a 5,000-message conversation keeps a bounded node count. Rows are
// measured as they render (answers vary in height and grow while
// streaming). The list follows the bottom while the user is there, and
// jumps to a message found by search.
import { useEffect, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Row } from "./thread";
import type { Live } from "./useTurn";
import { AssistantMessage, UserMessage, type MessageActions } from "./MessageItem";
import { LiveAnswer } from "./LiveAnswer";

type Props = {
  rows: Row[];
  live: Live | null;
  actions: MessageActions;
  focusMessageId: string | null;
};

export function MessageList({ rows, live, actions, focusMessageId }: Props) {
  // TanStack Virtual returns one mutable instance whose getVirtualItems()
  // changes without its identity changing; the React Compiler would cache
  // the first window forever. Opt this one component out (the rows it
  // renders are compiled components).
  "use no memo";
  const scroller = useRef<HTMLDivElement>(null);
  const [pinned, setPinned] = useState(true);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 140,
    overscan: 4,
    getItemKey: (i) => rows[i].key,
    initialRect: { width: 800, height: 700 },
  });

  const liveLength = live ? live.answer.length + live.thinking.length : 0;
  useEffect(() => {
    if (pinned && rows.length > 0 && !focusMessageId) virtualizer.scrollToIndex(rows.length - 1, { align: "end" });
  }, [rows.length, liveLength, pinned, focusMessageId, virtualizer]);

  useEffect(() => {
    if (!focusMessageId) return;
    const index = rows.findIndex((r) => (r.kind === "user" || r.kind === "assistant") && r.message.id === focusMessageId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: "center" });
    // Only when the target (or the loaded thread) changes.
  }, [focusMessageId, rows.length > 0]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    setPinned(el.scrollHeight - el.scrollTop - el.clientHeight < 80);
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div className="thread" ref={scroller} onScroll={onScroll} role="log" aria-label="Conversation" aria-live="off" id="thread">
      <div className="thread-inner" style={{ height: virtualizer.getTotalSize() }}>
        <div className="thread-window" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="thread-row">
                {row.kind === "user" && (
                  <UserMessage message={row.message} actions={actions} highlight={row.message.id === focusMessageId} />
                )}
                {row.kind === "assistant" && (
                  <AssistantMessage
                    message={row.message}
                    alternatives={row.alternatives}
                    position={row.position}
                    actions={actions}
                    highlight={row.message.id === focusMessageId}
                  />
                )}
                {row.kind === "pending" && (
                  <article className="message user pending" aria-label="Your message (sending)">
                    <div className="bubble">
                      <p className="user-text">{row.text}</p>
                    </div>
                  </article>
                )}
                {row.kind === "live" && live && <LiveAnswer live={live} />}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
