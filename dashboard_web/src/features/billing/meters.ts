// Usage meters: what the billing endpoint reports as `usage`, measured against `limits`.
// Pure functions so the percentage and warning rules are tested without a browser.

/** The counted quotas in the order a merchant reads them (core.billing.plans.COUNTED_QUOTAS),
 * with the words and unit each is shown in. */
export const QUOTAS = [
  { key: "messages_per_month", label: "Messages this month", unit: "count" },
  { key: "products", label: "Products", unit: "count" },
  { key: "bots", label: "Bots", unit: "count" },
  { key: "stores", label: "Stores", unit: "count" },
  { key: "knowledge_documents", label: "Knowledge documents", unit: "count" },
  { key: "knowledge_bytes", label: "Knowledge storage", unit: "bytes" },
  { key: "seats", label: "Team seats", unit: "count" },
  { key: "model_tokens_per_month", label: "Model tokens this month", unit: "count" },
] as const;

export type QuotaKey = (typeof QUOTAS)[number]["key"];
export type Unit = "count" | "bytes";

/** Above this share of the limit a meter turns to the warning colour. */
export const WARNING_SHARE = 0.8;

export type MeterLevel = "ok" | "warning" | "full";

export type Meter = {
  key: string;
  label: string;
  used: number;
  limit: number;
  /** 0..100, capped: what the bar shows. */
  percent: number;
  level: MeterLevel;
  /** "123 of 1,000" or "1.2 MB of 50 MB". */
  text: string;
};

const integer = new Intl.NumberFormat("en-US");

export function formatAmount(value: number, unit: Unit): string {
  if (unit === "count") return integer.format(value);
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let size = value;
  let index = 0;
  while (size >= 1000 && index < units.length - 1) {
    size /= 1000;
    index += 1;
  }
  const digits = index === 0 || size >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(size)} ${units[index]}`;
}

/** The share of `limit` used, 0..100 (a limit of 0 with any use is full). */
export function meterPercent(used: number, limit: number): number {
  if (limit <= 0) return used > 0 ? 100 : 0;
  return Math.min(100, Math.max(0, (used / limit) * 100));
}

export function meterLevel(used: number, limit: number): MeterLevel {
  if (used >= limit && (limit > 0 || used > 0)) return "full";
  return used / limit > WARNING_SHARE ? "warning" : "ok";
}

export function meter(key: string, label: string, unit: Unit, used: number, limit: number): Meter {
  return {
    key,
    label,
    used,
    limit,
    percent: meterPercent(used, limit),
    level: meterLevel(used, limit),
    text: `${formatAmount(used, unit)} of ${formatAmount(limit, unit)}`,
  };
}

/** A meter for every quota the billing endpoint reports usage for, known ones first in the
 * merchant's order; a quota this page does not know yet is still shown, by its key. */
export function usageMeters(usage: Record<string, number>, limits: Record<string, unknown>): Meter[] {
  const known = new Set<string>(QUOTAS.map((quota) => quota.key));
  const listed = QUOTAS.filter((quota) => quota.key in usage).map((quota) => ({ key: quota.key, label: quota.label, unit: quota.unit as Unit }));
  const extra = Object.keys(usage)
    .filter((key) => !known.has(key))
    .map((key) => ({ key, label: humanize(key), unit: "count" as Unit }));
  return [...listed, ...extra].flatMap(({ key, label, unit }) => {
    const limit = limits[key];
    return typeof limit === "number" ? [meter(key, label, unit, usage[key] ?? 0, limit)] : [];
  });
}

export function humanize(key: string): string {
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
