"use client";

import { useState } from "react";
import { useQuery } from "@/lib/use-query";

type Page<T> = { items: T[]; next_cursor?: string | null };

export type Pager = { hasMore: boolean; loadingMore: boolean; moreError: unknown; loadMore: () => Promise<void> };

/** A cursor-paged list: the first page follows `key` (filters), "Load more" appends the next
 * pages. A new key or a reload starts again from the first page. */
export function usePaged<T>(key: readonly unknown[], load: (cursor: string | undefined) => Promise<Page<T>>) {
  const first = useQuery(key, () => load(undefined));
  const serialized = JSON.stringify(key);
  const [more, setMore] = useState<{ key: string; base: Page<T>; pages: Page<T>[] }>({ key: "", base: { items: [] }, pages: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  // Extra pages belong to one first page: a reload (a new first-page object) drops them.
  const extra = first.data && more.key === serialized && more.base === first.data ? more.pages : [];
  const last = extra.length ? extra[extra.length - 1] : first.data;
  const items = first.data ? [first.data, ...extra].flatMap((page) => page.items) : undefined;

  const loadMore = async () => {
    const cursor = last?.next_cursor;
    if (!cursor || !first.data) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await load(cursor);
      const base = first.data;
      setMore({ key: serialized, base, pages: [...extra, page] });
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  const pager: Pager = { hasMore: Boolean(last?.next_cursor), loadingMore, moreError, loadMore };
  return { data: items, error: first.error, loading: first.loading, reload: first.reload, pager };
}
