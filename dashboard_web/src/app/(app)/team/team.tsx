"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { atLeast } from "@/features/account/roles";
import { useAuth } from "@/stores/auth";
import { InvitationsTable } from "./invitations-table";
import { MembersTable } from "./members-table";

// Loaded on the first click: the form and dialog code are not needed to read the team.
const InviteDialog = dynamic(() => import("./invite-dialog").then((module) => module.InviteDialog), { ssr: false });

export function Team() {
  const me = useAuth((state) => state.me);
  const isAdmin = atLeast(me?.role, "admin");
  const [inviteOpen, setInviteOpen] = useState(false);
  // Bumped after an invitation is sent so the invitations list loads again.
  const [invitationsVersion, setInvitationsVersion] = useState(0);

  return (
    <div className="grid max-w-5xl gap-8">
      <PageHeader
        title="Team"
        description={
          isAdmin
            ? "Members and their roles. Each member and each pending invitation takes a seat of your plan."
            : "Members and their roles. Only owners and admins can invite people or change roles."
        }
        actions={isAdmin ? <Button onClick={() => setInviteOpen(true)}>Invite a teammate</Button> : null}
      />
      <MembersTable myRole={me?.role} myUserId={me?.user_id ?? null} />
      {isAdmin ? <InvitationsTable version={invitationsVersion} /> : null}
      {isAdmin && inviteOpen ? (
        <InviteDialog
          open
          onOpenChange={setInviteOpen}
          myRole={me?.role}
          onInvited={() => setInvitationsVersion((current) => current + 1)}
        />
      ) : null}
    </div>
  );
}
