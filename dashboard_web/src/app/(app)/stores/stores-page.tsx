"use client";

import { api, unwrap } from "@/api/client";
import { PageHeader } from "@/components/page-header";
import { EmptyState, QueryView } from "@/components/states";
import { ConnectStoreDialog } from "@/features/stores/connect-store-dialog";
import { READ_ONLY_REASON, useCanWrite } from "@/features/stores/roles";
import { StoreCard } from "@/features/stores/store-card";
import { useQuery } from "@/lib/use-query";

export function StoresPage() {
  const canWrite = useCanWrite();
  const stores = useQuery(["stores"], () => unwrap(api.GET("/v1/stores", { params: { query: { limit: 100 } } })));
  const reload = () => void stores.reload();

  return (
    <>
      <PageHeader
        title="Stores"
        description={canWrite ? "Your WooCommerce stores: Shopbot answers shoppers from their products." : READ_ONLY_REASON}
        actions={<ConnectStoreDialog disabled={!canWrite} onConnected={reload} />}
      />
      <QueryView
        query={stores}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState title="No store connected yet">
            Connect your WooCommerce store so the assistant can recommend your products. You need a REST API key from your WordPress admin.
          </EmptyState>
        }
      >
        {(page) => (
          <div className="grid gap-6">
            {page.items.map((store) => (
              <StoreCard key={store.id} store={store} canWrite={canWrite} onChanged={reload} />
            ))}
          </div>
        )}
      </QueryView>
    </>
  );
}
