// Full-text search over every message: each hit names its conversation and
// shows a snippet with the matching words marked. The snippet parts are
// text, never HTML.
import type { ConversationHit } from "../../ipc";

export function SearchResults({ hits, onOpen }: { hits: ConversationHit[]; onOpen: (h: ConversationHit) => void }) {
  if (hits.length === 0) return <p className="muted empty" id="search-empty">No messages match.</p>;
  return (
    <ul className="search-results" id="search-results" aria-label="Search results">
      {hits.map((h) => (
        <li key={h.messageId}>
          <button type="button" className="hit" onClick={() => onOpen(h)}>
            <span className="hit-title">{h.conversationTitle}</span>
            <span className="hit-snippet">
              <span className="hit-role">{h.role === "user" ? "You: " : "Gogga: "}</span>
              {h.snippet.map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
