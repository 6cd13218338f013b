"use client";

import type { ReactNode } from "react";
import { EmptyState, ErrorState, LoadingState } from "@/components/states";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { QueryState } from "@/lib/use-query";

/** A card around one list read: loading, error, empty ("nothing in this period"), or the list. */
export function ListCard<T>({
  title,
  description,
  query,
  empty = "Nothing in this period",
  children,
}: {
  title: string;
  description?: ReactNode;
  query: QueryState<T[]>;
  empty?: string;
  children: (rows: T[]) => ReactNode;
}) {
  let body: ReactNode;
  if (query.error) body = <ErrorState error={query.error} onRetry={() => void query.reload()} />;
  else if (query.data === undefined) body = <LoadingState rows={3} />;
  else if (query.data.length === 0) body = <EmptyState title={empty} />;
  else body = children(query.data);
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        {description ? <CardDescription>{description}</CardDescription> : null}
      </CardHeader>
      <CardContent>{body}</CardContent>
    </Card>
  );
}

/** The shoppers' own wordings behind a question, folded away (a native disclosure). */
export function Examples({ examples }: { examples: string[] }) {
  if (examples.length === 0) return null;
  return (
    <details className="mt-1 text-sm">
      <summary className="cursor-pointer rounded text-primary underline underline-offset-4">
        {examples.length === 1 ? "1 example" : `${examples.length} examples`}
      </summary>
      <ul className="mt-1 list-disc space-y-1 pl-5 text-muted-foreground">
        {examples.map((example, index) => (
          <li key={index} className="break-words">
            {example}
          </li>
        ))}
      </ul>
    </details>
  );
}
