// Every analytics call and its types, in one place: the series, the clustered top questions,
// the content gaps (and the document a gap becomes), the products, the summary and the bot
// filter's list. The types come from schema.d.ts, so a field the server renames is a compile
// error here and nowhere else.
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { addDays, rangeQuery, type DayRange } from "./date-range";
import type { Interval } from "./interval";

type Schemas = components["schemas"];
export type Summary = Schemas["AnalyticsSummary"];
export type Series = Schemas["AnalyticsSeries"];
export type SeriesPoint = Schemas["SeriesPoint"];
export type SeriesTotals = Schemas["SeriesTotals"];
export type TopQuestion = Schemas["TopQuestionCluster"];
export type ContentGap = Schemas["ContentGap"];
export type TopProduct = Schemas["TopProduct"];
export type KnowledgeDocument = Schemas["KnowledgeOut"];
export type BotChoice = { id: string; name: string };

export type Filters = { range: DayRange; botId: string | null };

/** The summary takes instants: the browser's local midnights (see rangeQuery). */
function instantQuery({ range, botId }: Filters) {
  return { ...rangeQuery(range), ...(botId ? { bot_id: botId } : {}) };
}

/** The other reads take calendar days (counted in the business's time zone): the first day
 * and the day after the last. */
export function dayQuery({ range, botId }: Filters) {
  return { from: range.from, to: addDays(range.to, 1), ...(botId ? { bot_id: botId } : {}) };
}

/** How many rows the top lists ask for. */
export const TOP_LIMIT = 10;

export function loadSummary(filters: Filters): Promise<Summary> {
  return unwrap(api.GET("/v1/analytics/summary", { params: { query: instantQuery(filters) } }));
}

export function loadSeries(filters: Filters, interval: Interval): Promise<Series> {
  return unwrap(api.GET("/v1/analytics/timeseries", { params: { query: { ...dayQuery(filters), interval } } }));
}

export async function loadTopQuestions(filters: Filters): Promise<TopQuestion[]> {
  const body = await unwrap(api.GET("/v1/analytics/top-questions", { params: { query: { ...dayQuery(filters), limit: TOP_LIMIT } } }));
  return body.questions;
}

export async function loadContentGaps(filters: Filters): Promise<ContentGap[]> {
  const body = await unwrap(api.GET("/v1/analytics/content-gaps", { params: { query: { ...dayQuery(filters), limit: TOP_LIMIT } } }));
  return body.gaps;
}

export async function loadTopProducts(filters: Filters): Promise<TopProduct[]> {
  const body = await unwrap(api.GET("/v1/analytics/top-products", { params: { query: { ...dayQuery(filters), limit: TOP_LIMIT } } }));
  return body.products;
}

/** A knowledge document drafted from the gap's question (201), for the merchant to finish. */
export function createGapDocument(clusterId: string): Promise<KnowledgeDocument> {
  return unwrap(api.POST("/v1/analytics/content-gaps/{cluster_id}/document", { params: { path: { cluster_id: clusterId } } }));
}

/** Where the new document opens: the knowledge page's editor (see knowledge-page.tsx). */
export function documentEditorHref(documentId: string): string {
  return `/knowledge/?edit=${encodeURIComponent(documentId)}`;
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
