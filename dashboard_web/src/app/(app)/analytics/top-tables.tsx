"use client";

import type { ReactNode } from "react";
import { EmptyState, ErrorState, LoadingState } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { loadTopProducts, loadTopQuestions, type Filters } from "@/features/analytics/api";
import { formatCount, formatShare } from "@/features/analytics/format";
import { useQuery, type QueryState } from "@/lib/use-query";

/** Loading, error, "not on this server" (null), empty, or the table. */
function Section<T>({ title, query, rows, children }: { title: string; query: QueryState<T | null>; rows: (data: T) => number; children: (data: T) => ReactNode }) {
  let body: ReactNode;
  if (query.error) body = <ErrorState error={query.error} onRetry={() => void query.reload()} />;
  else if (query.data === undefined) body = <LoadingState rows={3} />;
  else if (query.data === null) body = <p className="text-sm text-muted-foreground">Not available on this server yet.</p>;
  else if (rows(query.data) === 0) body = <EmptyState title="Nothing in this period" />;
  else body = children(query.data);
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <CardContent>{body}</CardContent>
    </Card>
  );
}

export function TopTables({ filters }: { filters: Filters }) {
  const questions = useQuery(["analytics-top-questions", filters], () => loadTopQuestions(filters));
  const products = useQuery(["analytics-top-products", filters], () => loadTopProducts(filters));
  return (
    <div className="grid items-start gap-4 xl:grid-cols-2 [&>*]:min-w-0">
      <Section title="Top questions" query={questions} rows={(data) => data.questions.length}>
        {(data) => (
          <Table className="relative">
            <TableHeader>
              <TableRow>
                <TableHead>Question</TableHead>
                <TableHead className="text-right">Asked</TableHead>
                <TableHead className="text-right">Answered</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.questions.map((question) => (
                <TableRow key={question.question}>
                  <TableCell className="max-w-md break-words">{question.example || question.question}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatCount(question.count)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatShare(question.answered_share)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>
      <Section title="Top products" query={products} rows={(data) => data.products.length}>
        {(data) => (
          <Table className="relative">
            <TableHeader>
              <TableRow>
                <TableHead>Product</TableHead>
                <TableHead className="text-right">Shown</TableHead>
                <TableHead className="text-right">Clicks</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.products.map((product) => (
                <TableRow key={product.product_id}>
                  <TableCell>
                    {product.permalink ? (
                      <a href={product.permalink} target="_blank" rel="noopener noreferrer" className="text-primary underline underline-offset-4">
                        {product.name ?? "Unnamed product"}
                        <span className="sr-only"> (opens in a new tab)</span>
                      </a>
                    ) : (
                      (product.name ?? "Unnamed product")
                    )}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{formatCount(product.shown)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatCount(product.clicks)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>
    </div>
  );
}
