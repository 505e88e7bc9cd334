// Wrap a main panel to have its renders timed (see renderTimings.ts).
import { Profiler, type ReactNode } from "react";
import { recordRender } from "./renderTimings";

export function Timed({ panel, children }: { panel: string; children: ReactNode }) {
  return (
    <Profiler id={panel} onRender={recordRender}>
      {children}
    </Profiler>
  );
}
