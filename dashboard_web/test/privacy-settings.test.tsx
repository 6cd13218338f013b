// The profile's Privacy card: the retention choices the API accepts, masking on by default,
// and only the changed setting sent; server field errors land on their field.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PrivacyForm } from "@/app/(app)/profile/privacy-form";
import { privacyPatch, toPrivacyValues, type Business } from "@/features/privacy/api";
import { privacySchema, RETENTION_MESSAGE } from "@/lib/schemas/privacy";

const T0 = "2026-01-01T00:00:00Z";
const business: Business = {
  id: "b", name: "Acme", currency: "EUR", timezone: "Europe/Berlin", language: "en", created_at: T0, updated_at: T0,
  retention_days: null, mask_contact_details: true,
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function json(status: number, body: unknown): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
}

/** A server that answers PATCH /v1/business with `answer(body)`; the bodies it was sent. */
function server(answer: (body: Record<string, unknown>) => Response) {
  const sent: Record<string, unknown>[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const body = (await request.clone().json()) as Record<string, unknown>;
      sent.push(body);
      return answer(body);
    }),
  );
  return sent;
}

describe("privacySchema", () => {
  it("accepts keep and the four periods, nothing else", () => {
    for (const retention_days of ["keep", "30", "90", "180", "365"]) {
      expect(privacySchema.safeParse({ retention_days, mask_contact_details: true }).success).toBe(true);
    }
    for (const retention_days of ["", "7", "60", "forever"]) {
      const result = privacySchema.safeParse({ retention_days, mask_contact_details: true });
      expect(result.error?.issues[0]?.message).toBe(RETENTION_MESSAGE);
    }
  });
});

describe("the settings as the API has them", () => {
  it("reads null as keep, and masking on when the server leaves it out", () => {
    expect(toPrivacyValues(business)).toEqual({ retention_days: "keep", mask_contact_details: true });
    expect(toPrivacyValues({ ...business, retention_days: 90, mask_contact_details: false })).toEqual({ retention_days: "90", mask_contact_details: false });
    const older: Partial<Business> = { ...business };
    delete older.mask_contact_details;
    expect(toPrivacyValues(older as Business).mask_contact_details).toBe(true);
  });

  it("sends only what changed, with keep as null", () => {
    const before = { retention_days: "90", mask_contact_details: true };
    expect(privacyPatch(before, before)).toEqual({});
    expect(privacyPatch(before, { ...before, retention_days: "keep" })).toEqual({ retention_days: null });
    expect(privacyPatch(before, { retention_days: "365", mask_contact_details: false })).toEqual({ retention_days: 365, mask_contact_details: false });
  });
});

describe("PrivacyForm", () => {
  it("says so when nothing changed, and sends nothing", async () => {
    const sent = server(() => json(200, business));
    render(<PrivacyForm business={business} readOnly={false} />);
    fireEvent.click(screen.getByRole("button", { name: "Save privacy settings" }));
    expect(await screen.findByText("Nothing changed.")).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it("saves a new retention period and the masking switch, and only those", async () => {
    const sent = server((body) => json(200, { ...business, ...body }));
    render(<PrivacyForm business={business} readOnly={false} />);
    expect(screen.getByRole("switch", { name: "Mask emails and phone numbers" }).getAttribute("aria-checked")).toBe("true");
    fireEvent.change(screen.getByLabelText("Keep conversations for"), { target: { value: "30" } });
    fireEvent.click(screen.getByRole("switch", { name: "Mask emails and phone numbers" }));
    fireEvent.click(screen.getByRole("button", { name: "Save privacy settings" }));
    expect(await screen.findByText("Privacy settings saved")).toBeTruthy();
    expect(sent).toEqual([{ retention_days: 30, mask_contact_details: false }]);
  });

  it("puts the server's field error on the retention field", async () => {
    server(() => json(422, { code: "validation_error", detail: "Invalid", errors: [{ field: "body.retention_days", message: "Choose 30, 90, 180 or 365 days." }] }));
    render(<PrivacyForm business={business} readOnly={false} />);
    fireEvent.change(screen.getByLabelText("Keep conversations for"), { target: { value: "180" } });
    fireEvent.click(screen.getByRole("button", { name: "Save privacy settings" }));
    expect(await screen.findByText("Choose 30, 90, 180 or 365 days.")).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText("Keep conversations for").getAttribute("aria-invalid")).toBe("true"));
  });

  it("is read-only for viewers", () => {
    render(<PrivacyForm business={business} readOnly />);
    expect((screen.getByRole("button", { name: "Save privacy settings" }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("switch", { name: "Mask emails and phone numbers" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
