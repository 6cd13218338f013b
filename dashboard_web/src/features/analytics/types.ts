// Local types for the analytics reads that are not in schema.d.ts yet (a backend change
// adds them in parallel). Once they are generated, these give way to
// `components["schemas"][...]` and the calls move to the typed `api` client.

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

export type DailySeries = { days: DailyPoint[] };

export type TopQuestion = {
  text: string;
  count: number;
  /** 0..1: the share of these questions that got an answer. */
  answered_share: number;
};

export type TopQuestions = { questions: TopQuestion[] };

export type TopProduct = {
  product_id: string;
  name: string;
  permalink: string | null;
  shown: number;
  clicks: number;
};

export type TopProducts = { products: TopProduct[] };
