import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingState } from "@/components/states";
import { ConversationsPage } from "./conversations-page";

export const metadata: Metadata = { title: "Conversations" };

export default function Page() {
  // The list reads `?deleted=` (a shopper's data was just deleted): a static export needs the
  // boundary for that.
  return (
    <Suspense fallback={<LoadingState />}>
      <ConversationsPage />
    </Suspense>
  );
}
