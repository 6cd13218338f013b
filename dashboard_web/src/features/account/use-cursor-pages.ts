"use client";

import { useState } from "react";
import { useQuery } from "@/lib/use-query";

type Page<T> = { items: T[]; next_cursor?: string | null };
type More<T> = { key: string; items: T[]; cursor: string | null | undefined };

/** A cursor-paginated list that grows with "Load more": the first page reloads when `key`
 * changes (new filters), the pages after it are kept per key so old ones never mix in. */
export function useCursorPages<T>(key: readonly unknown[], load: (cursor: string | null) => Promise<Page<T>>, enabled = true) {
  const serialized = JSON.stringify(key);
  const first = useQuery(key, () => load(null), enabled);
  const [more, setMore] = useState<More<T> | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  const extra = more && more.key === serialized ? more : null;
  const items = first.data ? [...first.data.items, ...(extra?.items ?? [])] : undefined;
  const cursor = extra ? extra.cursor : first.data?.next_cursor;

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await load(cursor);
      setMore({ key: serialized, items: [...(extra?.items ?? []), ...page.items], cursor: page.next_cursor });
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  const reload = async () => {
    setMore(null);
    await first.reload();
  };

  return {
    query: { data: items, error: first.error, loading: first.loading, reload },
    hasMore: Boolean(cursor),
    loadMore,
    loadingMore,
    moreError,
  };
}
