// A small "indexing 40%" next to Documents in the navigation while the core
// indexes, so a long import stays visible from every screen (and chat keeps
// working meanwhile). Driven by the throttled `index-progress` event only.
import { useState } from "react";
import { ipc, type IndexProgress } from "../../ipc";
import { useCoreEvent } from "../../hooks/useCoreEvent";
import { Spinner } from "../../components/Feedback";

export function IndexBadge() {
  const [progress, setProgress] = useState<IndexProgress | null>(null);
  useCoreEvent(ipc.onIndexProgress, (p: IndexProgress) => setProgress(p));
  if (!progress?.running) return null;
  const percent = progress.chunksTotal > 0 ? Math.floor((progress.chunksDone / progress.chunksTotal) * 100) : 0;
  return (
    <span className="nav-badge" id="nav-index-badge" title={`Indexing: ${progress.filesDone} of ${progress.filesTotal} files`}>
      <Spinner size={10} /> {percent}%
    </span>
  );
}
