"use client";

import { CheckCircle2, Circle } from "lucide-react";
import Link from "next/link";
import { api, unwrap } from "@/api/client";
import { QueryView } from "@/components/states";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { buildChecklist, progressText, type ChecklistInput } from "@/features/account/onboarding";
import { useQuery } from "@/lib/use-query";

type Live = Omit<ChecklistInput, "emailVerified">;

// One page of each list is enough to know whether something exists; the checklist only
// asks "is there at least one".
async function loadLive(): Promise<Live> {
  const [business, stores, bots, conversations] = await Promise.all([
    unwrap(api.GET("/v1/business")),
    unwrap(api.GET("/v1/stores", { params: { query: { limit: 100 } } })),
    unwrap(api.GET("/v1/bots", { params: { query: { limit: 100 } } })),
    unwrap(api.GET("/v1/conversations", { params: { query: { limit: 1 } } })),
  ]);
  return { business, stores: stores.items, bots: bots.items, conversations: conversations.items };
}

export function OnboardingChecklist({ emailVerified }: { emailVerified: boolean }) {
  const query = useQuery(["onboarding"], loadLive);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Your setup</CardTitle>
        <CardDescription>Each step is checked against your live data.</CardDescription>
      </CardHeader>
      <CardContent>
        <QueryView query={query}>
          {(live) => {
            const items = buildChecklist({ ...live, emailVerified });
            return (
              <>
                <p className="mb-3 text-sm font-medium" role="status">
                  {progressText(items)}
                </p>
                <ol className="divide-y rounded-md border">
                  {items.map((item) => (
                    <li key={item.id} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center">
                      <div className="flex flex-1 items-start gap-3">
                        {item.done ? (
                          <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-green-700" aria-hidden="true" />
                        ) : (
                          <Circle className="mt-0.5 size-5 shrink-0 text-muted-foreground" aria-hidden="true" />
                        )}
                        <div>
                          <p className="font-medium">
                            <span>{item.label}</span>
                            <span className="sr-only">{item.done ? " (done)" : " (not done)"}</span>
                          </p>
                          <p className="text-sm text-muted-foreground">{item.hint}</p>
                        </div>
                      </div>
                      <div className="flex items-center gap-3 pl-8 sm:pl-0">
                        <span aria-hidden="true" className={item.done ? "text-sm text-green-800" : "text-sm text-muted-foreground"}>
                          {item.done ? "Done" : "To do"}
                        </span>
                        {item.id !== "verify" ? (
                          <Link
                            href={item.href}
                            aria-label={`${item.done ? "Review" : "Start"}: ${item.label}`}
                            className="text-sm text-primary underline"
                          >
                            {item.done ? "Review" : "Start"}
                          </Link>
                        ) : null}
                      </div>
                    </li>
                  ))}
                </ol>
              </>
            );
          }}
        </QueryView>
      </CardContent>
    </Card>
  );
}
