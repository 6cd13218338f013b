"use client";

import { useState, type ReactNode } from "react";
import { describeError } from "@/api/problem";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

type Common = {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
};

/** With its own trigger button (a row's "Delete"), or opened by the caller (`open`). */
type Trigger = { trigger: string; triggerLabel?: string; disabled?: boolean; open?: never; onOpenChange?: never };
type Controlled = { open: boolean; onOpenChange: (open: boolean) => void; trigger?: never; triggerLabel?: never; disabled?: never };

/** A destructive action behind one explicit confirmation: the question, the consequence;
 * the dialog stays open with the server's reason when it fails (last owner, already gone). */
export function ConfirmDialog(props: Common & (Trigger | Controlled)) {
  const [ownOpen, setOwnOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const open = props.open ?? ownOpen;
  const setOpen = (next: boolean) => {
    if (!next) setError(null);
    if (props.onOpenChange) props.onOpenChange(next);
    else setOwnOpen(next);
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      setOpen(false);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {props.trigger ? (
        <DialogTrigger asChild>
          <Button size="sm" variant="outline" className="text-destructive" disabled={props.disabled} aria-label={props.triggerLabel}>
            {props.trigger}
          </Button>
        </DialogTrigger>
      ) : null}
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogDescription>{props.description}</DialogDescription>
        </DialogHeader>
        {error ? <Alert variant="destructive">{describeError(error)}</Alert> : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant="destructive" disabled={busy} onClick={() => void confirm()}>
            {busy ? "Working…" : props.confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
