// The analytics period: whole calendar days in the browser's time zone, `from` and `to`
// both inclusive. Day arithmetic goes through the calendar (year, month, day), never
// through "+ 86 400 000 ms", so a daylight-saving change inside the range moves nothing.
// The custom range's form schema is in ./range-schema (zod stays out of the first load).
export const MAX_RANGE_DAYS = 366;
export const PRESETS = [7, 30, 90] as const;
export type Preset = (typeof PRESETS)[number];

export type DayRange = { from: string; to: string };

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` of a Date, read in the browser's zone. */
export function toIsoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function parts(day: string): [number, number, number] | null {
  const match = ISO_DAY.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, date));
  // Rejects 2026-02-30 and friends, which Date would silently roll over.
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== date) return null;
  return [year, month, date];
}

export function isIsoDay(day: string): boolean {
  return parts(day) !== null;
}

/** Local midnight at the start of `day`. */
export function startOfDay(day: string): Date {
  const [year, month, date] = parts(day) ?? [NaN, NaN, NaN];
  return new Date(year, month - 1, date);
}

/** The day `count` calendar days after `day` (before, when negative). */
export function addDays(day: string, count: number): string {
  const [year, month, date] = parts(day) ?? [NaN, NaN, NaN];
  return toIsoDay(new Date(year, month - 1, date + count));
}

/** Days in the range, both ends included (1 for a single day). */
export function daysInRange({ from, to }: DayRange): number {
  const a = parts(from);
  const b = parts(to);
  if (!a || !b) return NaN;
  // UTC has no daylight saving, so whole days divide exactly.
  return (Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86_400_000 + 1;
}

/** The last `days` days, today included. */
export function presetRange(days: number, today: Date = new Date()): DayRange {
  const to = toIsoDay(today);
  return { from: addDays(to, -(days - 1)), to };
}

/** Which preset a range is, if any (so the control shows it pressed). */
export function matchingPreset(range: DayRange, today: Date = new Date()): Preset | null {
  return PRESETS.find((days) => {
    const preset = presetRange(days, today);
    return preset.from === range.from && preset.to === range.to;
  }) ?? null;
}

/** The API's bounds: `from` inclusive and `to` exclusive, as instants with the browser's
 * offset, so "today" means the merchant's today and not UTC's. */
export function rangeQuery(range: DayRange): { from: string; to: string } {
  return { from: withOffset(startOfDay(range.from)), to: withOffset(startOfDay(addDays(range.to, 1))) };
}

function withOffset(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return `${toIsoDay(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}:00${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** "1 Dec 2026 – 7 Dec 2026", for headings and screen readers. */
export function describeRange(range: DayRange): string {
  const format = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });
  return `${format.format(startOfDay(range.from))} – ${format.format(startOfDay(range.to))}`;
}
