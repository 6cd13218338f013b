import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingState } from "@/components/states";
import { VerifyEmail } from "./verify-email";

export const metadata: Metadata = { title: "Verify your email" };

export default function VerifyEmailPage() {
  return (
    <Suspense fallback={<LoadingState label="Verifying your email…" rows={1} />}>
      <VerifyEmail />
    </Suspense>
  );
}
