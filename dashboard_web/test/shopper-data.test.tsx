// A shopper's data from their conversation: not offered for the merchant's own previews,
// downloaded as a file by any role, deleted by an admin or the owner after a confirmation
// that names what goes, then back to the list, which says it is done.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isShopper } from "@/features/privacy/api";
import { AFTER_DELETE_HREF, DeletedNotice } from "@/features/privacy/deleted-notice";
import { ShopperData } from "@/features/privacy/shopper-data";
import { useAuth, type Me } from "@/stores/auth";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push, replace: vi.fn() }) }));

function signedInAs(role: string) {
  useAuth.setState({ status: "signed-in", me: { role, email: "o@example.com", email_verified: true, tenant_id: "t" } as Me });
}

beforeEach(() => push.mockReset());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("isShopper", () => {
  it("leaves out dashboard previews and conversations without a visitor", () => {
    expect(isShopper({ visitor_id: "v_123", is_preview: false })).toBe(true);
    expect(isShopper({ visitor_id: "v_123", is_preview: true })).toBe(false);
    expect(isShopper({ visitor_id: "preview:user-1", is_preview: false })).toBe(false);
    expect(isShopper({ visitor_id: null, is_preview: false })).toBe(false);
  });
});

describe("ShopperData", () => {
  it("deletes after the confirmation and goes back to the list", async () => {
    signedInAs("admin");
    const fetch = vi.fn(async (_request: Request) => new Response(null, { status: 204 }));
    vi.stubGlobal("fetch", fetch);
    render(<ShopperData visitorId="v/1 2" />);
    fireEvent.click(screen.getByRole("button", { name: "Delete their data" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/their messages and the answers, their ratings, and their widget events/)).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete their data" }));
    await waitFor(() => expect(push).toHaveBeenCalledWith(AFTER_DELETE_HREF));
    const request = fetch.mock.calls[0]![0];
    expect(request.method).toBe("DELETE");
    expect(new URL(request.url).pathname).toBe("/v1/privacy/visitors/v%2F1%202");
  });

  it("keeps the dialog open with the server's reason when the deletion fails", async () => {
    signedInAs("owner");
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ code: "insufficient_role" }), { status: 403, headers: { "Content-Type": "application/problem+json" } })));
    render(<ShopperData visitorId="v_1" />);
    fireEvent.click(screen.getByRole("button", { name: "Delete their data" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete their data" }));
    expect(await within(dialog).findByText("Your role does not allow this. Ask the business owner or an admin.")).toBeTruthy();
    expect(push).not.toHaveBeenCalled();
  });

  it("lets an editor download but not delete", async () => {
    signedInAs("editor");
    const fetch = vi.fn(async (_request: Request) => new Response(JSON.stringify({ visitor_id: "v_1", conversations: [], events: [] }), {
      status: 200,
      headers: { "Content-Type": "application/json", "Content-Disposition": 'attachment; filename="visitor-20260330-101500.json"' },
    }));
    vi.stubGlobal("fetch", fetch);
    URL.createObjectURL = vi.fn(() => "blob:x");
    URL.revokeObjectURL = vi.fn();
    let saved: { href: string; download: string } | null = null;
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved = { href: this.href, download: this.download };
    });
    render(<ShopperData visitorId="v_1" />);
    expect((screen.getByRole("button", { name: "Delete their data" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Only an admin or the owner can delete a shopper's data.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Download their data" }));
    expect(await screen.findByText("Downloaded visitor-20260330-101500.json")).toBeTruthy();
    expect(new URL((fetch.mock.calls[0]![0]).url).pathname).toBe("/v1/privacy/visitors/v_1/export");
    expect(saved).toEqual({ href: "blob:x", download: "visitor-20260330-101500.json" });
  });
});

describe("DeletedNotice", () => {
  it("speaks only after a deletion", () => {
    render(<DeletedNotice deleted={null} />);
    expect(screen.queryByText(/data was deleted/)).toBeNull();
    render(<DeletedNotice deleted="shopper" />);
    expect(screen.getByText(/The shopper's data was deleted/)).toBeTruthy();
  });
});
