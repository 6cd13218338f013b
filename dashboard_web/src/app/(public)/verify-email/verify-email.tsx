"use client";

import { CheckCircle2 } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { api, unwrap } from "@/api/client";
import { describeError } from "@/api/problem";
import { LoadingState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { PublicCardHeader } from "@/features/account/public-card";
import { useTokenParam } from "@/features/account/use-token-param";
import { useAuth } from "@/stores/auth";

type Outcome = { state: "verifying" } | { state: "verified" } | { state: "failed"; message: string };

export function VerifyEmail() {
  const token = useTokenParam();
  const [outcome, setOutcome] = useState<Outcome>(() =>
    token ? { state: "verifying" } : { state: "failed", message: "This link has no token. Open the link from the email again." },
  );
  // A token is single-use: strict mode's second effect run must not post it again.
  const posted = useRef(false);

  useEffect(() => {
    if (posted.current || !token) return;
    posted.current = true;
    unwrap(api.POST("/v1/auth/verify-email", { body: { token } }))
      .then(async () => {
        setOutcome({ state: "verified" });
        // A signed-in tab (a cookie session exists) refreshes `me` so the banner goes away.
        const auth = useAuth.getState();
        await auth.restore().catch(() => undefined);
        if (useAuth.getState().status === "signed-in") await auth.reloadMe().catch(() => undefined);
      })
      .catch((error: unknown) => setOutcome({ state: "failed", message: describeError(error) }));
  }, [token]);

  return (
    <Card>
      <PublicCardHeader title="Verify your email" />
      <CardContent className="grid gap-4">
        {outcome.state === "verifying" ? <LoadingState label="Verifying your email…" rows={1} /> : null}
        {outcome.state === "verified" ? (
          <>
            <p role="status" className="flex items-center gap-2 font-medium">
              <CheckCircle2 className="size-5 text-green-700" aria-hidden="true" />
              Email verified
            </p>
            <Button asChild>
              <Link href="/">Continue</Link>
            </Button>
          </>
        ) : null}
        {outcome.state === "failed" ? (
          <>
            <Alert variant="destructive">{outcome.message}</Alert>
            <p className="text-sm text-muted-foreground">
              Links expire, and each works once. Sign in and use “Resend verification email” on the Get started page
              to receive a new one.
            </p>
            <Button asChild variant="outline">
              <Link href="/sign-in/">Sign in</Link>
            </Button>
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
