import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingState } from "@/components/states";
import { BillingView } from "./billing-view";

export const metadata: Metadata = { title: "Billing" };

// BillingView reads the query string (the return from Stripe): Suspense is required for
// that in a static export.
export default function BillingPage() {
  return (
    <Suspense fallback={<LoadingState />}>
      <BillingView />
    </Suspense>
  );
}
