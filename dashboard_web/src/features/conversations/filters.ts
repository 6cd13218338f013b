// The conversation filters the API supports (dashboard_api/conversations/endpoints.py) as
// the page holds them, and as the query both the list and the CSV export send.

export type ConversationFilters = {
  botId: string;
  /** yyyy-mm-dd from a date input, the merchant's local day; "" for no bound */
  from: string;
  to: string;
  rating: "" | "up" | "down";
  unanswered: boolean;
  previews: boolean;
  /** words any message of the conversation contains; "" for none */
  text: string;
  /** the shopper asked for a person: "" for any conversation */
  handoff: "" | "open" | "closed" | "any";
};

export const NO_FILTERS: ConversationFilters = { botId: "", from: "", to: "", rating: "", unanswered: false, previews: false, text: "", handoff: "" };

export type FilterQuery = {
  bot_id?: string;
  from?: string;
  to?: string;
  rating?: "up" | "down";
  has_no_answer?: boolean;
  include_previews?: boolean;
  q?: string;
  handoff?: "open" | "closed" | "any";
};

/** Local midnight of a yyyy-mm-dd day, `plusDays` later, as an ISO instant (UTC). */
export function localDayStart(day: string, plusDays = 0): string {
  const [year = 1970, month = 1, date = 1] = day.split("-").map(Number);
  return new Date(year, month - 1, date + plusDays).toISOString();
}

/** `to` is exclusive on the server, so the chosen last day is included by sending the
 * midnight after it. */
export function filtersToQuery(filters: ConversationFilters): FilterQuery {
  const query: FilterQuery = {};
  if (filters.botId) query.bot_id = filters.botId;
  if (filters.from) query.from = localDayStart(filters.from);
  if (filters.to) query.to = localDayStart(filters.to, 1);
  if (filters.rating) query.rating = filters.rating;
  if (filters.unanswered) query.has_no_answer = true;
  if (filters.previews) query.include_previews = true;
  if (filters.handoff) query.handoff = filters.handoff;
  const text = filters.text.trim().slice(0, 200);
  if (text) query.q = text;
  return query;
}

export function dateRangeError(filters: Pick<ConversationFilters, "from" | "to">): string | null {
  return filters.from && filters.to && filters.from > filters.to ? "The start date is after the end date." : null;
}
