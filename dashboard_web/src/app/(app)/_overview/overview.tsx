"use client";

import { PageHeader } from "@/components/page-header";
import { useAuth } from "@/stores/auth";
import { OnboardingChecklist } from "./onboarding-checklist";
import { SummaryNumbers } from "./summary-numbers";
import { VerifyEmailBanner } from "./verify-email-banner";

export function Overview() {
  const me = useAuth((state) => state.me);
  return (
    <div className="grid max-w-4xl gap-6">
      <PageHeader title="Get started" description="Seven steps from sign-up to your first shopper conversation." />
      {me && !me.email_verified && me.user_id ? <VerifyEmailBanner /> : null}
      <OnboardingChecklist emailVerified={Boolean(me?.email_verified)} />
      <SummaryNumbers />
    </div>
  );
}
