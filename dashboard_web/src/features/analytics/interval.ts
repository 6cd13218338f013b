// Day or hour buckets for the series. The API answers 422 to hourly buckets over more than
// 7 days (168 points is already a dense chart), so the page never asks: a longer period
// falls back to days, and remembers the merchant's choice for when the period is short again.
import { daysInRange, type DayRange } from "./date-range";

export const INTERVALS = ["day", "hour"] as const;
export type Interval = (typeof INTERVALS)[number];

export const HOURLY_MAX_DAYS = 7;

export function hourlyAllowed(range: DayRange): boolean {
  return daysInRange(range) <= HOURLY_MAX_DAYS;
}

/** What to ask for: the choice, unless hours are not allowed for this period. */
export function effectiveInterval(chosen: Interval, range: DayRange): Interval {
  return chosen === "hour" && !hourlyAllowed(range) ? "day" : chosen;
}
