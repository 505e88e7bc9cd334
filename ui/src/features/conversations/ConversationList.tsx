// All conversations, newest first, virtualized: a few hundred or many
// thousand rows keep the same small DOM. Dates are parsed lazily, only for
// the rows on screen.
import { useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { ConversationSummary } from "../../ipc";
import { conversationView } from "../../model/dates";
import { ConversationRow } from "./ConversationRow";

type Props = {
  items: ConversationSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
};

export function ConversationList({ items, selectedId, onSelect, onRename, onDelete }: Props) {
  // TanStack Virtual's instance is mutable with a stable identity; the React
  // Compiler must not cache what it returns (the rows are compiled).
  "use no memo";
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 52,
    overscan: 8,
    getItemKey: (i) => items[i].id,
    initialRect: { width: 260, height: 600 },
  });
  return (
    <div className="conv-list" ref={scroller} id="conversation-list">
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }} role="list" aria-label="Conversations">
        {virtualizer.getVirtualItems().map((v) => {
          const c = items[v.index];
          return (
            <div
              key={v.key}
              role="listitem"
              className="conv-item"
              data-index={v.index}
              ref={virtualizer.measureElement}
              style={{ transform: `translateY(${v.start}px)` }}
            >
              <ConversationRow
                conversation={conversationView(c)}
                selected={c.id === selectedId}
                onSelect={() => onSelect(c.id)}
                onRename={(t) => onRename(c.id, t)}
                onDelete={() => onDelete(c.id)}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
