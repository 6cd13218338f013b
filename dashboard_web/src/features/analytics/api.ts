// The analytics reads. `summary` and the bot list use the typed client; the daily series
// and the top lists are not in schema.d.ts yet, so they go through `authedFetch` with the
// local types of ./types (a 404 there means "this server does not have it yet": null).
import { api, authedFetch, unwrap } from "@/api/client";
import { toProblem } from "@/api/problem";
import type { components } from "@/api/schema";
import { addDays, rangeQuery, type DayRange } from "./date-range";
import type { DailySeries, TopProducts, TopQuestions } from "./types";

export type Summary = components["schemas"]["AnalyticsSummary"];
export type BotChoice = { id: string; name: string };

export type Filters = { range: DayRange; botId: string | null };

/** The summary takes instants: the browser's local midnights (see rangeQuery). */
function query({ range, botId }: Filters): Record<string, string> {
  return { ...rangeQuery(range), ...(botId ? { bot_id: botId } : {}) };
}

/** The per-day reads take calendar days (counted in the business's time zone): the first
 * day and the day after the last. */
function dayQuery({ range, botId }: Filters, extra: Record<string, string> = {}): Record<string, string> {
  return { from: range.from, to: addDays(range.to, 1), ...(botId ? { bot_id: botId } : {}), ...extra };
}

export async function loadSummary(filters: Filters): Promise<Summary> {
  return unwrap(api.GET("/v1/analytics/summary", { params: { query: query(filters) } }));
}

/** Every bot of the business, for the filter (few per business: pages of 100 suffice). */
export async function loadBots(): Promise<BotChoice[]> {
  const bots: BotChoice[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await unwrap(api.GET("/v1/bots", { params: { query: { limit: 100, sort: "name", cursor } } }));
    bots.push(...page.items.map(({ id, name }) => ({ id, name })));
    cursor = page.next_cursor;
  } while (cursor);
  return bots;
}

/** GET an analytics read not in the generated schema; null when the server answers 404. */
async function getOptional<T>(path: string, params: Record<string, string>): Promise<T | null> {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const response = await authedFetch(new Request(url, { headers: { Accept: "application/json" } }));
  if (response.status === 404) return null;
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw toProblem(response.status, body);
  return body as T;
}

export function loadDaily(filters: Filters): Promise<DailySeries | null> {
  return getOptional<DailySeries>("/v1/analytics/daily", dayQuery(filters));
}

export function loadTopQuestions(filters: Filters): Promise<TopQuestions | null> {
  return getOptional<TopQuestions>("/v1/analytics/top-questions", dayQuery(filters, { limit: "10" }));
}

export function loadTopProducts(filters: Filters): Promise<TopProducts | null> {
  return getOptional<TopProducts>("/v1/analytics/top-products", dayQuery(filters, { limit: "10" }));
}
