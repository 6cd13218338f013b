// Local types for the analytics reads that are not in schema.d.ts yet: they follow the
// backend branch that adds them (dash-backend, dashboard_api/analytics/schemas.py:
// AnalyticsDaily, TopQuestions, TopProducts). Once openapi.json has them, these give way
// to `components["schemas"][...]` and the calls move to the typed `api` client.

/** The window the server counted: calendar days in the business's time zone, `to` exclusive. */
export type DayWindow = { from: string; to: string; timezone: string; bot_id?: string | null };

export type DailyPoint = {
  /** A calendar day, `YYYY-MM-DD`. */
  date: string;
  conversations: number;
  messages: number;
  answered: number;
  no_answer: number;
  thumbs_up: number;
  thumbs_down: number;
};

export type DailySeries = DayWindow & { days: DailyPoint[] };

export type TopQuestion = {
  /** The normalised words the count is grouped by. */
  question: string;
  /** The newest wording a shopper used. */
  example: string;
  count: number;
  /** 0..1: the share of these questions that got an answer. */
  answered_share: number;
};

export type TopQuestions = DayWindow & { questions: TopQuestion[] };

export type TopProduct = {
  product_id: string;
  name: string | null;
  permalink: string | null;
  shown: number;
  clicks: number;
};

export type TopProducts = DayWindow & { products: TopProduct[] };
