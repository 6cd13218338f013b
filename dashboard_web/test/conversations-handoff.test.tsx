// A shopper asked for a person: the conversation shows who and where to write, an editor
// replies (POST .../replies) or closes it (POST .../handoff/close); a viewer reads only; the
// list filters by hand-off state.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { filtersToQuery, NO_FILTERS } from "@/features/conversations/filters";
import { HandoffPanel } from "@/features/conversations/handoff-panel";
import { useAuth, type Me } from "@/stores/auth";

const HANDOFF = { state: "open" as const, requested_at: "2026-12-06T08:00:00Z", closed_at: null, email: "pat@example.org", note: "About my tent" };

function signedInAs(role: string) {
  useAuth.setState({ status: "signed-in", me: { role, email: "o@example.com", email_verified: true, tenant_id: "t" } as Me });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("HandoffPanel", () => {
  it("shows the shopper's email and note, and sends an editor's reply", async () => {
    signedInAs("editor");
    const fetch = vi.fn(async (_request: Request) => new Response(JSON.stringify({ id: "m1", role: "merchant" }), { status: 201, headers: { "Content-Type": "application/json" } }));
    vi.stubGlobal("fetch", fetch);
    const changed = vi.fn();
    render(<HandoffPanel conversationId="c1" handoff={HANDOFF} onChanged={changed} />);
    expect(screen.getByText("pat@example.org")).toBeTruthy();
    expect(screen.getByText("About my tent")).toBeTruthy();
    const send = screen.getByRole("button", { name: "Send reply" }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText("Your reply"), { target: { value: "  It ships Monday.  " } });
    fireEvent.click(send);
    await waitFor(() => expect(changed).toHaveBeenCalled());
    const request = fetch.mock.calls[0]![0];
    expect(request.method).toBe("POST");
    expect(new URL(request.url).pathname).toBe("/v1/conversations/c1/replies");
    expect(await request.json()).toEqual({ text: "It ships Monday." });
    expect(screen.getByRole("status").textContent).toMatch(/Reply sent/);
  });

  it("closes the hand-off", async () => {
    signedInAs("owner");
    const fetch = vi.fn(async (_request: Request) => new Response(null, { status: 204 }));
    vi.stubGlobal("fetch", fetch);
    const changed = vi.fn();
    render(<HandoffPanel conversationId="c1" handoff={HANDOFF} onChanged={changed} />);
    fireEvent.click(screen.getByRole("button", { name: "Close hand-off" }));
    await waitFor(() => expect(changed).toHaveBeenCalled());
    expect(new URL(fetch.mock.calls[0]![0].url).pathname).toBe("/v1/conversations/c1/handoff/close");
  });

  it("gives a viewer no reply box, and a closed hand-off none either", () => {
    signedInAs("viewer");
    render(<HandoffPanel conversationId="c1" handoff={HANDOFF} onChanged={() => {}} />);
    expect(screen.queryByLabelText("Your reply")).toBeNull();
    cleanup();
    signedInAs("owner");
    render(<HandoffPanel conversationId="c1" handoff={{ ...HANDOFF, state: "closed" }} onChanged={() => {}} />);
    expect(screen.queryByLabelText("Your reply")).toBeNull();
    expect(screen.getByText("Closed")).toBeTruthy();
  });
});

describe("filters", () => {
  it("send the hand-off state only when one is chosen", () => {
    expect(filtersToQuery(NO_FILTERS).handoff).toBeUndefined();
    expect(filtersToQuery({ ...NO_FILTERS, handoff: "open" }).handoff).toBe("open");
  });
});
