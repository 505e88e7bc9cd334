// Catches a rejected `use()` promise (or a render error) under a Suspense
// boundary and shows it as an IpcError with a retry, instead of a blank
// screen. The one class component: React has no hook for this. It resets
// itself when `resetKey` changes (pass the promise it guards), so a retry
// that makes a new request renders the new attempt.
import { Component, type ReactNode } from "react";
import { toIpcError, type IpcError } from "../ipc";
import { ErrorNote } from "./Feedback";

type Props = { children: ReactNode; onRetry?: () => void; resetKey?: unknown };
type State = { error: IpcError | null; resetKey: unknown };

export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(raw: unknown): Partial<State> {
    return { error: toIpcError(raw) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  render() {
    if (this.state.error) return <ErrorNote error={this.state.error} onRetry={this.props.onRetry} />;
    return this.props.children;
  }
}
