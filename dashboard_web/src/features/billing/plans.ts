// The plan comparison and the current plan's standing, in words. Pure functions (tested).
import type { components } from "@/api/schema";
import { formatAmount, QUOTAS, type Unit } from "./meters";

export type PlanOffer = components["schemas"]["PlanOffer"];
export type PlanSummary = components["schemas"]["PlanSummary"];
export type Billing = components["schemas"]["BillingOut"];

/** "$29 / month", "€9.50 / month", "Free". */
export function formatPrice(plan: Pick<PlanSummary, "monthly_price_cents" | "currency">): string {
  if (plan.monthly_price_cents === 0) return "Free";
  const cents = plan.monthly_price_cents;
  const money = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: plan.currency.toUpperCase() || "USD",
    minimumFractionDigits: cents % 100 === 0 ? 0 : 2,
  });
  return `${money.format(cents / 100)} / month`;
}

/** A limit as the comparison table shows it. */
export function formatLimit(value: unknown, unit: Unit): string {
  if (typeof value === "number") return formatAmount(value, unit);
  if (Array.isArray(value)) return value.includes("*") ? "All models" : value.join(", ") || "—";
  return "—";
}

export type ComparisonRow = { key: string; label: string; values: string[] };

/** One row per quota (and the models), one value per plan, in the plans' order. */
export function comparisonRows(plans: PlanOffer[]): ComparisonRow[] {
  const rows: ComparisonRow[] = QUOTAS.map((quota) => ({
    key: quota.key,
    label: quota.label,
    values: plans.map((plan) => formatLimit(plan.limits[quota.key], quota.unit)),
  }));
  rows.push({ key: "models", label: "AI models", values: plans.map((plan) => formatLimit(plan.limits.models, "count")) });
  return rows;
}

export type PlanAction =
  | { kind: "current" }
  | { kind: "change"; label: "Upgrade" | "Switch"; disabledReason: string | null };

// Statuses with a live subscription: choosing Free then opens the portal's cancellation.
const LIVE = new Set(["active", "trialing", "past_due", "unpaid", "paused"]);

/** What the plan's column offers: nothing for the current plan, else "Upgrade" (costs
 * more) or "Switch", disabled with the reason when this member or this server cannot. */
export function planAction(plan: PlanOffer, current: PlanSummary, status: string, isOwner: boolean): PlanAction {
  if (plan.current) return { kind: "current" };
  const label = plan.monthly_price_cents > current.monthly_price_cents ? "Upgrade" : "Switch";
  const cancellable = plan.monthly_price_cents === 0 && LIVE.has(status);
  let disabledReason: string | null = null;
  if (!isOwner) disabledReason = "Only the business owner can change the plan.";
  else if (!plan.purchasable && !cancellable) disabledReason = "This plan cannot be bought online here.";
  return { kind: "change", label, disabledReason };
}

const STATUS_WORDS: Record<string, { label: string; tone: "success" | "warning" | "destructive" | "secondary" }> = {
  active: { label: "Active", tone: "success" },
  trialing: { label: "Trial", tone: "success" },
  manual: { label: "Set by the operator", tone: "secondary" },
  none: { label: "No subscription", tone: "secondary" },
  past_due: { label: "Payment overdue", tone: "warning" },
  unpaid: { label: "Unpaid", tone: "destructive" },
  incomplete: { label: "Payment incomplete", tone: "warning" },
  incomplete_expired: { label: "Payment expired", tone: "destructive" },
  canceled: { label: "Canceled", tone: "secondary" },
  paused: { label: "Paused", tone: "warning" },
};

export function statusWords(status: string) {
  return STATUS_WORDS[status] ?? { label: status.replace(/_/g, " "), tone: "secondary" as const };
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric" }).format(new Date(iso));
}

/** Sentences about the subscription's standing, most urgent first. */
export function standingNotes(billing: Billing): string[] {
  const notes: string[] = [];
  if (billing.status === "past_due" && billing.grace_until) {
    notes.push(`The last payment failed. Your plan's limits stay until ${formatDate(billing.grace_until)}; update your payment method in Manage billing.`);
  }
  if (billing.subscribed_plan) {
    notes.push(`You subscribe to ${billing.subscribed_plan.name}, but the ${billing.plan.name} plan's limits apply until the payment is settled.`);
  }
  if (billing.period_end) {
    notes.push(
      billing.cancel_at_period_end
        ? `Your subscription ends on ${formatDate(billing.period_end)}; the business then moves to the Free plan.`
        : `Renews on ${formatDate(billing.period_end)}.`,
    );
  }
  return notes;
}
