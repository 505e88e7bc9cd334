// Catches a rejected `use()` promise (or a render error) under a Suspense
// boundary and shows it as an IpcError with a retry, instead of a blank
// screen. The one class component: React has no hook for this.
import { Component, type ReactNode } from "react";
import { toIpcError, type IpcError } from "../ipc";
import { ErrorNote } from "./Feedback";

type Props = { children: ReactNode; onRetry?: () => void };
type State = { error: IpcError | null };

export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(raw: unknown): State {
    return { error: toIpcError(raw) };
  }

  retry = () => {
    this.setState({ error: null });
    this.props.onRetry?.();
  };

  render() {
    if (this.state.error) return <ErrorNote error={this.state.error} onRetry={this.props.onRetry ? this.retry : undefined} />;
    return this.props.children;
  }
}
