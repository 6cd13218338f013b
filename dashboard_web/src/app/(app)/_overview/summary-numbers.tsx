"use client";

import Link from "next/link";
import { api, unwrap } from "@/api/client";
import { QueryView } from "@/components/states";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatPercent } from "@/features/account/format";
import { useQuery } from "@/lib/use-query";

export function SummaryNumbers() {
  // Without `from`/`to` the API counts the last 30 days up to now, previews excluded.
  const query = useQuery(["analytics-summary-30d"], () => unwrap(api.GET("/v1/analytics/summary")));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Last 30 days</CardTitle>
        <CardDescription>
          Shopper activity on your store.{" "}
          <Link href="/analytics/" className="text-primary underline">
            See analytics
          </Link>
        </CardDescription>
      </CardHeader>
      <CardContent>
        <QueryView query={query}>
          {(summary) => (
            <dl className="grid gap-4 sm:grid-cols-3">
              <Stat label="Conversations" value={summary.conversations.toLocaleString()} />
              <Stat label="Messages" value={summary.messages.toLocaleString()} />
              <Stat label="Answer rate" value={formatPercent(summary.answer_rate)} />
            </dl>
          )}
        </QueryView>
      </CardContent>
    </Card>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-md border p-4">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="text-2xl font-semibold">{value}</dd>
    </div>
  );
}
