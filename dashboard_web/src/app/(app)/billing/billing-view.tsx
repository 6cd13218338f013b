"use client";

import { ExternalLink } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { PageHeader } from "@/components/page-header";
import { EmptyState, ErrorState, LoadingState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  checkoutUrl,
  describeBillingError,
  isNotSetUp,
  loadBilling,
  loadInvoices,
  loadPlans,
  NOT_SET_UP,
  portalUrl,
  returnNotice,
} from "@/features/billing/api";
import { usageMeters } from "@/features/billing/meters";
import type { PlanOffer } from "@/features/billing/plans";
import { useQuery } from "@/lib/use-query";
import { useAuth } from "@/stores/auth";
import { CurrentPlanCard } from "./current-plan-card";
import { InvoicesCard } from "./invoices-card";
import { PlansTable } from "./plans-table";
import { UsageCard } from "./usage-meters";

const OWNER_ONLY = "Only the business owner can change the plan or manage billing.";

export function BillingView() {
  const search = useSearchParams();
  const isOwner = useAuth((state) => state.me?.role === "owner");
  const billing = useQuery(["billing"], loadBilling);
  const plans = useQuery(["billing-plans"], loadPlans);
  const invoices = useQuery(["billing-invoices"], () => loadInvoices(null));
  const [pending, setPending] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const notice = returnNotice(search);
  const justChanged = notice?.tone === "success";
  const reloadBilling = billing.reload;
  const reloadPlans = plans.reload;
  useEffect(() => {
    // Stripe's webhook usually lands a moment after the browser is back: read once more.
    if (!justChanged) return;
    const timer = window.setTimeout(() => {
      void reloadBilling();
      void reloadPlans();
    }, 5000);
    return () => window.clearTimeout(timer);
  }, [justChanged, reloadBilling, reloadPlans]);
  const notSetUp = isNotSetUp(invoices.error) || isNotSetUp(actionError);
  const blockedReason = notSetUp ? "Online payments are not set up on this server." : null;

  // Stripe's pages (Checkout, the Customer Portal) are where the merchant pays or confirms.
  const redirect = async (key: string, url: () => Promise<string>) => {
    setPending(key);
    setActionError(null);
    try {
      window.location.assign(await url());
    } catch (error) {
      setActionError(error);
      setPending(null);
    }
  };
  const choose = (plan: PlanOffer) => void redirect(plan.code, () => checkoutUrl(plan.code));

  const manageReason = !isOwner ? OWNER_ONLY : blockedReason;
  const manage = (
    <div className="grid gap-1 sm:justify-items-end">
      <Button variant="outline" disabled={manageReason !== null || pending !== null} aria-describedby={manageReason ? "manage-billing-reason" : undefined} onClick={() => void redirect("portal", portalUrl)}>
        <ExternalLink aria-hidden="true" />
        {pending === "portal" ? "Opening…" : "Manage billing"}
      </Button>
      {manageReason ? (
        <p id="manage-billing-reason" className="max-w-64 text-xs text-muted-foreground sm:text-right">
          {manageReason}
        </p>
      ) : null}
    </div>
  );

  return (
    <>
      <PageHeader title="Billing" description="Your plan, what you use of it, and your invoices." actions={manage} />
      <div className="min-w-0 space-y-6">
        {notice ? <Alert variant={notice.tone}>{notice.text}</Alert> : null}
        {notSetUp ? <Alert variant="info">{NOT_SET_UP}</Alert> : null}
        {actionError && !isNotSetUp(actionError) ? <Alert variant="destructive">{describeBillingError(actionError)}</Alert> : null}
        {billing.error ? (
          <ErrorState error={billing.error} onRetry={() => void billing.reload()} />
        ) : billing.data === undefined ? (
          <LoadingState label="Loading your plan…" />
        ) : (
          <>
            <CurrentPlanCard billing={billing.data} />
            <UsageCard meters={usageMeters(billing.data.usage, billing.data.limits)} />
            {plans.error ? (
              <ErrorState error={plans.error} title="The plans could not be loaded" onRetry={() => void plans.reload()} />
            ) : plans.data === undefined ? (
              <LoadingState label="Loading the plans…" rows={2} />
            ) : plans.data.length > 0 ? (
              <PlansTable plans={plans.data} billing={billing.data} isOwner={isOwner} blockedReason={blockedReason} pendingPlan={pending} onChoose={choose} />
            ) : (
              <EmptyState title="No plans are on offer on this server" />
            )}
          </>
        )}
        <InvoicesCard query={invoices} />
      </div>
    </>
  );
}
