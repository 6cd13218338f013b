"use client";

import { Download } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { api, unwrap } from "@/api/client";
import { describeError } from "@/api/problem";
import { PageHeader } from "@/components/page-header";
import { EmptyState, QueryView } from "@/components/states";
import { Button } from "@/components/ui/button";
import { ConversationsTable } from "@/features/conversations/conversations-table";
import { downloadConversationsCsv } from "@/features/conversations/export";
import { FilterBar } from "@/features/conversations/filter-bar";
import { DeletedNotice } from "@/features/privacy/deleted-notice";
import { dateRangeError, filtersToQuery, NO_FILTERS } from "@/features/conversations/filters";
import { LoadMore } from "@/components/load-more";
import { usePaged } from "@/lib/use-paged";
import { useQuery } from "@/lib/use-query";

export function ConversationsPage() {
  const deleted = useSearchParams().get("deleted");
  const [filters, setFilters] = useState(NO_FILTERS);
  const [exportState, setExportState] = useState<{ busy: boolean; message: string | null; failed: boolean }>({ busy: false, message: null, failed: false });
  const valid = dateRangeError(filters) === null;
  const query = useMemo(() => filtersToQuery(filters), [filters]);
  const bots = useQuery(["bots"], () => unwrap(api.GET("/v1/bots", { params: { query: { limit: 100 } } })));
  const botNames = useMemo(() => new Map((bots.data?.items ?? []).map((bot) => [bot.id, bot.name])), [bots.data]);
  const conversations = usePaged(["conversations", query], (cursor) =>
    unwrap(api.GET("/v1/conversations", { params: { query: { ...query, limit: 50, cursor } } })),
  );
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  const exportCsv = async () => {
    setExportState({ busy: true, message: "Preparing the CSV…", failed: false });
    try {
      const filename = await downloadConversationsCsv(query);
      setExportState({ busy: false, message: `Downloaded ${filename}.`, failed: false });
    } catch (error) {
      setExportState({ busy: false, message: `The export failed: ${describeError(error)}`, failed: true });
    }
  };

  return (
    <>
      <PageHeader
        title="Conversations"
        description="What shoppers asked your assistant and what it answered."
        actions={
          <Button variant="outline" onClick={() => void exportCsv()} disabled={exportState.busy || !valid}>
            <Download aria-hidden="true" />
            Export CSV
          </Button>
        }
      />
      <div className="grid gap-4">
        <div role="status" aria-live="polite" className="grid gap-1">
          <DeletedNotice deleted={deleted} />
          <p className={exportState.failed ? "text-sm text-destructive" : "text-sm"}>{exportState.message}</p>
        </div>
        <FilterBar filters={filters} bots={bots.data?.items ?? []} onChange={setFilters} />
        <QueryView
          query={conversations}
          isEmpty={(items) => items.length === 0}
          empty={
            filtered ? (
              <EmptyState title="No conversation matches these filters">Widen the dates or clear a filter.</EmptyState>
            ) : (
              <EmptyState title="No conversations yet">
                Conversations appear here once shoppers chat with your assistant. Make sure the widget is installed on your store:{" "}
                <Link href="/install/" className="text-primary underline">
                  install the widget
                </Link>
                .
              </EmptyState>
            )
          }
        >
          {(items) => (
            <div className="grid gap-4">
              <ConversationsTable conversations={items} botNames={botNames} />
              <LoadMore pager={conversations.pager} />
            </div>
          )}
        </QueryView>
      </div>
    </>
  );
}
