"use client";

import { useState } from "react";
import { api, unwrap } from "@/api/client";
import { describeError } from "@/api/problem";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { READ_ONLY_REASON } from "@/features/bots/access";
import type { BotOut } from "@/features/bots/queries";

export function RotateKeyDialog({ bot, disabled, onRotated }: { bot: BotOut; disabled: boolean; onRotated: () => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");

  async function rotate() {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST("/v1/bots/{bot_id}/widget-key/rotate", { params: { path: { bot_id: bot.id } } }));
      setOpen(false);
      setStatus("Widget key rotated. Copy the new snippet into your store.");
      onRotated();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="rotate-heading" className="grid gap-2 rounded-lg border p-4">
      <h2 id="rotate-heading" className="text-lg font-semibold">
        Widget key
      </h2>
      <p className="text-sm text-muted-foreground">If someone copied your widget onto a site you do not want, rotate the key: the current snippet stops working everywhere.</p>
      {disabled ? <p className="text-sm text-muted-foreground">{READ_ONLY_REASON}</p> : null}
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogTrigger asChild>
          <Button variant="outline" disabled={disabled} className="justify-self-start">
            Rotate widget key
          </Button>
        </DialogTrigger>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Rotate the widget key?</DialogTitle>
            <DialogDescription>
              The snippet on your store stops working at once: the widget disappears until you paste the new snippet. There is no undo.
            </DialogDescription>
          </DialogHeader>
          {error ? <Alert variant="destructive">{error}</Alert> : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button variant="destructive" onClick={() => void rotate()} disabled={busy}>
              {busy ? "Rotating…" : "Rotate key"}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
      <p role="status" className="text-sm">
        {status}
      </p>
    </section>
  );
}
