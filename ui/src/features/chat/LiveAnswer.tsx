// The answer being written: route and language badges as soon as the core
// has routed, progress notes (CePO answers in one late chunk), collapsed
// thinking, and the streamed markdown so far.
import type { Live } from "./useTurn";
import { Icon } from "../../components/Icon";
import { Spinner } from "../../components/Feedback";
import { Markdown } from "../markdown/Markdown";
import { LanguageBadge, RouteBadge } from "./MessageMeta";

export function LiveAnswer({ live }: { live: Live }) {
  const waiting = live.answer === "";
  return (
    <article className="message assistant live" aria-label="Gogga is answering" aria-busy="true" id="live-answer">
      <div className="meta">
        {live.route && <RouteBadge route={live.route} />}
        {live.language && <LanguageBadge language={live.language} />}
        {live.searchOnly && <span className="badge muted-badge">search only</span>}
      </div>
      {live.thinking && (
        <details className="thinking">
          <summary>
            <Icon name="think" size={14} /> {waiting ? "Thinking…" : "Thinking"}
          </summary>
          <Markdown text={live.thinking} />
        </details>
      )}
      {waiting ? (
        <p className="muted working">
          <Spinner /> {live.phase === "stopping" ? "Stopping…" : (live.progress ?? (live.phase === "starting" ? "Sending…" : "Writing…"))}
        </p>
      ) : (
        <Markdown text={live.answer} className="streaming" />
      )}
      {!waiting && live.phase === "stopping" && (
        <p className="muted working">
          <Spinner /> Stopping…
        </p>
      )}
    </article>
  );
}
