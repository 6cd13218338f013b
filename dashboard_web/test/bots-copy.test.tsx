import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { copyText } from "@/features/bots/copy";

describe("copyText", () => {
  it("uses the clipboard when it can", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    expect(await copyText("<script></script>", null, { writeText })).toBe("copied");
    expect(writeText).toHaveBeenCalledWith("<script></script>");
  });

  it("selects the snippet when the browser refuses", async () => {
    render(
      <pre>
        <code data-testid="snippet">{'<script src="/widget.js"></script>'}</code>
      </pre>,
    );
    const writeText = vi.fn().mockRejectedValue(new DOMException("denied", "NotAllowedError"));
    const outcome = await copyText("x", screen.getByTestId("snippet"), { writeText });
    expect(outcome).toBe("selected");
    expect(window.getSelection()?.toString()).toBe('<script src="/widget.js"></script>');
  });

  it("selects the snippet without a Clipboard API at all", async () => {
    render(<code data-testid="bare">snippet</code>);
    expect(await copyText("snippet", screen.getByTestId("bare"), undefined)).toBe("selected");
    expect(window.getSelection()?.toString()).toBe("snippet");
  });
});
