// Numbers, days and buckets as the analytics page writes them (English UI, fixed locale so
// the page reads the same everywhere).
import { startOfDay } from "./date-range";
import type { Interval } from "./interval";

const integer = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
// Model costs are often fractions of a cent per hour: two decimals would show $0.00.
const cents = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 4 });
const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });

export function formatCount(value: number): string {
  return integer.format(value);
}

/** A 0..1 share as "87.5%"; "—" when there is nothing to divide (no answers yet). */
export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? "—" : percent.format(value);
}

/** "1,250 ms"; "—" for a bucket without answers (the API's null). */
export function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${integer.format(Math.round(value))} ms`;
}

export function formatUsd(value: number): string {
  return value !== 0 && Math.abs(value) < 1 ? cents.format(value) : dollars.format(value);
}

/** The API counts model cost in millionths of a dollar (integers add up exactly). */
export function formatMicroUsd(micro: number): string {
  return formatUsd(micro / 1_000_000);
}

/** A question cluster's wording: its representative, else (when that message was deleted
 * and no other is stored) the first example. */
export function questionText(cluster: { representative: string | null; examples: string[] }): string {
  return cluster.representative ?? cluster.examples[0] ?? "A question no longer stored";
}

/** "3 Dec" for an axis tick or a table row. */
export function shortDay(day: string): string {
  const date = startOfDay(day);
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
}

// The API writes each bucket's start in the business's time zone with its offset; the label
// keeps that wall-clock time as written. Converting through Date would show the browser's
// zone instead, and a merchant abroad would see their shop's evening rush at 4 am.
const LOCAL_START = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** "29 Mar" for a day bucket, "29 Mar, 02:00" for an hour bucket. */
export function bucketLabel(start: string, interval: Interval): string {
  const match = LOCAL_START.exec(start);
  if (!match) return start;
  const day = shortDay(match[1] ?? "");
  return interval === "hour" ? `${day}, ${match[2]}` : day;
}

function offsetOf(start: string): string {
  const offset = LOCAL_START.exec(start)?.[3] ?? "";
  return offset === "Z" ? "UTC" : `UTC${offset}`;
}

/** One label per bucket. When the clocks go back, one local hour happens twice: both get
 * their offset, "25 Oct, 02:00 (UTC+02:00)" then "(UTC+01:00)", so no two rows read alike. */
export function bucketLabels(starts: readonly string[], interval: Interval): string[] {
  const labels = starts.map((start) => bucketLabel(start, interval));
  const seen = new Map<string, number>();
  for (const label of labels) seen.set(label, (seen.get(label) ?? 0) + 1);
  return labels.map((label, index) => ((seen.get(label) ?? 0) > 1 ? `${label} (${offsetOf(starts[index] ?? "")})` : label));
}

/** True when the series has nothing to draw. */
export function isQuiet(days: { conversations: number; messages: number }[]): boolean {
  return days.every((day) => day.conversations === 0 && day.messages === 0);
}
