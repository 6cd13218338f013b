// The "Your data" card: who may download or delete, and the deletion dialog's typed
// confirmation, checked in the browser before anything is sent.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeleteBusinessDialog } from "@/app/(app)/profile/delete-business-dialog";
import { CONFIRM_MISMATCH, deleteBusinessSchema } from "@/app/(app)/profile/delete-business-schema";
import { YourData } from "@/app/(app)/profile/your-data";
import { useAuth, type Me } from "@/stores/auth";

const replace = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ replace, push: vi.fn() }) }));

function signedInAs(role: string) {
  useAuth.setState({ status: "signed-in", me: { role, email: "o@example.com", email_verified: true, tenant_id: "t" } as Me });
}

beforeEach(() => replace.mockReset());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("deleteBusinessSchema", () => {
  it("accepts only the exact business name", () => {
    const schema = deleteBusinessSchema("Peak Outfitters");
    expect(schema.safeParse({ confirm: "Peak Outfitters" }).success).toBe(true);
    for (const wrong of ["peak outfitters", "Peak Outfitters ", ""]) {
      const result = schema.safeParse({ confirm: wrong });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe(CONFIRM_MISMATCH);
    }
  });
});

describe("YourData", () => {
  it("lets an owner download and delete", () => {
    signedInAs("owner");
    render(<YourData businessName="Acme" />);
    expect(screen.getByRole("heading", { name: "Your data" })).toBeTruthy();
    expect((screen.getByRole("button", { name: "Download all data" }) as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByRole("button", { name: "Delete this business" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("says why an admin cannot delete and a viewer cannot download", () => {
    signedInAs("admin");
    render(<YourData businessName="Acme" />);
    expect((screen.getByRole("button", { name: "Delete this business" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Only an owner can delete the business.")).toBeTruthy();
    cleanup();
    signedInAs("viewer");
    render(<YourData businessName="Acme" />);
    expect((screen.getByRole("button", { name: "Download all data" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Only an owner or admin can download all data.")).toBeTruthy();
  });
});

describe("DeleteBusinessDialog", () => {
  it("sends nothing until the name matches", async () => {
    signedInAs("owner");
    const fetch = vi.fn(() => Promise.reject(new Error("no network in this test")));
    vi.stubGlobal("fetch", fetch);
    render(<DeleteBusinessDialog businessName="Acme" open onOpenChange={() => undefined} />);
    expect(screen.getByText("This cannot be undone.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Business name"), { target: { value: "acme" } });
    fireEvent.click(screen.getByRole("button", { name: "Delete permanently" }));
    expect(await screen.findByText(CONFIRM_MISMATCH)).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("deletes, signs out and goes to sign-in", async () => {
    signedInAs("owner");
    const fetch = vi.fn(async (input: Request) =>
      input.url.endsWith("/v1/tenant")
        ? new Response(JSON.stringify({ erasure_id: "e", row_counts: {} }), { status: 200, headers: { "Content-Type": "application/json" } })
        : new Response(null, { status: 204 }),
    );
    vi.stubGlobal("fetch", fetch);
    render(<DeleteBusinessDialog businessName="Acme" open onOpenChange={() => undefined} />);
    fireEvent.change(screen.getByLabelText("Business name"), { target: { value: "Acme" } });
    fireEvent.click(screen.getByRole("button", { name: "Delete permanently" }));
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/sign-in/"));
    const sent = fetch.mock.calls.map(([request]) => request as Request).find((r) => r.url.endsWith("/v1/tenant"));
    expect(sent?.method).toBe("DELETE");
    expect(await sent?.clone().json()).toEqual({ confirm: "Acme" });
    expect(useAuth.getState().status).toBe("signed-out");
  });
});
