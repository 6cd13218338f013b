"use client";

import { useState } from "react";
import type { components } from "@/api/schema";
import { api, unwrap } from "@/api/client";
import { describeError } from "@/api/problem";
import { exactTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { atLeast } from "@/features/account/roles";
import { useAuth } from "@/stores/auth";

type Handoff = components["schemas"]["HandoffOut"];

/** The API's limit on one reply (dashboard_api/conversations/schemas.py REPLY_MAX_CHARS). */
export const REPLY_MAX_CHARS = 4000;

/** A shopper asked for a person: who and how to reach them, a reply box and "close". The
 * shopper's open widget shows the reply; otherwise it is emailed to them after 5 minutes. */
export function HandoffPanel({ conversationId, handoff, onChanged }: { conversationId: string; handoff: Handoff; onChanged: () => void }) {
  const canWrite = atLeast(useAuth((state) => state.me?.role), "editor");
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; failed: boolean } | null>(null);
  const open = handoff.state === "open";
  const path = { params: { path: { conversation_id: conversationId } } };

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      setStatus({ text: done, failed: false });
      onChanged();
    } catch (error) {
      setStatus({ text: describeError(error), failed: true });
    } finally {
      setBusy(false);
    }
  };
  const reply = () =>
    run(async () => {
      await unwrap(api.POST("/v1/conversations/{conversation_id}/replies", { ...path, body: { text: text.trim() } }));
      setText("");
    }, "Reply sent. The shopper sees it in the chat, or gets it by email.");
  const close = () => run(() => unwrap(api.POST("/v1/conversations/{conversation_id}/handoff/close", path)), "Hand-off closed.");

  return (
    <section aria-labelledby="handoff-heading" className="grid gap-3 rounded-lg border border-amber-300 p-4">
      <h2 id="handoff-heading" className="flex items-center gap-2 text-lg font-semibold">
        The shopper asked for a person
        <Badge variant={open ? "warning" : "outline"}>{open ? "Open" : "Closed"}</Badge>
      </h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="text-muted-foreground">Asked</dt>
        <dd>{handoff.requested_at ? exactTime(handoff.requested_at) : "—"}</dd>
        <dt className="text-muted-foreground">Email</dt>
        <dd className="break-all">{handoff.email ?? "—"}</dd>
        {handoff.note ? (
          <>
            <dt className="text-muted-foreground">Their note</dt>
            <dd className="whitespace-pre-wrap break-words">{handoff.note}</dd>
          </>
        ) : null}
      </dl>
      {open && canWrite ? (
        <form
          className="grid gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (text.trim()) void reply();
          }}
        >
          <Label htmlFor="handoff-reply">Your reply</Label>
          <Textarea id="handoff-reply" maxLength={REPLY_MAX_CHARS} value={text} onChange={(event) => setText(event.target.value)} />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" disabled={busy || !text.trim()}>
              Send reply
            </Button>
            <Button type="button" size="sm" variant="outline" disabled={busy} onClick={() => void close()}>
              Close hand-off
            </Button>
          </div>
        </form>
      ) : null}
      {open && !canWrite ? <p className="text-sm text-muted-foreground">Only an editor, an admin or the owner can reply.</p> : null}
      <p role="status" aria-live="polite" className={status?.failed ? "text-sm text-destructive" : "text-sm"}>
        {status?.text}
      </p>
    </section>
  );
}
