// Inline SVG icons (no icon font, no network), always with explicit width
// and height so nothing shifts while loading. Decorative by default: the
// button around an icon carries the accessible name.
const PATHS = {
  plus: "M12 5v14M5 12h14",
  search: "M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM20 20l-4.2-4.2",
  trash: "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13",
  edit: "M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4",
  copy: "M9 9h11v11H9zM5 15H4V4h11v1",
  check: "M5 12l5 5 9-10",
  stop: "M7 7h10v10H7z",
  regenerate: "M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7",
  send: "M4 12l16-8-6 16-2-7-8-1z",
  paperclip: "M16 7l-7.5 7.5a2 2 0 0 0 2.8 2.8L19 9.6a4 4 0 0 0-5.7-5.7L5.6 11.6a6 6 0 0 0 8.5 8.5L20 14",
  document: "M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6",
  folder: "M3 6h6l2 2h10v11H3z",
  eye: "M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z",
  settings: "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM19 12l2-1-1-3-2 .2-1.3-1.5.3-2-3-1-1 1.8h-2L9.8 3.7l-3 1 .3 2L5.8 8.2 3.8 8l-1 3 2 1v.1l-2 1 1 3 2-.2 1.3 1.5-.3 2 3 1 1-1.8h2l1.2 1.8 3-1-.3-2 1.3-1.5 2 .2 1-3-2-1z",
  archive: "M3 4h18v4H3zM5 8v12h14V8M10 12h4",
  chart: "M4 20V4M4 20h16M8 16v-5M12 16V8M16 16v-8",
  chat: "M4 5h16v11H9l-5 4z",
  close: "M6 6l12 12M18 6L6 18",
  left: "M15 5l-7 7 7 7",
  right: "M9 5l7 7-7 7",
  warn: "M12 3l10 18H2zM12 10v5M12 18v.5",
  think: "M9 18h6M10 21h4M12 3a6 6 0 0 0-3.5 10.9V16h7v-2.1A6 6 0 0 0 12 3z",
  download: "M12 4v11M7 10l5 5 5-5M5 20h14",
  shield: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, title }: { name: IconName; size?: number; title?: string }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? "img" : undefined}
      aria-label={title}
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

/** The Gogga mark: a friendly beetle in the accent colour. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <ellipse cx="16" cy="18" rx="9" ry="10" fill="var(--accent)" />
      <path d="M16 8v20" stroke="var(--accent-ink)" strokeWidth="1.6" />
      <circle cx="16" cy="8" r="4.5" fill="var(--accent-deep)" />
      <path d="M13 5l-3-3M19 5l3-3M7 15l-4-2M25 15l4-2M7 21l-4 1M25 21l4 1" stroke="var(--accent-deep)" strokeWidth="1.6" strokeLinecap="round" />
      <circle cx="12.5" cy="16" r="1.6" fill="var(--accent-ink)" />
      <circle cx="19.5" cy="21" r="1.6" fill="var(--accent-ink)" />
    </svg>
  );
}
