import { describe, expect, it } from "vitest";
import {
  apiKeySchema,
  auditFilterSchema,
  businessSchema,
  changedBusinessFields,
  expiryFor,
  inviteSchema,
  newPasswordSchema,
  scopesFor,
  signUpSchema,
  type BusinessValues,
} from "@/lib/schemas/account";
import { auditQuery } from "@/features/account/audit-query";

const messages = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));

describe("signUpSchema", () => {
  it("accepts a complete sign-up", () => {
    expect(signUpSchema.safeParse({ business_name: " Acme ", email: "a@example.com", password: "long enough pw" }).success).toBe(true);
  });
  it("says what is wrong with each field", () => {
    const result = signUpSchema.safeParse({ business_name: " ", email: "nope", password: "short" });
    expect(messages(result)).toEqual({
      business_name: "Enter your business name.",
      email: "Enter a valid email address.",
      password: "Use at least 10 characters.",
    });
  });
});

describe("newPasswordSchema", () => {
  it("puts a mismatch on the confirmation field", () => {
    const result = newPasswordSchema.safeParse({ password: "0123456789ab", confirm: "0123456789ac" });
    expect(messages(result)).toEqual({ confirm: "The two passwords do not match." });
  });
  it("accepts two equal passwords of 10+ characters", () => {
    expect(newPasswordSchema.safeParse({ password: "0123456789ab", confirm: "0123456789ab" }).success).toBe(true);
  });
});

describe("inviteSchema and apiKeySchema", () => {
  it("refuses an unknown role", () => {
    expect(inviteSchema.safeParse({ email: "x@example.com", role: "god" }).success).toBe(false);
  });
  it("refuses an expiry in the past and maps access to scopes", () => {
    expect(apiKeySchema.safeParse({ name: "CI", access: "read", expires_on: "2001-01-01" }).success).toBe(false);
    expect(apiKeySchema.safeParse({ name: "CI", access: "write", expires_on: "" }).success).toBe(true);
    expect(scopesFor("write")).toEqual(["read", "write"]);
    expect(scopesFor("read")).toEqual(["read"]);
    expect(expiryFor("")).toBeNull();
    expect(expiryFor("2100-01-31")).toMatch(/^2100-0[12]-/);
  });
});

const profile: BusinessValues = {
  name: "Acme",
  website: "https://acme.example",
  support_email: "",
  support_phone: "",
  currency: "EUR",
  timezone: "Europe/Berlin",
  language: "en",
  shipping_policy: "Two days",
  returns_policy: "",
};

describe("business profile", () => {
  it("validates website, email, currency and language", () => {
    const result = businessSchema.safeParse({ ...profile, website: "acme", support_email: "x", currency: "EURO", language: "English" });
    expect(Object.keys(messages(result)).sort()).toEqual(["currency", "language", "support_email", "website"]);
  });
  it("sends only changed fields, clears emptied ones with null and upper-cases the currency", () => {
    const after = { ...profile, shipping_policy: "", support_email: "help@acme.example", currency: "usd" };
    expect(changedBusinessFields(profile, after)).toEqual({ shipping_policy: null, support_email: "help@acme.example", currency: "USD" });
    expect(changedBusinessFields(profile, { ...profile })).toEqual({});
  });
});

describe("audit filters", () => {
  it("refuses an end before the start", () => {
    const result = auditFilterSchema.safeParse({ action: "", actor: "", from: "2026-02-02", to: "2026-02-01" });
    expect(messages(result)).toEqual({ to: "The end date must be on or after the start date." });
  });
  it("leaves out empty filters and makes `to` cover the whole day", () => {
    expect(auditQuery({ action: "", actor: "", from: "", to: "" })).toEqual({});
    const query = auditQuery({ action: "team.role_changed", actor: "", from: "", to: "2026-02-01" });
    expect(query.action).toBe("team.role_changed");
    expect(new Date(query.to!).getTime() - new Date("2026-02-01T00:00:00").getTime()).toBe(24 * 3600 * 1000);
  });
});
