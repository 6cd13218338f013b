"use client";

import { useState } from "react";
import { EmptyState, ErrorState, LoadingState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { isNotSetUp, loadInvoices } from "@/features/billing/api";
import { formatDate } from "@/features/billing/plans";
import { formatMoney } from "@/features/billing/invoices";
import type { QueryState } from "@/lib/use-query";

type Page = Awaited<ReturnType<typeof loadInvoices>>;

/** Invoices from the payment provider, newest first; older pages on request. */
export function InvoicesCard({ query }: { query: QueryState<Page> }) {
  const [older, setOlder] = useState<Page["items"]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  let body;
  if (isNotSetUp(query.error)) body = <p className="text-sm text-muted-foreground">No invoices: online payments are not set up on this server.</p>;
  else if (query.error) body = <ErrorState error={query.error} onRetry={() => void query.reload()} />;
  else if (query.data === undefined) body = <LoadingState rows={2} />;
  else if (query.data.items.length === 0) body = <EmptyState title="No invoices yet">Invoices appear here after the first payment.</EmptyState>;
  else {
    const items = [...query.data.items, ...older];
    const next = cursor === undefined ? query.data.next_cursor : cursor;
    const loadMore = async () => {
      setLoadingMore(true);
      setMoreError(null);
      try {
        const page = await loadInvoices(next ?? null);
        setOlder((current) => [...current, ...page.items]);
        setCursor(page.next_cursor ?? null);
      } catch (error) {
        setMoreError(error);
      } finally {
        setLoadingMore(false);
      }
    };
    body = (
      <div className="grid gap-3">
        <Table className="relative">
          <TableHeader>
            <TableRow>
              <TableHead>Invoice</TableHead>
              <TableHead>Date</TableHead>
              <TableHead className="text-right">Amount</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>
                <span className="sr-only">Link</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((invoice) => (
              <TableRow key={invoice.id}>
                <TableCell>{invoice.number ?? invoice.id}</TableCell>
                <TableCell className="whitespace-nowrap">{formatDate(invoice.created)}</TableCell>
                <TableCell className="text-right tabular-nums">{formatMoney(invoice.status === "paid" ? invoice.amount_paid : invoice.amount_due, invoice.currency)}</TableCell>
                <TableCell className="capitalize">{invoice.status ?? "—"}</TableCell>
                <TableCell>
                  {invoice.hosted_invoice_url ? (
                    <a href={invoice.hosted_invoice_url} target="_blank" rel="noopener noreferrer" className="whitespace-nowrap text-primary underline underline-offset-4">
                      View invoice<span className="sr-only"> {invoice.number ?? invoice.id} (opens in a new tab)</span>
                    </a>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {moreError ? <ErrorState error={moreError} title="Older invoices could not be loaded" /> : null}
        {next ? (
          <Button variant="outline" size="sm" className="justify-self-start" disabled={loadingMore} onClick={() => void loadMore()}>
            {loadingMore ? "Loading…" : "Show older invoices"}
          </Button>
        ) : null}
      </div>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Invoices</CardTitle>
      </CardHeader>
      <CardContent>{body}</CardContent>
    </Card>
  );
}
