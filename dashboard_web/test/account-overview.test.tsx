// The checklist against the real API client; only the network (global fetch) is replaced
// by canned API answers, keyed by path.
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OnboardingChecklist } from "@/app/(app)/_overview/onboarding-checklist";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const T0 = "2026-01-01T00:00:00Z";
const ANSWERS: Record<string, unknown> = {
  "/v1/business": {
    id: "b", name: "Acme", currency: "EUR", timezone: "UTC", language: "en", created_at: T0, updated_at: T0,
    website: "https://acme.example", support_email: "help@acme.example", support_phone: null,
    shipping_policy: "Two days", returns_policy: "30 days",
  },
  "/v1/stores": { items: [{ id: "s", product_count: 0, last_synced_at: null }], next_cursor: null },
  "/v1/bots": { items: [{ id: "t", created_at: T0, updated_at: T0, store_id: null, allowed_origins: [] }], next_cursor: null },
  "/v1/conversations": { items: [], next_cursor: null },
};

function serve(answers: Record<string, unknown>, status = 200) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const body = answers[new URL(request.url).pathname];
      return new Response(JSON.stringify(body ?? { code: "not_found", detail: "Not found" }), {
        status: body ? status : 404,
        headers: { "Content-Type": body && status < 400 ? "application/json" : "application/problem+json" },
      });
    }),
  );
}

describe("OnboardingChecklist", () => {
  it("counts the steps done from live data and says each one's state in words", async () => {
    serve(ANSWERS);
    render(<OnboardingChecklist emailVerified />);
    expect(await screen.findByText("3 of 7 done")).toBeTruthy();
    expect(screen.getByText("Connect your WooCommerce store").parentElement?.textContent).toMatch(/\(done\)/);
    expect(screen.getByText("Sync your catalogue").parentElement?.textContent).toMatch(/\(not done\)/);
    expect(screen.getByRole("link", { name: "Start: Configure your bot" }).getAttribute("href")).toMatch(/^\/bots\/?$/);
  });

  it("shows the API's problem when the data cannot be loaded", async () => {
    const forbidden = { code: "forbidden", detail: "x" };
    serve(Object.fromEntries(Object.keys(ANSWERS).map((path) => [path, forbidden])), 403);
    render(<OnboardingChecklist emailVerified={false} />);
    expect(await screen.findByText("Your role does not allow this. Ask the business owner.")).toBeTruthy();
  });
});
