"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { PageHeader } from "@/components/page-header";
import { EmptyState, QueryView } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { LazyConfirmDialog } from "@/features/account/lazy";
import { formatDate, formatDateTime } from "@/features/account/format";
import { atLeast } from "@/features/account/roles";
import { useQuery } from "@/lib/use-query";
import { useAuth } from "@/stores/auth";

const CreateKeyDialog = dynamic(() => import("./create-key-dialog").then((module) => module.CreateKeyDialog), { ssr: false });

type ApiKey = components["schemas"]["ApiKeyOut"];

export function ApiKeys() {
  const role = useAuth((state) => state.me?.role);
  const isAdmin = atLeast(role, "admin");
  // The list is admin-only on the server too: other roles get the explanation, not a 403.
  const query = useQuery(["api-keys"], () => unwrap(api.GET("/v1/api-keys", { params: { query: { limit: 100 } } })), isAdmin);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [status, setStatus] = useState("");

  const revoke = async () => {
    if (!revoking) return;
    await unwrap(api.DELETE("/v1/api-keys/{api_key_id}", { params: { path: { api_key_id: revoking.id } } }));
    setStatus(`The key “${revoking.name}” was revoked.`);
    await query.reload();
  };

  return (
    <div className="grid max-w-5xl gap-4">
      <PageHeader
        title="API keys"
        description="Keys let your own scripts call the Shopbot API. A write key acts as an editor, a read key as a viewer."
        actions={isAdmin ? <Button onClick={() => setCreating(true)}>Create API key</Button> : null}
      />
      {!isAdmin ? (
        <Alert variant="info">Only owners and admins can see and manage API keys.</Alert>
      ) : (
        <>
          <p role="status" className="text-sm font-medium">
            {status}
          </p>
          <QueryView
            query={query}
            isEmpty={(page) => page.items.length === 0}
            empty={<EmptyState title="No API keys yet">Create one for each script or integration, so you can revoke it alone.</EmptyState>}
          >
            {(page) => (
              <Table>
                <caption className="sr-only">Active API keys</caption>
                <TableHeader>
                  <TableRow>
                    <TableHead>Name</TableHead>
                    <TableHead>Prefix</TableHead>
                    <TableHead>Access</TableHead>
                    <TableHead>Created</TableHead>
                    <TableHead>Last used</TableHead>
                    <TableHead>Expires</TableHead>
                    <TableHead>Actions</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {page.items.map((key) => (
                    <TableRow key={key.id}>
                      <TableCell className="font-medium">{key.name}</TableCell>
                      <TableCell>
                        <code className="whitespace-nowrap">{key.prefix}…</code>
                      </TableCell>
                      <TableCell>
                        <Badge variant="secondary">{key.scopes.includes("write") ? "Read and write" : "Read only"}</Badge>
                      </TableCell>
                      <TableCell className="whitespace-nowrap">{formatDate(key.created_at)}</TableCell>
                      <TableCell className="whitespace-nowrap">{key.last_used_at ? formatDateTime(key.last_used_at) : "Never"}</TableCell>
                      <TableCell className="whitespace-nowrap">{key.expires_at ? formatDate(key.expires_at) : "Never"}</TableCell>
                      <TableCell>
                        <Button variant="outline" size="sm" onClick={() => setRevoking(key)}>
                          Revoke<span className="sr-only"> {key.name}</span>
                        </Button>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </QueryView>
          {creating ? <CreateKeyDialog open onOpenChange={setCreating} onCreated={() => void query.reload()} /> : null}
          {revoking ? (
            <LazyConfirmDialog
              open
              onOpenChange={(open) => !open && setRevoking(null)}
              title="Revoke this API key?"
              description={`Scripts using “${revoking?.name ?? ""}” stop working at once. This cannot be undone.`}
              confirmLabel="Revoke key"
              onConfirm={revoke}
            />
          ) : null}
        </>
      )}
    </div>
  );
}
