"use client";

import dynamic from "next/dynamic";
import type { ReactNode } from "react";
import { ErrorState, LoadingState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { loadDaily, type Filters } from "@/features/analytics/api";
import { formatCount, shortDay } from "@/features/analytics/format";
import type { DailyPoint } from "@/features/analytics/types";
import { useQuery } from "@/lib/use-query";
import { ChartData, type Column } from "./data-table";

// recharts stays out of the first load: each chart module arrives after the page is up.
const chartSkeleton = () => <Skeleton className="h-64 w-full" />;
const ActivityChart = dynamic(() => import("@/features/analytics/charts").then((m) => m.ActivityChart), { ssr: false, loading: chartSkeleton });
const AnswersChart = dynamic(() => import("@/features/analytics/charts").then((m) => m.AnswersChart), { ssr: false, loading: chartSkeleton });
const FeedbackChart = dynamic(() => import("@/features/analytics/charts").then((m) => m.FeedbackChart), { ssr: false, loading: chartSkeleton });

const day: Column<DailyPoint> = { header: "Day", cell: (row) => shortDay(row.date) };
const count = (header: string, pick: (row: DailyPoint) => number): Column<DailyPoint> => ({
  header,
  numeric: true,
  cell: (row) => formatCount(pick(row)),
});

function ChartCard({ title, children, columns, days }: { title: string; children: ReactNode; columns: Column<DailyPoint>[]; days: DailyPoint[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <CardContent>
        {children}
        <ChartData caption={`${title}, per day`} rows={days} columns={[day, ...columns]} rowKey={(row) => row.date} />
      </CardContent>
    </Card>
  );
}

/** The per-day charts, each with its numbers as a table. */
export function ChartsSection({ filters }: { filters: Filters }) {
  const daily = useQuery(["analytics-daily", filters], () => loadDaily(filters));
  if (daily.error) return <ErrorState error={daily.error} title="The daily figures could not be loaded" onRetry={() => void daily.reload()} />;
  if (daily.data === undefined) return <LoadingState label="Loading the daily figures…" rows={2} />;
  if (daily.data === null) {
    return (
      <p className="rounded-lg border border-dashed p-4 text-sm text-muted-foreground">
        Daily charts: not available on this server yet.
      </p>
    );
  }
  const days = daily.data.days;
  return (
    <div className="grid items-start gap-4 xl:grid-cols-2 [&>*]:min-w-0">
      <p className="text-sm text-muted-foreground xl:col-span-2">Days are counted in your business&apos;s time zone ({daily.data.timezone}).</p>
      <ChartCard title="Conversations and messages" days={days} columns={[count("Conversations", (r) => r.conversations), count("Shopper messages", (r) => r.messages)]}>
        <ActivityChart days={days} />
      </ChartCard>
      <ChartCard title="Answered and unanswered" days={days} columns={[count("Answered", (r) => r.answered), count("Unanswered", (r) => r.no_answer)]}>
        <AnswersChart days={days} />
      </ChartCard>
      <ChartCard title="Shopper feedback" days={days} columns={[count("Thumbs up", (r) => r.thumbs_up), count("Thumbs down", (r) => r.thumbs_down)]}>
        <FeedbackChart days={days} />
      </ChartCard>
    </div>
  );
}
