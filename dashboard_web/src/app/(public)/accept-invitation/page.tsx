import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingState } from "@/components/states";
import { AcceptInvitation } from "./accept-invitation";

export const metadata: Metadata = { title: "Join a team" };

export default function AcceptInvitationPage() {
  return (
    <Suspense fallback={<LoadingState rows={2} />}>
      <AcceptInvitation />
    </Suspense>
  );
}
