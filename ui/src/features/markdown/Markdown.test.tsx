// The sanitizing renderer: markdown renders as elements, while raw HTML,
// script, dangerous URL schemes and images from untrusted text render as
// inert text; links open only on click, through the core; citation markers
// become buttons only for citations the message has.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { Markdown } from "./Markdown";
import { safeUrl } from "./linkPolicy";
import { FakeCore } from "../../ipc/testing/fakeCore";
import { popiaCitation, leaseCitation } from "../../ipc/testing/fixtures";
import { ATTACKS, dangerousNodes } from "../../test/dom";
import { clipboard } from "../../test/setup";

let core: FakeCore;
beforeEach(() => {
  core = new FakeCore().install();
  (window as unknown as { __canary: () => void }).__canary = vi.fn();
});
afterEach(() => {
  expect((window as unknown as { __canary: () => void }).__canary).not.toHaveBeenCalled();
});

describe("safeUrl", () => {
  test.each([
    ["https://example.com/a?b=c", "https://example.com/a?b=c"],
    ["http://sars.gov.za", "http://sars.gov.za/"],
    ["mailto:help@example.co.za", "mailto:help@example.co.za"],
    ["javascript:alert(1)", null],
    ["JAVASCRIPT:alert(1)", null],
    [" javascript:alert(1)", null],
    ["java\tscript:alert(1)", null],
    ["java\nscript:alert(1)", null],
    ["data:text/html,<script>alert(1)</script>", null],
    ["vbscript:msgbox(1)", null],
    ["file:///etc/passwd", null],
    ["//evil.example/x", null],
    ["/relative/path", null],
    ["ftp://example.com", null],
    ["https://", null],
  ])("%j → %j", (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });
});

describe("rendering", () => {
  test("markdown becomes elements: headings, lists, emphasis, tables, code", () => {
    const { container } = render(
      <Markdown text={"# Title\n\n- one\n- **two**\n\n1. first\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n`inline`\n\n```ts\nconst x = 1;\n```"} />,
    );
    expect(container.querySelector("h3")?.textContent).toBe("Title");
    expect(container.querySelectorAll("ul li")).toHaveLength(2);
    expect(container.querySelector("strong")?.textContent).toBe("two");
    expect(container.querySelector("ol li")?.textContent).toBe("first");
    expect(container.querySelector("td[style]")?.getAttribute("style")).toContain("center");
    expect(container.querySelector("p code")?.textContent).toBe("inline");
    expect(container.querySelector(".code-lang")?.textContent).toBe("ts");
    expect(container.querySelector("pre code")?.textContent).toBe("const x = 1;");
  });

  test("the copy button of a code block copies exactly the code", async () => {
    render(<Markdown text={"```bash\necho 'sawubona' <b>\n```"} />);
    fireEvent.click(screen.getByRole("button", { name: "Copy code" }));
    expect(await screen.findByText("Copied")).toBeTruthy();
    expect(clipboard).toEqual(["echo 'sawubona' <b>"]);
  });

  test("every attack renders as inert text: no element can run script, load or navigate", () => {
    const { container } = render(<Markdown text={ATTACKS} />);
    expect(dangerousNodes(container)).toEqual([]);
    // The payloads are still visible to the reader, as text.
    expect(container.textContent).toContain("<script>window.__canary('script')</script>");
    expect(container.textContent).toContain("<img src=x onerror=");
    expect(container.textContent).toContain("click me");
    // Images never load: a labelled placeholder shows their alt text.
    expect(screen.getByText("[image: pixel]")).toBeTruthy();
    // No dangerous URL became a link; only the safe https one did.
    const links = [...container.querySelectorAll(".ext-link")].map((a) => a.getAttribute("data-url"));
    expect(links).toEqual(["https://evil.example/"]);
    // Rendering invoked nothing in the core.
    expect(core.calls).toEqual([]);
  });

  test("the DOM check catches unsafe rendering (positive control)", () => {
    const { container } = render(<div dangerouslySetInnerHTML={{ __html: '<img src="x" onerror="void 0"><a href="javascript:void 0">x</a>' }} />);
    expect(dangerousNodes(container)).toEqual(["<img>", "img[src=x]", "img[onerror]", "a[href=javascript:void 0]"]);
  });

  test("links open in the system browser only after a click, through the core", async () => {
    render(<Markdown text="See [SARS](https://www.sars.gov.za/ 'tax') and https://example.com/x." />);
    const link = screen.getByRole("link", { name: "SARS" });
    expect(link.getAttribute("href")).toBeNull();
    expect(core.callsOf("open_external")).toEqual([]);
    fireEvent.click(link);
    fireEvent.keyDown(screen.getByRole("link", { name: "https://example.com/x" }), { key: "Enter" });
    await vi.waitFor(() => expect(core.callsOf("open_external")).toHaveLength(2));
    expect(core.callsOf("open_external").map((c) => c.args.url)).toEqual(["https://www.sars.gov.za/", "https://example.com/x"]);
  });
});

describe("citation markers", () => {
  test("known markers become buttons that open the citation; unknown ones stay text", () => {
    const onCite = vi.fn();
    const { container } = render(
      <Markdown text="Notify the Regulator [1]. Lease terms [2]. Invented [7]." citations={[popiaCitation, leaseCitation]} onCite={onCite} />,
    );
    const buttons = screen.getAllByRole("button", { name: /^Source/ });
    expect(buttons.map((b) => b.textContent)).toEqual(["1", "2"]);
    expect(buttons[0].getAttribute("aria-label")).toBe("Source 1: POPIA compliance guide, page 12");
    expect(container.textContent).toContain("Invented [7].");
    fireEvent.click(buttons[1]);
    expect(onCite).toHaveBeenCalledWith(leaseCitation);
  });

  test("markers inside code are not citations", () => {
    render(<Markdown text={"`arr[1]` and\n\n```\nx[1]\n```"} citations={[popiaCitation]} />);
    expect(screen.queryByRole("button", { name: /^Source/ })).toBeNull();
  });
});
