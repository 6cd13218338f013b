import { describe, expect, it } from "vitest";
import { ApiProblem } from "@/api/problem";
import { describeBillingError, isNotSetUp, NOT_SET_UP, returnNotice } from "@/features/billing/api";
import { formatMoney } from "@/features/billing/invoices";
import { comparisonRows, formatPrice, planAction, standingNotes, type Billing, type PlanOffer } from "@/features/billing/plans";

const limits = (messages: number, bytes: number) => ({
  messages_per_month: messages,
  products: 100,
  bots: 1,
  stores: 1,
  knowledge_documents: 10,
  knowledge_bytes: bytes,
  seats: 1,
  model_tokens_per_month: 100000,
  models: ["gpt-4o-mini"],
});

const plan = (code: string, cents: number, extra: Partial<PlanOffer> = {}): PlanOffer => ({
  code,
  name: code[0]!.toUpperCase() + code.slice(1),
  version: 1,
  monthly_price_cents: cents,
  currency: "usd",
  limits: limits(cents ? 10000 : 500, 5_000_000),
  purchasable: cents > 0,
  current: false,
  ...extra,
});

const free = plan("free", 0, { current: true });
const pro = plan("pro", 2900);

describe("plan comparison", () => {
  it("formats prices", () => {
    expect(formatPrice(free)).toBe("Free");
    expect(formatPrice(pro)).toBe("$29 / month");
    expect(formatPrice({ monthly_price_cents: 950, currency: "eur" })).toBe("€9.50 / month");
  });

  it("has one row per limit and one value per plan", () => {
    const rows = comparisonRows([free, pro]);
    expect(rows.find((row) => row.key === "messages_per_month")?.values).toEqual(["500", "10,000"]);
    expect(rows.find((row) => row.key === "knowledge_bytes")?.values).toEqual(["5 MB", "5 MB"]);
    expect(rows.at(-1)).toEqual({ key: "models", label: "AI models", values: ["gpt-4o-mini", "gpt-4o-mini"] });
    const scale = plan("scale", 19900, { limits: { ...limits(1, 1), models: ["*"] } });
    expect(comparisonRows([scale]).at(-1)?.values).toEqual(["All models"]);
  });

  it("offers Upgrade to a dearer plan and Switch to a cheaper one, for the owner only", () => {
    expect(planAction(free, free, "none", true)).toEqual({ kind: "current" });
    expect(planAction(pro, free, "none", true)).toEqual({ kind: "change", label: "Upgrade", disabledReason: null });
    expect(planAction(pro, free, "none", false)).toMatchObject({ disabledReason: "Only the business owner can change the plan." });
    const onPro = { ...free, current: false };
    expect(planAction(onPro, pro, "active", true)).toEqual({ kind: "change", label: "Switch", disabledReason: null });
    expect(planAction(onPro, pro, "manual", true)).toMatchObject({ disabledReason: "This plan cannot be bought online here." });
    expect(planAction(plan("team", 9900, { purchasable: false }), free, "none", true)).toMatchObject({ label: "Upgrade", disabledReason: "This plan cannot be bought online here." });
  });
});

describe("standing", () => {
  const billing: Billing = {
    plan: free,
    subscribed_plan: pro,
    status: "past_due",
    period_end: "2026-12-31T12:00:00Z",
    cancel_at_period_end: true,
    grace_until: "2026-12-10T12:00:00Z",
    limits: {},
    usage: {},
  };
  it("says the grace date, the paid plan and the end of the period", () => {
    expect(standingNotes(billing)).toEqual([
      "The last payment failed. Your plan's limits stay until 10 December 2026; update your payment method in Manage billing.",
      "You subscribe to Pro, but the Free plan's limits apply until the payment is settled.",
      "Your subscription ends on 31 December 2026; the business then moves to the Free plan.",
    ]);
    expect(standingNotes({ ...billing, status: "active", subscribed_plan: null, cancel_at_period_end: false, grace_until: null })).toEqual([
      "Renews on 31 December 2026.",
    ]);
  });
});

describe("the return from Stripe and billing errors", () => {
  it("reads the flags the API puts on the return URL", () => {
    expect(returnNotice(new URLSearchParams("checkout=success&session_id=cs_1"))?.text).toMatch(/^Your plan is being updated/);
    expect(returnNotice(new URLSearchParams("changed=1"))?.tone).toBe("success");
    expect(returnNotice(new URLSearchParams("checkout=canceled"))?.tone).toBe("info");
    expect(returnNotice(new URLSearchParams(""))).toBeNull();
  });

  it("says plainly when payments are not set up", () => {
    const problem = new ApiProblem(503, { code: "billing_not_configured", detail: "Payments are not set up" });
    expect(isNotSetUp(problem)).toBe(true);
    expect(describeBillingError(problem)).toBe(NOT_SET_UP);
    expect(describeBillingError(new ApiProblem(409, { code: "already_on_plan", detail: "Already there." }))).toBe("Already there.");
  });

  it("formats invoice amounts in the currency's minor unit", () => {
    expect(formatMoney(2900, "usd")).toBe("$29.00");
    expect(formatMoney(500, "jpy")).toBe("¥500");
  });
});
