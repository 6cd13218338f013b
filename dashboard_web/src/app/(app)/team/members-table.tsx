"use client";

import { useState } from "react";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { EmptyState, QueryView } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { LazyConfirmDialog } from "@/features/account/lazy";
import { formatDate } from "@/features/account/format";
import { NativeSelect } from "@/components/ui/native-select";
import { assignableRoles, atLeast } from "@/features/account/roles";
import type { Role } from "@/lib/schemas/account";
import { useQuery } from "@/lib/use-query";

type Member = components["schemas"]["MemberOut"];
type Pending = { kind: "role"; member: Member; role: Role } | { kind: "remove"; member: Member };

export function MembersTable({ myRole, myUserId }: { myRole: string | undefined; myUserId: string | null }) {
  const query = useQuery(["team-members"], () => unwrap(api.GET("/v1/team/members", { params: { query: { limit: 100 } } })));
  const [pending, setPending] = useState<Pending | null>(null);
  const [status, setStatus] = useState("");
  const isAdmin = atLeast(myRole, "admin");
  const roles = assignableRoles(myRole);

  const apply = async () => {
    if (!pending) return;
    const path = { user_id: pending.member.user_id };
    if (pending.kind === "role") {
      await unwrap(api.PATCH("/v1/team/members/{user_id}", { params: { path }, body: { role: pending.role } }));
      setStatus(`${pending.member.email} is now ${pending.role}.`);
    } else {
      await unwrap(api.DELETE("/v1/team/members/{user_id}", { params: { path } }));
      setStatus(`${pending.member.email} was removed.`);
    }
    await query.reload();
  };

  return (
    <section aria-labelledby="members-heading" className="grid gap-3">
      <h2 id="members-heading" className="text-lg font-semibold">
        Members
      </h2>
      <p role="status" className="text-sm font-medium">
        {status}
      </p>
      <QueryView query={query} isEmpty={(page) => page.items.length === 0} empty={<EmptyState title="No members yet" />}>
        {(page) => (
          <Table>
            <caption className="sr-only">Members of this business</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Email</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Joined</TableHead>
                {isAdmin ? <TableHead>Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.items.map((member) => {
                // Only an owner may change or remove an owner (the server says the same).
                const locked = member.role === "owner" && myRole !== "owner";
                const isMe = member.user_id === myUserId;
                return (
                  <TableRow key={member.user_id}>
                    <TableCell className="break-all">
                      {member.email}
                      {isMe ? <span className="text-muted-foreground"> (you)</span> : null}
                    </TableCell>
                    <TableCell className="min-w-32">
                      {isAdmin && !locked ? (
                        <NativeSelect
                          aria-label={`Role of ${member.email}`}
                          value={member.role}
                          onChange={(event) => setPending({ kind: "role", member, role: event.target.value as Role })}
                        >
                          {(roles.includes(member.role) ? roles : [member.role, ...roles]).map((role) => (
                            <option key={role} value={role}>
                              {role}
                            </option>
                          ))}
                        </NativeSelect>
                      ) : (
                        <span className="capitalize">{member.role}</span>
                      )}
                    </TableCell>
                    <TableCell className="whitespace-nowrap">{formatDate(member.joined_at)}</TableCell>
                    {isAdmin ? (
                      <TableCell>
                        {locked ? (
                          <span className="text-sm text-muted-foreground">Only an owner can change an owner</span>
                        ) : (
                          <Button variant="outline" size="sm" onClick={() => setPending({ kind: "remove", member })}>
                            Remove<span className="sr-only"> {member.email}</span>
                          </Button>
                        )}
                      </TableCell>
                    ) : null}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </QueryView>
      {pending ? (
        <LazyConfirmDialog
          open
          onOpenChange={(open) => !open && setPending(null)}
          title={pending.kind === "remove" ? "Remove this member?" : "Change this member's role?"}
          description={
            pending.kind === "remove"
              ? `${pending.member.email} loses access to this business at once.`
              : `${pending.member.email} becomes ${pending.role}; the change applies to their next request.`
          }
          confirmLabel={pending.kind === "remove" ? "Remove member" : "Change role"}
          onConfirm={apply}
        />
      ) : null}
    </section>
  );
}
