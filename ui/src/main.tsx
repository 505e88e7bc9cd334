// Entry point: mounts the app with react-dom's profiling build, so the
// <Profiler> render timings of the main panels (shown in diagnostics) are
// recorded in release builds too. Nothing else belongs here.
import { StrictMode } from "react";
import { createRoot } from "react-dom/profiling";
import { App } from "./App";
import "./styles.css";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
