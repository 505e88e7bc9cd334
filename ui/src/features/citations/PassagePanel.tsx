// The side panel that shows the passage behind a citation: document, page,
// heading and the passage text. Loaded lazily (React.lazy) the first time a
// citation is opened; the passage itself arrives through `use()` under its
// own Suspense boundary, so the panel frame shows at once with a skeleton.
// Document text is untrusted: it goes through the same sanitizing renderer
// as model answers.
import { Suspense, use } from "react";
import type { Citation, Passage } from "../../ipc";
import { Icon } from "../../components/Icon";
import { Skeleton } from "../../components/Feedback";
import { ErrorBoundary } from "../../components/ErrorBoundary";
import { Markdown } from "../markdown/Markdown";
import { Timed } from "../../perf/Timed";

type Props = { citation: Citation; passage: Promise<Passage>; onClose: () => void; onRetry: () => void };

export default function PassagePanel({ citation, passage, onClose, onRetry }: Props) {
  return (
    <aside className="passage-panel" aria-label="Source passage" id="passage-panel">
      <header className="panel-head">
        <h2>
          <span className="source-marker">{citation.marker}</span> Source
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close source" title="Close (Esc)">
          <Icon name="close" />
        </button>
      </header>
      <Timed panel="passage">
        <ErrorBoundary onRetry={onRetry} resetKey={passage}>
          <Suspense fallback={<Skeleton lines={6} label="Loading the passage" />}>
            <PassageBody passage={passage} />
          </Suspense>
        </ErrorBoundary>
      </Timed>
    </aside>
  );
}

function PassageBody({ passage }: { passage: Promise<Passage> }) {
  const p = use(passage);
  return (
    <div className="passage" id="passage-body">
      <h3 className="passage-title" id="passage-title">
        <Icon name="document" /> {p.title}
      </h3>
      <dl className="passage-facts">
        {p.page !== null && (
          <>
            <dt>Page</dt>
            <dd id="passage-page">{p.page}</dd>
          </>
        )}
        {p.heading && (
          <>
            <dt>Section</dt>
            <dd>{p.heading}</dd>
          </>
        )}
        <dt>File</dt>
        <dd className="path" title={p.documentPath}>
          {p.documentPath}
        </dd>
      </dl>
      <blockquote className="passage-text" id="passage-text">
        <Markdown text={p.text} />
      </blockquote>
    </div>
  );
}
