// The list of an answer's sources under it; each opens its passage.
import type { Citation } from "../../ipc";
import { Icon } from "../../components/Icon";

export function Sources({ citations, onCite }: { citations: Citation[]; onCite: (c: Citation) => void }) {
  if (citations.length === 0) return null;
  return (
    <ol className="sources" aria-label="Sources">
      {citations.map((c) => (
        <li key={c.marker}>
          <button type="button" className="source" onClick={() => onCite(c)} title={c.documentPath}>
            <span className="source-marker">{c.marker}</span>
            <Icon name="document" size={14} />
            <span className="source-title">{c.title}</span>
            {c.page !== null && <span className="source-page">p. {c.page}</span>}
          </button>
        </li>
      ))}
    </ol>
  );
}
