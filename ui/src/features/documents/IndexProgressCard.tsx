// Overall indexing progress: a bar over passages, files done of total,
// failures, rate and ETA, from the throttled `index-progress` event (the
// first value comes from `index_status`). When a run ends the lists are
// reloaded so every file shows its final status.
import { use, useState } from "react";
import { ipc, type IndexProgress } from "../../ipc";
import { useCoreEvent } from "../../hooks/useCoreEvent";
import { formatEta, formatNumber } from "../../model/format";
import { Spinner } from "../../components/Feedback";

export function IndexProgressCard({ initial, onFinished }: { initial: Promise<IndexProgress>; onFinished: () => void }) {
  const first = use(initial);
  const [pushed, setPushed] = useState<IndexProgress | null>(null);
  const progress = pushed ?? first;

  useCoreEvent(ipc.onIndexProgress, (p: IndexProgress) => {
    const wasRunning = progress.running;
    setPushed(p);
    if (wasRunning && !p.running) onFinished();
  });

  const state = progress.running ? "running" : progress.filesTotal > 0 ? "done" : "idle";
  const fraction = progress.chunksTotal > 0 ? progress.chunksDone / progress.chunksTotal : progress.running ? 0 : 1;
  const percent = Math.round(fraction * 100);
  return (
    <div className={`progress-card ${state}`} id="index-progress" data-state={state} aria-live="polite">
      {state === "idle" && <p className="muted">Nothing is being indexed. Everything you imported is searchable.</p>}
      {state !== "idle" && (
        <>
          <div className="progress-line">
            <strong>
              {state === "running" ? (
                <>
                  <Spinner /> Indexing
                </>
              ) : (
                "Indexing done"
              )}
            </strong>
            <span>
              {formatNumber(progress.filesDone)} of {formatNumber(progress.filesTotal)} files
              {progress.filesFailed > 0 && <span className="error-text"> · {progress.filesFailed} failed</span>}
            </span>
            {state === "running" && (
              <span className="muted" id="index-eta">
                {progress.chunksPerSec > 0 ? `${progress.chunksPerSec.toFixed(0)} passages/s · ` : ""}
                {formatEta(progress.etaSecs)}
              </span>
            )}
          </div>
          <div
            className="progress-bar"
            role="progressbar"
            aria-label="Indexing progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
          >
            <div className="progress-fill" style={{ width: `${percent}%` }} />
          </div>
          {state === "running" && progress.currentPath && (
            <p className="muted current-path" title={progress.currentPath}>
              {progress.currentPath}
            </p>
          )}
        </>
      )}
    </div>
  );
}
