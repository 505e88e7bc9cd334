// What the core says about an answer: the route (tier, model), the
// language badge, tokens in/out, time to first token and total, cost in
// Rand (dollars in the tooltip), and flags (stopped, search only, only my
// documents).
import type { Language, Message, Route } from "../../ipc";
import { formatMs, formatNumber, formatRand, formatUsd } from "../../model/format";

export function RouteBadge({ route }: { route: Route }) {
  return (
    <span className={`badge route tier-${route.tier.toLowerCase()}`} title={`Layer: ${route.layer}`}>
      {route.tier} · {route.model}
    </span>
  );
}

export function LanguageBadge({ language }: { language: Language }) {
  return (
    <span className="badge lang" title={`Answering in ${language.name}`}>
      {language.name}
    </span>
  );
}

export function MessageMeta({ message }: { message: Message }) {
  const { usage, timing } = message;
  return (
    <div className="meta">
      {message.route && <RouteBadge route={message.route} />}
      {message.language && <LanguageBadge language={message.language} />}
      {message.searchOnly && <span className="badge muted-badge">search only</span>}
      {message.onlyDocuments && <span className="badge muted-badge">only my documents</span>}
      {message.stopped && <span className="badge warn">stopped</span>}
      {usage && (
        <span className="meta-item" title={`${formatNumber(usage.tokensIn)} tokens in, ${formatNumber(usage.tokensOut)} tokens out`}>
          {formatNumber(usage.tokensIn)} → {formatNumber(usage.tokensOut)} tokens
        </span>
      )}
      {timing && (
        <span className="meta-item" title={timing.firstTokenMs === null ? "" : `First token after ${formatMs(timing.firstTokenMs)}`}>
          {formatMs(timing.totalMs)}
        </span>
      )}
      {usage && (
        <span className="meta-item" title={formatUsd(usage.costUsd)}>
          {formatRand(usage.costZar)}
        </span>
      )}
    </div>
  );
}
