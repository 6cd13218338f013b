// The billing calls and the words for their failures.
import { api, unwrap } from "@/api/client";
import { ApiProblem, describeError } from "@/api/problem";
import type { Billing, PlanOffer } from "./plans";

export const NOT_SET_UP = "Online payments are not set up on this Shopbot server; your plan is managed by the operator.";

export function isNotSetUp(error: unknown): boolean {
  return error instanceof ApiProblem && error.code === "billing_not_configured";
}

const BILLING_WORDS: Record<string, string> = {
  billing_not_configured: NOT_SET_UP,
  billing_unavailable: "The payment provider did not answer. Try again in a minute.",
};

/** Billing's own codes in plain words (the rest as every page says them). */
export function describeBillingError(error: unknown): string {
  const words = error instanceof ApiProblem ? BILLING_WORDS[error.code] : undefined;
  return words ?? describeError(error);
}

export const loadBilling = (): Promise<Billing> => unwrap(api.GET("/v1/billing"));

export const loadPlans = async (): Promise<PlanOffer[]> => (await unwrap(api.GET("/v1/billing/plans"))).items;

export const loadInvoices = (cursor: string | null) =>
  unwrap(api.GET("/v1/billing/invoices", { params: { query: { limit: 20, cursor } } }));

/** Stripe Checkout (or the portal confirming a change): where the browser goes next. */
export async function checkoutUrl(plan: string): Promise<string> {
  return (await unwrap(api.POST("/v1/billing/checkout", { body: { plan } }))).url;
}

export async function portalUrl(): Promise<string> {
  return (await unwrap(api.POST("/v1/billing/portal"))).url;
}

/** What the return from Stripe says, from the query string the API put on the URL
 * (dashboard_api/billing/flows.py: `checkout=success|canceled`, `changed=1`). */
export function returnNotice(search: URLSearchParams): { tone: "success" | "info"; text: string } | null {
  if (search.get("checkout") === "success" || search.get("changed") === "1") {
    return { tone: "success", text: "Your plan is being updated. This page shows the new plan as soon as the payment provider confirms it." };
  }
  if (search.get("checkout") === "canceled") return { tone: "info", text: "Checkout was canceled; your plan has not changed." };
  return null;
}
