// Test environment for every component test: what jsdom lacks (WebCrypto on
// window for Tauri's callback ids, ResizeObserver, a clipboard, layout
// sizes so the virtualizers have a viewport), and a clean slate after each
// test (DOM, IPC mocks, theme).
import { afterEach, beforeEach } from "vitest";
import { cleanup, configure } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

/** Row height the layout stub reports for virtualized rows. */
export const ROW_HEIGHT = 120;
/** Viewport height the layout stub reports for scroll containers. */
export const VIEWPORT_HEIGHT = 700;

const SCROLLERS = ["thread", "conv-list", "doc-list"];
const isScroller = (el: Element) => SCROLLERS.some((c) => el.classList.contains(c));

// Lazy screens are compiled on first import (React Compiler via Babel),
// which takes a while on a busy machine.
configure({ asyncUtilTimeout: 4000 });

Object.defineProperty(window, "crypto", { value: globalThis.crypto, configurable: true });

class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
Object.defineProperty(window, "ResizeObserver", { value: NoopResizeObserver, configurable: true });

Object.defineProperty(HTMLElement.prototype, "clientHeight", {
  configurable: true,
  get(this: HTMLElement) {
    return isScroller(this) ? VIEWPORT_HEIGHT : 0;
  },
});
Object.defineProperty(HTMLElement.prototype, "clientWidth", {
  configurable: true,
  get(this: HTMLElement) {
    return isScroller(this) ? 800 : 0;
  },
});
// A scroller's content is as tall as its sizer child says (the
// virtualizers set that height to the sum of their rows).
Object.defineProperty(HTMLElement.prototype, "scrollHeight", {
  configurable: true,
  get(this: HTMLElement) {
    if (!isScroller(this)) return 0;
    const sizer = this.firstElementChild as HTMLElement | null;
    return Math.max(VIEWPORT_HEIGHT, parseFloat(sizer?.style.height ?? "0") || 0);
  },
});
Object.defineProperty(HTMLElement.prototype, "offsetHeight", {
  configurable: true,
  get(this: HTMLElement) {
    return this.hasAttribute("data-index") ? ROW_HEIGHT : 0;
  },
});
// jsdom keeps no scroll position and fires no scroll events; the
// virtualizers need both to move their window.
const scrollTops = new WeakMap<Element, number>();
Object.defineProperty(HTMLElement.prototype, "scrollTop", {
  configurable: true,
  get(this: HTMLElement) {
    return scrollTops.get(this) ?? 0;
  },
  set(this: HTMLElement, v: number) {
    scrollTops.set(this, v);
  },
});
HTMLElement.prototype.scrollTo = function scrollTo(this: HTMLElement, opts?: ScrollToOptions | number) {
  if (typeof opts === "object" && opts?.top !== undefined) {
    this.scrollTop = opts.top;
    this.dispatchEvent(new Event("scroll"));
  }
} as HTMLElement["scrollTo"];

export const clipboard: string[] = [];
Object.defineProperty(navigator, "clipboard", {
  configurable: true,
  value: { writeText: async (t: string) => void clipboard.push(t) },
});

beforeEach(() => {
  clipboard.length = 0;
});

afterEach(() => {
  cleanup();
  clearMocks();
  delete document.documentElement.dataset.theme;
});
