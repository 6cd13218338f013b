// `/knowledge/?edit=<id>`: where "Create a document" on the analytics page lands. The page
// opens that document's editor over the list; closing it drops the parameter.
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KnowledgePage } from "@/app/(app)/knowledge/knowledge-page";
import { useAuth, type Me } from "@/stores/auth";

const replace = vi.fn();
let search = new URLSearchParams();
vi.mock("next/navigation", () => ({ useRouter: () => ({ replace, push: vi.fn() }), useSearchParams: () => search }));

const T0 = "2026-03-30T10:00:00Z";
const draft = {
  id: "doc-42", title: "Do you ship to Norway?", kind: "faq", content_type: "text", size_bytes: 60, chunks: 1, created_at: T0, updated_at: T0,
  body: "Shoppers asked:\n- ship to norway?\n\nWrite your answer here.",
};

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  replace.mockReset();
});

describe("the knowledge page's linked editor", () => {
  it("opens the document named in ?edit= and drops the parameter when closed", async () => {
    useAuth.setState({ status: "signed-in", me: { role: "editor", email: "e@example.com", email_verified: true, tenant_id: "t" } as Me });
    search = new URLSearchParams("edit=doc-42");
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const path = new URL(request.url).pathname;
        return path === "/v1/knowledge/doc-42" ? json(draft) : json({ items: [], next_cursor: null });
      }),
    );
    render(<KnowledgePage />);
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/Write the answer shoppers were missing/)).toBeTruthy();
    expect(((await within(dialog).findByLabelText("Title")) as HTMLInputElement).value).toBe("Do you ship to Norway?");
    expect((within(dialog).getByLabelText("Content") as HTMLTextAreaElement).value).toContain("Write your answer here.");
    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(replace).toHaveBeenCalledWith("/knowledge/");
  });

  it("opens nothing without the parameter", async () => {
    search = new URLSearchParams();
    vi.stubGlobal("fetch", vi.fn(async () => json({ items: [], next_cursor: null })));
    render(<KnowledgePage />);
    expect(await screen.findByText("No documents yet")).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
