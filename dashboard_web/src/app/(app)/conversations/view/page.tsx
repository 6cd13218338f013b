import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingState } from "@/components/states";
import { ConversationView } from "./conversation-view";

export const metadata: Metadata = { title: "Conversation" };

export default function Page() {
  return (
    <Suspense fallback={<LoadingState />}>
      <ConversationView />
    </Suspense>
  );
}
