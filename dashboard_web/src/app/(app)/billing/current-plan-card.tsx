import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatPrice, standingNotes, statusWords, type Billing } from "@/features/billing/plans";

export function CurrentPlanCard({ billing }: { billing: Billing }) {
  const status = statusWords(billing.status);
  const notes = standingNotes(billing);
  const urgent = billing.status === "past_due" || billing.status === "unpaid";
  return (
    <Card>
      <CardHeader>
        <CardTitle>Current plan</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-xl font-semibold">{billing.plan.name}</p>
          {billing.plan.monthly_price_cents > 0 ? <p className="text-muted-foreground">{formatPrice(billing.plan)}</p> : null}
          <Badge variant={status.tone}>
            <span className="sr-only">Status: </span>
            {status.label}
          </Badge>
          {billing.cancel_at_period_end ? <Badge variant="warning">Cancels at period end</Badge> : null}
        </div>
        {notes.length > 0 ? (
          <ul className={urgent ? "grid gap-1 text-sm font-medium text-warning" : "grid gap-1 text-sm text-muted-foreground"}>
            {notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        ) : null}
      </CardContent>
    </Card>
  );
}
