// The application frame. Screens live under features/; this file only lays
// them out.
import { StatusPanel } from "./features/status/StatusPanel";

export function App() {
  return (
    <main className="app">
      <header className="app-header">
        <h1>Gogga</h1>
        <span className="tagline">Chat with your own documents, privately.</span>
      </header>
      <StatusPanel />
    </main>
  );
}
