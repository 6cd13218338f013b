// Numbers and days as the analytics page writes them (English UI, fixed locale so the
// page reads the same everywhere).
import { startOfDay } from "./date-range";

const integer = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });

export function formatCount(value: number): string {
  return integer.format(value);
}

/** A 0..1 share as "87.5%"; "—" when there is nothing to divide (no answers yet). */
export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? "—" : percent.format(value);
}

/** "3 Dec" for an axis tick or a table row. */
export function shortDay(day: string): string {
  const date = startOfDay(day);
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
}

/** True when the series has nothing to draw. */
export function isQuiet(days: { conversations: number; messages: number }[]): boolean {
  return days.every((day) => day.conversations === 0 && day.messages === 0);
}
