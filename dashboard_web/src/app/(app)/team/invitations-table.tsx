"use client";

import { useState } from "react";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { EmptyState, QueryView } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { LazyConfirmDialog } from "@/features/account/lazy";
import { formatDateTime } from "@/features/account/format";
import { useQuery } from "@/lib/use-query";

type Invitation = components["schemas"]["InvitationOut"];

/** Pending invitations (admins only): each holds a seat until accepted, revoked or expired. */
export function InvitationsTable({ version }: { version: number }) {
  const query = useQuery(["team-invitations", version], () =>
    unwrap(api.GET("/v1/team/invitations", { params: { query: { limit: 100, pending: true } } })),
  );
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [status, setStatus] = useState("");
  const { reload } = query;

  const revoke = async () => {
    if (!revoking) return;
    await unwrap(api.DELETE("/v1/team/invitations/{invitation_id}", { params: { path: { invitation_id: revoking.id } } }));
    setStatus(`The invitation to ${revoking.email} was revoked.`);
    await reload();
  };

  return (
    <section aria-labelledby="invitations-heading" className="grid gap-3">
      <h2 id="invitations-heading" className="text-lg font-semibold">
        Pending invitations
      </h2>
      <p role="status" className="text-sm font-medium">
        {status}
      </p>
      <QueryView
        query={query}
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No pending invitations">Invite a teammate to share the work.</EmptyState>}
      >
        {(page) => (
          <Table>
            <caption className="sr-only">Invitations not accepted yet</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Email</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead>Actions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.items.map((invitation) => (
                <TableRow key={invitation.id}>
                  <TableCell className="break-all">{invitation.email}</TableCell>
                  <TableCell className="capitalize">{invitation.role}</TableCell>
                  <TableCell className="whitespace-nowrap">{formatDateTime(invitation.expires_at)}</TableCell>
                  <TableCell>
                    <Button variant="outline" size="sm" onClick={() => setRevoking(invitation)}>
                      Revoke<span className="sr-only"> the invitation to {invitation.email}</span>
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </QueryView>
      {revoking ? (
        <LazyConfirmDialog
          open
          onOpenChange={(open) => !open && setRevoking(null)}
          title="Revoke this invitation?"
          description={`The link sent to ${revoking?.email ?? ""} stops working and its seat is freed.`}
          confirmLabel="Revoke invitation"
          onConfirm={revoke}
        />
      ) : null}
    </section>
  );
}
