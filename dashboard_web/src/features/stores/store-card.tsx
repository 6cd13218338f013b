"use client";

import Link from "next/link";
import { useState } from "react";
import { api, unwrap } from "@/api/client";
import { describeError } from "@/api/problem";
import type { components } from "@/api/schema";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { RelativeTime } from "@/components/relative-time";
import { SyncPanel } from "./sync-panel";
import { TestResultView } from "./test-result-view";
import { UpdateCredentialsDialog } from "./update-credentials-dialog";

export type Store = components["schemas"]["StoreOut"];
type TestResult = components["schemas"]["StoreTestResult"];

const STATUS: Record<string, { label: string; variant: "success" | "destructive" | "secondary" }> = {
  active: { label: "Connected", variant: "success" },
  error: { label: "Needs attention", variant: "destructive" },
  disconnected: { label: "Disconnected", variant: "secondary" },
};

export function StoreCard({ store, canWrite, onChanged }: { store: Store; canWrite: boolean; onChanged: () => void }) {
  const status = STATUS[store.status] ?? { label: store.status, variant: "secondary" as const };
  const [check, setCheck] = useState<TestResult | null>(null);
  const [checkError, setCheckError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);

  const runCheck = async () => {
    setChecking(true);
    setCheckError(null);
    try {
      setCheck(await unwrap(api.POST("/v1/stores/{store_id}/test", { params: { path: { store_id: store.id } } })));
      onChanged();
    } catch (error) {
      setCheckError(error);
    } finally {
      setChecking(false);
    }
  };

  return (
    <Card>
      <CardHeader>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <CardTitle className="break-all">{store.name || store.base_url}</CardTitle>
          <Badge variant={status.variant}>{status.label}</Badge>
        </div>
        {store.name ? <CardDescription className="break-all">{store.base_url}</CardDescription> : null}
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-[auto_1fr]">
          <dt className="text-muted-foreground">Products</dt>
          <dd>{store.product_count}</dd>
          <dt className="text-muted-foreground">Last sync</dt>
          <dd>{store.last_synced_at ? <RelativeTime iso={store.last_synced_at} /> : "Never"}</dd>
          <dt className="text-muted-foreground">Live updates</dt>
          <dd>{webhookText(store.webhooks)}</dd>
        </dl>
        {store.last_error && store.status === "error" ? <Alert variant="destructive">{store.last_error}</Alert> : null}
        {store.suspended_by_plan ? (
          <Alert variant="warning">
            Your current plan has no room for this store, so it does not sync and the bots do not use its products.{" "}
            <Link href="/billing/" className="font-medium underline">
              Upgrade your plan
            </Link>{" "}
            to turn it back on.
          </Alert>
        ) : null}
        {store.sync_warning ? (
          <Alert variant="warning">
            {store.sync_warning}{" "}
            <Link href="/billing/" className="font-medium underline">
              See plans
            </Link>
          </Alert>
        ) : null}
        <SyncPanel storeId={store.id} canWrite={canWrite && !store.suspended_by_plan} onStoreChanged={onChanged} />
        {checkError ? <Alert variant="destructive">{describeError(checkError)}</Alert> : null}
        {check ? <TestResultView info={check.store} problem={check.error} /> : null}
      </CardContent>
      <CardFooter className="flex-wrap">
        <Button size="sm" variant="outline" onClick={() => void runCheck()} disabled={!canWrite || checking}>
          {checking ? "Checking…" : "Check connection"}
        </Button>
        <UpdateCredentialsDialog storeId={store.id} disabled={!canWrite} onUpdated={onChanged} />
        <ConfirmDialog
          trigger="Remove store"
          title={`Remove ${store.name || store.base_url}?`}
          description="Shopbot deletes this store's products and sync history and stops answering about them. Your WooCommerce store itself is not changed; you can connect it again later."
          confirmLabel="Remove store"
          disabled={!canWrite}
          onConfirm={async () => {
            await unwrap(api.DELETE("/v1/stores/{store_id}", { params: { path: { store_id: store.id } } }));
            onChanged();
          }}
        />
      </CardFooter>
    </Card>
  );
}

function webhookText(webhooks: Store["webhooks"]): string {
  if (webhooks.error) return `Not set up: ${webhooks.error}. Products still update with each sync.`;
  const topics = webhooks.topics ?? [];
  if (topics.length === 0) return "Not set up: products update with each sync.";
  return `On (${topics.join(", ")})`;
}
