// A fenced code block with its language and a copy button. The code is a
// text node: never parsed as HTML.
import { CopyButton } from "../../components/CopyButton";

export function CodeBlock({ code, language }: { code: string; language: string }) {
  return (
    <div className="code-block">
      <div className="code-head">
        <span className="code-lang">{language || "text"}</span>
        <CopyButton text={code} label="Copy code" />
      </div>
      <pre>
        <code>{code}</code>
      </pre>
    </div>
  );
}
