"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { ErrorState, LoadingState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { loadSeries, type Filters, type Series } from "@/features/analytics/api";
import type { ChartRow, NumericKey, Plot } from "@/features/analytics/charts";
import { bucketLabels, formatCount, formatMicroUsd, formatMs } from "@/features/analytics/format";
import { effectiveInterval, hourlyAllowed, type Interval } from "@/features/analytics/interval";
import { useQuery } from "@/lib/use-query";
import { ChartData, type Column } from "./data-table";
import { IntervalToggle } from "./interval-toggle";
import { TotalsCards } from "./summary-cards";

// recharts stays out of the first load: the chart module arrives after the page is up.
const SeriesChart = dynamic(() => import("@/features/analytics/charts").then((m) => m.SeriesChart), {
  ssr: false,
  loading: () => <Skeleton className="h-64 w-full" />,
});

type Spec = { title: string; kind: "area" | "bar" | "line"; plots: Plot[]; unit?: string; extra?: Column<ChartRow>[] };

const count = (header: string, key: NumericKey): Column<ChartRow> => ({ header, numeric: true, cell: (row) => formatCount(Number(row[key] ?? 0)) });

/** Each chart, and the table that is its text alternative (its plots, then `extra`). */
const CHARTS: Spec[] = [
  {
    title: "Conversations and messages",
    kind: "area",
    plots: [
      { key: "conversations", name: "Conversations", colour: "primary" },
      { key: "messages", name: "Shopper messages", colour: "secondary" },
    ],
  },
  {
    // The three add up to the answers given (the API's `answers`).
    title: "Answered and unanswered",
    kind: "bar",
    plots: [
      { key: "answered", name: "Answered", colour: "success", stack: "answers" },
      { key: "unanswered", name: "Unanswered", colour: "warning", stack: "answers" },
      { key: "errors", name: "Failed", colour: "destructive", stack: "answers" },
    ],
  },
  {
    title: "Shopper feedback",
    kind: "bar",
    plots: [
      { key: "thumbs_up", name: "Thumbs up", colour: "success" },
      { key: "thumbs_down", name: "Thumbs down", colour: "destructive" },
    ],
  },
  {
    title: "Answer time",
    kind: "line",
    unit: "ms",
    plots: [
      { key: "latency_p50_ms", name: "Median", colour: "primary" },
      { key: "latency_p95_ms", name: "95th percentile", colour: "warning" },
    ],
  },
  {
    title: "Model tokens",
    kind: "bar",
    plots: [
      { key: "prompt_tokens", name: "Prompt tokens", colour: "primary", stack: "tokens" },
      { key: "completion_tokens", name: "Completion tokens", colour: "secondary", stack: "tokens" },
    ],
    extra: [{ header: "Cost", numeric: true, cell: (row) => formatMicroUsd(row.cost_micro_usd) }],
  },
];

function columnsOf(spec: Spec, interval: Interval): Column<ChartRow>[] {
  const bucket: Column<ChartRow> = { header: interval === "hour" ? "Hour" : "Day", cell: (row) => row.label };
  const plotted = spec.plots.map((plot): Column<ChartRow> =>
    spec.unit === "ms" ? { header: plot.name, numeric: true, cell: (row) => formatMs(row[plot.key]) } : count(plot.name, plot.key),
  );
  return [bucket, ...plotted, ...(spec.extra ?? [])];
}

function Charts({ series }: { series: Series }) {
  const labels = bucketLabels(series.points.map((point) => point.start), series.interval);
  const rows: ChartRow[] = series.points.map((point, index) => ({ ...point, label: labels[index] ?? point.start }));
  const per = series.interval === "hour" ? "per hour" : "per day";
  return (
    <>
      {CHARTS.map((spec) => (
        <Card key={spec.title}>
          <CardHeader>
            <CardTitle>{spec.title}</CardTitle>
          </CardHeader>
          <CardContent>
            <SeriesChart rows={rows} kind={spec.kind} plots={spec.plots} unit={spec.unit} />
            <ChartData caption={`${spec.title}, ${per}`} rows={rows} columns={columnsOf(spec, series.interval)} rowKey={(row) => row.start} />
          </CardContent>
        </Card>
      ))}
    </>
  );
}

/** The series: totals as cards, then one chart per measure, by day or (for a week or less) by hour. */
export function ChartsSection({ filters }: { filters: Filters }) {
  const [chosen, setChosen] = useState<Interval>("day");
  const interval = effectiveInterval(chosen, filters.range);
  const series = useQuery(["analytics-series", filters, interval], () => loadSeries(filters, interval));
  let body;
  if (series.error) body = <ErrorState error={series.error} title="The charts could not be loaded" onRetry={() => void series.reload()} />;
  else if (series.data === undefined) body = <LoadingState label="Loading the charts…" rows={2} />;
  else
    body = (
      <>
        <p className="text-sm text-muted-foreground xl:col-span-2">
          {series.data.interval === "hour" ? "Hours" : "Days"} are counted in your business&apos;s time zone ({series.data.timezone}).
        </p>
        <div className="xl:col-span-2">
          <TotalsCards totals={series.data.totals} />
        </div>
        <Charts series={series.data} />
      </>
    );
  return (
    <section aria-labelledby="analytics-charts-heading" className="grid items-start gap-4 xl:grid-cols-2 [&>*]:min-w-0">
      <div className="flex flex-wrap items-center justify-between gap-3 xl:col-span-2">
        <h2 id="analytics-charts-heading" className="text-lg font-semibold">
          Over time
        </h2>
        <IntervalToggle value={interval} hourly={hourlyAllowed(filters.range)} onChange={setChosen} />
      </div>
      {body}
    </section>
  );
}
