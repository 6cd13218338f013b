// The profile's Privacy card: the retention periods the API accepts (the usual four, keep,
// and any other period already set), only the change sent, server field errors on the field.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PrivacyForm } from "@/app/(app)/profile/privacy-form";
import { privacyPatch, toPrivacyValues, type Business } from "@/features/privacy/api";
import { privacySchema, RETENTION_MESSAGE } from "@/lib/schemas/privacy";

const T0 = "2026-01-01T00:00:00Z";
const business: Business = {
  id: "b", name: "Acme", currency: "EUR", timezone: "Europe/Berlin", language: "en", created_at: T0, updated_at: T0, retention_days: null,
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

const optionsOf = (select: HTMLElement) => [...(select as HTMLSelectElement).options].map((option) => `${option.value}: ${option.text}`);

describe("privacySchema", () => {
  it("accepts keep and whole days from 1 to 3650, as the API", () => {
    for (const retention_days of ["keep", "30", "90", "180", "365", "1", "3650"]) {
      expect(privacySchema.safeParse({ retention_days }).success).toBe(true);
    }
    for (const retention_days of ["", "0", "3651", "30.5", "-30", "forever"]) {
      expect(privacySchema.safeParse({ retention_days }).error?.issues[0]?.message).toBe(RETENTION_MESSAGE);
    }
  });
});

describe("the setting as the API has it", () => {
  it("reads null (or a server that leaves it out) as keep", () => {
    expect(toPrivacyValues(business)).toEqual({ retention_days: "keep" });
    expect(toPrivacyValues({ ...business, retention_days: 90 })).toEqual({ retention_days: "90" });
    const older: Partial<Business> = { ...business };
    delete older.retention_days;
    expect(toPrivacyValues(older as Business)).toEqual({ retention_days: "keep" });
  });

  it("sends only a change, with keep as null", () => {
    expect(privacyPatch({ retention_days: "90" }, { retention_days: "90" })).toEqual({});
    expect(privacyPatch({ retention_days: "90" }, { retention_days: "keep" })).toEqual({ retention_days: null });
    expect(privacyPatch({ retention_days: "keep" }, { retention_days: "365" })).toEqual({ retention_days: 365 });
  });
});

describe("PrivacyForm", () => {
  it("offers keep and the four periods, and keeps a period set through the API", () => {
    render(<PrivacyForm business={business} readOnly={false} />);
    expect(optionsOf(screen.getByLabelText("Keep conversations for"))).toEqual([
      "keep: Keep until deleted by hand", "30: 30 days", "90: 90 days", "180: 180 days", "365: 365 days",
    ]);
    cleanup();
    render(<PrivacyForm business={{ ...business, retention_days: 45 }} readOnly={false} />);
    const select = screen.getByLabelText("Keep conversations for") as HTMLSelectElement;
    expect(select.value).toBe("45");
    expect(optionsOf(select).at(-1)).toBe("45: 45 days");
  });

  it("says so when nothing changed, and sends nothing", async () => {
    const sent = server(() => json(200, business));
    render(<PrivacyForm business={business} readOnly={false} />);
    fireEvent.click(screen.getByRole("button", { name: "Save privacy settings" }));
    expect(await screen.findByText("Nothing changed.")).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it("saves a new period, and only that", async () => {
    const sent = server((body) => json(200, { ...business, ...body }));
    render(<PrivacyForm business={business} readOnly={false} />);
    fireEvent.change(screen.getByLabelText("Keep conversations for"), { target: { value: "30" } });
    fireEvent.click(screen.getByRole("button", { name: "Save privacy settings" }));
    expect(await screen.findByText("Privacy settings saved")).toBeTruthy();
    expect(sent).toEqual([{ retention_days: 30 }]);
  });

  it("puts the server's field error on the retention field", async () => {
    server(() => json(422, { code: "validation_failed", detail: "Invalid", errors: [{ field: "body.retention_days", message: "Input should be less than or equal to 3650" }] }));
    render(<PrivacyForm business={business} readOnly={false} />);
    fireEvent.change(screen.getByLabelText("Keep conversations for"), { target: { value: "180" } });
    fireEvent.click(screen.getByRole("button", { name: "Save privacy settings" }));
    expect(await screen.findByText("Input should be less than or equal to 3650")).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText("Keep conversations for").getAttribute("aria-invalid")).toBe("true"));
  });

  it("is read-only below admin, and says who can change it", () => {
    render(<PrivacyForm business={business} readOnly />);
    expect((screen.getByRole("button", { name: "Save privacy settings" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Only an admin or the owner can change how long conversations are kept.")).toBeTruthy();
  });
});
