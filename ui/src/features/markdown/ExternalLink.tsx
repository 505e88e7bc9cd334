// A link from untrusted text. It has no href, so nothing in the webview can
// navigate by itself (no middle-click, drag or prefetch); only a click or
// Enter asks the core to open the URL in the system browser.
import type { ReactNode } from "react";
import { ipc } from "../../ipc";

export function ExternalLink({ url, children }: { url: string; children: ReactNode }) {
  const openIt = () => {
    ipc.openExternal(url).catch(() => {
      // The shell refused (or no browser): the tooltip still shows the URL.
    });
  };
  return (
    <a
      className="ext-link"
      role="link"
      tabIndex={0}
      title={`${url} (opens in your browser)`}
      data-url={url}
      onClick={(e) => {
        e.preventDefault();
        openIt();
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          openIt();
        }
      }}
    >
      {children}
    </a>
  );
}
