import type { Summary } from "@/features/analytics/api";
import { formatCount, formatShare } from "@/features/analytics/format";

/** The six numbers a merchant checks first, as a description list (label, value). */
export function SummaryCards({ summary }: { summary: Summary }) {
  const items: [string, string][] = [
    ["Conversations", formatCount(summary.conversations)],
    ["Shopper messages", formatCount(summary.messages)],
    ["Answer rate", formatShare(summary.answer_rate)],
    ["Thumbs up", formatCount(summary.thumbs_up)],
    ["Thumbs down", formatCount(summary.thumbs_down)],
    ["Product clicks", formatCount(summary.product_clicks)],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
      {items.map(([label, value]) => (
        <div key={label} className="rounded-lg border bg-card p-4 shadow-sm">
          <dt className="text-sm text-muted-foreground">{label}</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
