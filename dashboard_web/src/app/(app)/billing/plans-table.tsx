"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { comparisonRows, formatPrice, planAction, type Billing, type PlanOffer } from "@/features/billing/plans";

type Props = {
  plans: PlanOffer[];
  billing: Billing;
  isOwner: boolean;
  /** Why no plan can be bought here now (payments not set up), or null. */
  blockedReason: string | null;
  pendingPlan: string | null;
  onChoose: (plan: PlanOffer) => void;
};

/** The plans side by side: one column per plan, one row per limit, the action last. */
export function PlansTable({ plans, billing, isOwner, blockedReason, pendingPlan, onChoose }: Props) {
  const rows = comparisonRows(plans);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Compare plans</CardTitle>
        <CardDescription>The limits of each plan. Changing plan takes you to the payment provider to confirm.</CardDescription>
      </CardHeader>
      <CardContent>
        {/* `relative` keeps the sr-only (absolutely placed) texts inside the scrolling box:
            without it they widen the page at 390 px. */}
        <Table className="relative">
          <caption className="sr-only">Plans and their limits</caption>
          <TableHeader>
            <TableRow>
              <TableHead>Limit</TableHead>
              {plans.map((plan) => (
                <TableHead key={plan.code} className="min-w-36 text-foreground">
                  <span className="font-semibold">{plan.name}</span>
                  {plan.current ? (
                    <Badge variant="success" className="ml-2">
                      Current
                    </Badge>
                  ) : null}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            <TableRow>
              <TableHead scope="row">Price</TableHead>
              {plans.map((plan) => (
                <TableCell key={plan.code} className="font-medium">
                  {formatPrice(plan)}
                </TableCell>
              ))}
            </TableRow>
            {rows.map((row) => (
              <TableRow key={row.key}>
                <TableHead scope="row">{row.label}</TableHead>
                {row.values.map((value, index) => (
                  <TableCell key={plans[index]?.code ?? index} className="tabular-nums">
                    {value}
                  </TableCell>
                ))}
              </TableRow>
            ))}
            <TableRow>
              <TableHead scope="row">
                <span className="sr-only">Choose</span>
              </TableHead>
              {plans.map((plan) => (
                <TableCell key={plan.code} className="align-top">
                  <PlanButton
                    plan={plan}
                    billing={billing}
                    isOwner={isOwner}
                    blockedReason={blockedReason}
                    pending={pendingPlan === plan.code}
                    busy={pendingPlan !== null}
                    onChoose={onChoose}
                  />
                </TableCell>
              ))}
            </TableRow>
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}

function PlanButton({
  plan,
  billing,
  isOwner,
  blockedReason,
  pending,
  busy,
  onChoose,
}: Omit<Props, "plans" | "pendingPlan"> & { plan: PlanOffer; pending: boolean; busy: boolean }) {
  const action = planAction(plan, billing.plan, billing.status, isOwner);
  if (action.kind === "current") return <span className="text-sm text-muted-foreground">Your plan</span>;
  // For the owner, "payments are not set up" explains a plan that is not purchasable too.
  const reason = isOwner ? (blockedReason ?? action.disabledReason) : action.disabledReason;
  const reasonId = `plan-${plan.code}-reason`;
  return (
    <div className="grid gap-1">
      <Button size="sm" variant={action.label === "Upgrade" ? "default" : "outline"} disabled={reason !== null || busy} aria-describedby={reason ? reasonId : undefined} onClick={() => onChoose(plan)}>
        {pending ? "Opening…" : action.label}
        <span className="sr-only"> to {plan.name}</span>
      </Button>
      {reason ? (
        <p id={reasonId} className="max-w-40 text-xs text-muted-foreground">
          {reason}
        </p>
      ) : null}
    </div>
  );
}
