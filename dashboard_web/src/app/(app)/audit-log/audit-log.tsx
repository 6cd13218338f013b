"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { api, unwrap } from "@/api/client";
import { PageHeader } from "@/components/page-header";
import { EmptyState, ErrorState, QueryView } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { atLeast } from "@/features/account/roles";
import { useCursorPages } from "@/features/account/use-cursor-pages";
import { auditQuery } from "@/features/account/audit-query";
import type { AuditFilterValues } from "@/lib/schemas/account";
import { useQuery } from "@/lib/use-query";
import { useAuth } from "@/stores/auth";
import { AuditTable } from "./audit-table";

// The filter form (React Hook Form + zod/mini) is not needed to read the newest entries.
const AuditFilters = dynamic(() => import("./audit-filters").then((module) => module.AuditFilters), { ssr: false });

const NO_FILTERS: AuditFilterValues = { action: "", actor: "", from: "", to: "" };

export function AuditLog() {
  const isAdmin = atLeast(useAuth((state) => state.me?.role), "admin");
  const [filters, setFilters] = useState<AuditFilterValues>(NO_FILTERS);
  const list = useCursorPages(
    ["audit-log", filters],
    (cursor) => unwrap(api.GET("/v1/audit-log", { params: { query: { ...auditQuery(filters), cursor, limit: 50 } } })),
    isAdmin,
  );
  // Names for actor ids and the business's time zone; the log still shows without them.
  const context = useQuery(
    ["audit-context"],
    async () => {
      const [members, business] = await Promise.all([
        unwrap(api.GET("/v1/team/members", { params: { query: { limit: 100 } } })),
        unwrap(api.GET("/v1/business")),
      ]);
      return { members: members.items, timeZone: business.timezone };
    },
    isAdmin,
  );
  const members = context.data?.members ?? [];

  return (
    <div className="grid gap-4">
      <PageHeader title="Audit log" description="Who did what in this business: sign-ins, team and key changes, store and bot actions." />
      {!isAdmin ? (
        <Alert variant="info">Only owners and admins can read the audit log.</Alert>
      ) : (
        <>
          <AuditFilters members={members} onApply={setFilters} />
          <QueryView
            query={list.query}
            isEmpty={(items) => items.length === 0}
            empty={<EmptyState title="No entries">Nothing matches these filters yet.</EmptyState>}
          >
            {(items) => (
              <div className="grid gap-3">
                <AuditTable entries={items} members={members} timeZone={context.data?.timeZone} />
                {list.moreError ? <ErrorState error={list.moreError} title="More entries could not be loaded" /> : null}
                {list.hasMore ? (
                  <Button variant="outline" className="justify-self-center" disabled={list.loadingMore} onClick={() => void list.loadMore()}>
                    {list.loadingMore ? "Loading…" : "Load more"}
                  </Button>
                ) : (
                  <p className="text-center text-sm text-muted-foreground">That is everything.</p>
                )}
              </div>
            )}
          </QueryView>
        </>
      )}
    </div>
  );
}
