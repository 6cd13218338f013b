"use client";

import { useState } from "react";
import { PageHeader } from "@/components/page-header";
import { EmptyState, QueryView } from "@/components/states";
import { loadSummary, type Filters } from "@/features/analytics/api";
import { describeRange, presetRange } from "@/features/analytics/date-range";
import { useQuery } from "@/lib/use-query";
import { BotFilter } from "./bot-filter";
import { ChartsSection } from "./charts-section";
import { RangeControl } from "./range-control";
import { SummaryCards } from "./summary-cards";
import { TopTables } from "./top-tables";

export function AnalyticsView() {
  const [filters, setFilters] = useState<Filters>(() => ({ range: presetRange(30), botId: null }));
  const summary = useQuery(["analytics-summary", filters], () => loadSummary(filters));

  return (
    <>
      <PageHeader title="Analytics" description="How shoppers use your assistant. Dashboard previews are not counted." />
      <div className="mb-6 flex flex-col gap-4 rounded-lg border p-4 lg:flex-row lg:items-start lg:justify-between">
        <RangeControl value={filters.range} onChange={(range) => setFilters((current) => ({ ...current, range }))} />
        <BotFilter value={filters.botId} onChange={(botId) => setFilters((current) => ({ ...current, botId }))} />
      </div>
      <p className="mb-4 text-sm text-muted-foreground" role="status">
        Showing {describeRange(filters.range)}.
      </p>
      <QueryView
        query={summary}
        isEmpty={(data) => data.conversations === 0 && data.messages === 0}
        empty={<EmptyState title="No conversations in this period">Choose a longer period, or another bot.</EmptyState>}
      >
        {(data) => (
          <div className="min-w-0 space-y-6">
            <section aria-labelledby="analytics-summary-heading">
              <h2 id="analytics-summary-heading" className="sr-only">
                Summary
              </h2>
              <SummaryCards summary={data} />
            </section>
            <ChartsSection filters={filters} />
            <TopTables filters={filters} />
          </div>
        )}
      </QueryView>
    </>
  );
}
