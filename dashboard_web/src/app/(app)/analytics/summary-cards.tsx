import type { SeriesTotals, Summary } from "@/features/analytics/api";
import { formatCount, formatMicroUsd, formatMs, formatShare } from "@/features/analytics/format";
import { StatList } from "./stat-list";

/** The six numbers a merchant checks first. */
export function SummaryCards({ summary }: { summary: Summary }) {
  return (
    <StatList
      items={[
        ["Conversations", formatCount(summary.conversations)],
        ["Shopper messages", formatCount(summary.messages)],
        ["Answer rate", formatShare(summary.answer_rate)],
        ["Thumbs up", formatCount(summary.thumbs_up)],
        ["Thumbs down", formatCount(summary.thumbs_down)],
        ["Product clicks", formatCount(summary.product_clicks)],
      ]}
    />
  );
}

/** The period's answer times, failures, add-to-cart and model spend (the series' totals). */
export function TotalsCards({ totals }: { totals: SeriesTotals }) {
  return (
    <StatList
      items={[
        ["Median answer time", formatMs(totals.latency_p50_ms)],
        ["95th percentile answer time", formatMs(totals.latency_p95_ms)],
        ["Failed answers", formatCount(totals.errors)],
        ["Added to cart", formatCount(totals.added_to_cart)],
        ["Tokens used", formatCount(totals.prompt_tokens + totals.completion_tokens)],
        ["Model cost", formatMicroUsd(totals.cost_micro_usd)],
      ]}
    />
  );
}
