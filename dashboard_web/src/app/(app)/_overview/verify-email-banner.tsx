"use client";

import { MailWarning } from "lucide-react";
import { useState } from "react";
import { api, unwrap } from "@/api/client";
import { describeError } from "@/api/problem";
import { Alert, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function VerifyEmailBanner() {
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const resend = async () => {
    setSending(true);
    setResult(null);
    try {
      const answer = await unwrap(api.POST("/v1/auth/resend-verification"));
      setResult({ ok: true, text: answer.detail });
    } catch (error) {
      setResult({ ok: false, text: describeError(error) });
    } finally {
      setSending(false);
    }
  };

  return (
    <Alert variant="warning">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <MailWarning className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <div className="flex-1">
          <AlertTitle>Your email is not verified yet</AlertTitle>
          <p>Open the link we emailed you. Without a verified email you cannot recover your account.</p>
          {result ? (
            <p className={result.ok ? "mt-2 font-medium" : "mt-2 font-medium text-destructive"}>{result.text}</p>
          ) : null}
        </div>
        <Button size="sm" variant="outline" onClick={() => void resend()} disabled={sending}>
          {sending ? "Sending…" : "Resend verification email"}
        </Button>
      </div>
    </Alert>
  );
}
