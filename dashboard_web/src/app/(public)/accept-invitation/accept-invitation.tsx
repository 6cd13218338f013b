"use client";

// How POST /v1/team/invitations/accept works (dashboard_api/team/service.py): the emailed
// token is the credential. Signed in, the current account joins (its email must be the
// invited one). Signed out, a password creates the account for the invited email (verified,
// since the email was received); if that email already has an account the API answers 401
// and the person signs in first, then comes back to this same link.
import dynamic from "next/dynamic";
import Link from "next/link";
import { useEffect, useState } from "react";
import { api, unwrap } from "@/api/client";
import { describeError } from "@/api/problem";
import { LoadingState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { PublicCardHeader } from "@/features/account/public-card";
import { useTokenParam } from "@/features/account/use-token-param";
import { useAuth } from "@/stores/auth";

// Only someone without a session needs the form (React Hook Form + zod/mini): it loads then.
const NewAccountForm = dynamic(() => import("./new-account-form").then((module) => module.NewAccountForm), {
  ssr: false,
  loading: () => <LoadingState rows={2} />,
});

export function AcceptInvitation() {
  const token = useTokenParam();
  const { status, me, restore } = useAuth();
  const [joined, setJoined] = useState<{ role: string; newAccount: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signInHref = `/sign-in/?next=${encodeURIComponent(`/accept-invitation/?token=${token}`)}`;

  useEffect(() => {
    void restore();
  }, [restore]);

  const acceptAsMe = async () => {
    setBusy(true);
    setError(null);
    try {
      const accepted = await unwrap(api.POST("/v1/team/invitations/accept", { body: { token } }));
      setJoined({ role: accepted.role, newAccount: false });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (!token) {
    body = <Alert variant="destructive">This link has no invitation token. Open the link from the email again.</Alert>;
  } else if (joined) {
    body = (
      <>
        <Alert variant="success">
          You joined the team as {joined.role}.{" "}
          {joined.newAccount
            ? "Your account is ready: sign in with the invited email and the password you chose."
            : "The business now appears among your memberships."}
        </Alert>
        <Button asChild>
          <Link href={joined.newAccount ? "/sign-in/" : "/"}>{joined.newAccount ? "Sign in" : "Continue"}</Link>
        </Button>
      </>
    );
  } else if (status === "unknown") {
    body = <LoadingState label="Checking your session…" rows={1} />;
  } else if (status === "signed-in") {
    body = (
      <>
        <p className="text-sm">
          You are signed in as <strong>{me?.email}</strong>. Accepting adds this account to the business that invited
          you; the invitation must have been sent to this email.
        </p>
        {error ? <Alert variant="destructive">{error}</Alert> : null}
        <Button onClick={() => void acceptAsMe()} disabled={busy}>
          {busy ? "Joining…" : "Accept invitation"}
        </Button>
      </>
    );
  } else {
    body = (
      <>
        <p className="text-sm">
          New to Shopbot? Choose a password to create your account with the email the invitation was sent to.
          Already have an account?{" "}
          <Link href={signInHref} className="text-primary underline">
            Sign in first
          </Link>
          , then this link brings you back here.
        </p>
        <NewAccountForm token={token} signInHref={signInHref} onJoined={(role) => setJoined({ role, newAccount: true })} />
      </>
    );
  }

  return (
    <Card>
      <PublicCardHeader title="Join your team on Shopbot" />
      <CardContent className="grid gap-4">{body}</CardContent>
    </Card>
  );
}
