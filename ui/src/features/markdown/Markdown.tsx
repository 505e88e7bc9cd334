// Untrusted markdown (model answers, thinking, document passages) rendered as
// React elements built from markdown-it's token stream. There is no
// innerHTML anywhere: raw HTML is disabled (`html: false`), so `<script>` or
// `<img onerror>` arrive as text tokens and render as text; links pass
// `safeUrl` or stay text; markdown images are never loaded (a labelled
// placeholder shows the alt text). Citation markers `[n]` that match a
// citation of the message become buttons that open the passage.
import MarkdownIt, { type Token } from "markdown-it";
import type { ReactNode } from "react";
import type { Citation } from "../../ipc";
import { CodeBlock } from "./CodeBlock";
import { ExternalLink } from "./ExternalLink";
import { safeUrl } from "./linkPolicy";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
// Links (and image sources) that fail the policy never become link tokens.
md.validateLink = (url: string) => safeUrl(url) !== null;

export type MarkdownProps = {
  text: string;
  citations?: Citation[];
  onCite?: (citation: Citation) => void;
  className?: string;
};

export function Markdown({ text, citations = [], onCite, className }: MarkdownProps) {
  const tokens = md.parse(text, {});
  const ctx: Ctx = { citations, onCite };
  return <div className={className ? `markdown ${className}` : "markdown"}>{renderBlock(tokens, ctx)}</div>;
}

type Ctx = { citations: Citation[]; onCite?: (c: Citation) => void };

/** Index of the token closing the one opened at `start`. */
function closing(tokens: Token[], start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    depth += tokens[i].nesting;
    if (depth === 0) return i;
  }
  return tokens.length - 1;
}

const HEADINGS: Record<string, "h3" | "h4" | "h5"> = { h1: "h3", h2: "h4", h3: "h5", h4: "h5", h5: "h5", h6: "h5" };

function renderBlock(tokens: Token[], ctx: Ctx): ReactNode[] {
  const out: ReactNode[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const key = i;
    if (t.nesting === 1) {
      const end = closing(tokens, i);
      const inner = renderBlock(tokens.slice(i + 1, end), ctx);
      out.push(blockElement(t, inner, key));
      i = end;
      continue;
    }
    switch (t.type) {
      case "inline":
        out.push(...renderInline(t.children ?? [], ctx, `${key}-`));
        break;
      case "fence":
        out.push(<CodeBlock key={key} code={t.content.replace(/\n$/, "")} language={cleanLanguage(t.info)} />);
        break;
      case "code_block":
        out.push(<CodeBlock key={key} code={t.content.replace(/\n$/, "")} language="" />);
        break;
      case "hr":
        out.push(<hr key={key} />);
        break;
      default:
        // html_block cannot occur with html:false; anything unknown is shown as text.
        if (t.content) out.push(<span key={key}>{t.content}</span>);
    }
  }
  return out;
}

function blockElement(t: Token, children: ReactNode[], key: number): ReactNode {
  switch (t.type) {
    case "paragraph_open":
      // Tight list items hide their paragraphs.
      return t.hidden ? <span key={key}>{children}</span> : <p key={key}>{children}</p>;
    case "heading_open": {
      const Tag = HEADINGS[t.tag] ?? "h5";
      return <Tag key={key}>{children}</Tag>;
    }
    case "bullet_list_open":
      return <ul key={key}>{children}</ul>;
    case "ordered_list_open": {
      const start = Number(t.attrGet("start") ?? 1);
      return (
        <ol key={key} start={Number.isFinite(start) ? start : 1}>
          {children}
        </ol>
      );
    }
    case "list_item_open":
      return <li key={key}>{children}</li>;
    case "blockquote_open":
      return <blockquote key={key}>{children}</blockquote>;
    case "table_open":
      return (
        <div key={key} className="table-wrap">
          <table>{children}</table>
        </div>
      );
    case "thead_open":
      return <thead key={key}>{children}</thead>;
    case "tbody_open":
      return <tbody key={key}>{children}</tbody>;
    case "tr_open":
      return <tr key={key}>{children}</tr>;
    case "th_open":
      return (
        <th key={key} style={alignment(t)}>
          {children}
        </th>
      );
    case "td_open":
      return (
        <td key={key} style={alignment(t)}>
          {children}
        </td>
      );
    default:
      return <div key={key}>{children}</div>;
  }
}

function alignment(t: Token): { textAlign: "left" | "right" | "center" } | undefined {
  const m = /text-align:(left|right|center)/.exec(String(t.attrGet("style") ?? ""));
  return m ? { textAlign: m[1] as "left" | "right" | "center" } : undefined;
}

function cleanLanguage(info: string): string {
  return (info.trim().split(/\s+/)[0] ?? "").replace(/[^\w+#.-]/g, "").slice(0, 20);
}

function renderInline(tokens: Token[], ctx: Ctx, prefix: string): ReactNode[] {
  const out: ReactNode[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const key = `${prefix}${i}`;
    if (t.nesting === 1) {
      const end = closing(tokens, i);
      const inner = renderInline(tokens.slice(i + 1, end), ctx, `${key}-`);
      out.push(inlineElement(t, inner, key));
      i = end;
      continue;
    }
    switch (t.type) {
      case "text":
      case "text_special":
        out.push(...withCitations(t.content, ctx, key));
        break;
      case "code_inline":
        out.push(<code key={key}>{t.content}</code>);
        break;
      case "softbreak":
        out.push("\n");
        break;
      case "hardbreak":
        out.push(<br key={key} />);
        break;
      case "image":
        // Never load images from untrusted text (tracking pixels, local
        // files); show what it would have been instead.
        out.push(
          <span key={key} className="image-blocked" title="Images in answers and documents are not loaded">
            [image: {t.content || "no description"}]
          </span>,
        );
        break;
      default:
        if (t.content) out.push(<span key={key}>{t.content}</span>);
    }
  }
  return out;
}

function inlineElement(t: Token, children: ReactNode[], key: string): ReactNode {
  switch (t.type) {
    case "strong_open":
      return <strong key={key}>{children}</strong>;
    case "em_open":
      return <em key={key}>{children}</em>;
    case "s_open":
      return <s key={key}>{children}</s>;
    case "link_open": {
      const url = safeUrl(String(t.attrGet("href") ?? ""));
      return url ? (
        <ExternalLink key={key} url={url}>
          {children}
        </ExternalLink>
      ) : (
        <span key={key}>{children}</span>
      );
    }
    default:
      return <span key={key}>{children}</span>;
  }
}

const MARKER = /\[(\d{1,3})\]/g;

/** Split text so that `[n]` markers of known citations become buttons. */
function withCitations(text: string, ctx: Ctx, key: string): ReactNode[] {
  if (ctx.citations.length === 0 || !text.includes("[")) return [text];
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    const citation = ctx.citations.find((c) => c.marker === Number(m[1]));
    if (!citation) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(
      <button
        key={`${key}-c${m.index}`}
        type="button"
        className="cite"
        data-marker={citation.marker}
        aria-label={`Source ${citation.marker}: ${citation.title}${citation.page === null ? "" : `, page ${citation.page}`}`}
        title={citation.title}
        onClick={() => ctx.onCite?.(citation)}
      >
        {citation.marker}
      </button>,
    );
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
