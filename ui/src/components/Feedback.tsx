// Shared loading and error pieces: skeletons for Suspense fallbacks, a
// spinner for busy buttons, and the one way to show an IpcError.
import type { IpcError } from "../ipc";

export function Skeleton({ lines = 3, label }: { lines?: number; label: string }) {
  return (
    <div className="skeleton" role="status" aria-busy="true" aria-label={label}>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton-line" style={{ width: `${92 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

export function Spinner({ size = 14 }: { size?: number }) {
  return <span className="spinner" style={{ width: size, height: size }} aria-hidden="true" />;
}

export function ErrorNote({ error, onRetry }: { error: IpcError; onRetry?: () => void }) {
  return (
    <div role="alert" className="error-note">
      <span>{error.message}</span> <code className="error-code">{error.code}</code>
      {onRetry && (
        <button type="button" className="link-button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
