"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { LoadingState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

const UpdateCredentialsForm = dynamic(() => import("./update-credentials-form"), { loading: () => <LoadingState rows={2} label="Loading the form…" /> });

export function UpdateCredentialsDialog({ storeId, disabled, onUpdated }: { storeId: string; disabled?: boolean; onUpdated: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" disabled={disabled}>
          Update credentials
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Update credentials</DialogTitle>
          <DialogDescription>Shopbot tests the new keys first; the current keys stay if the test fails.</DialogDescription>
        </DialogHeader>
        {open ? <UpdateCredentialsForm storeId={storeId} onUpdated={onUpdated} onDone={() => setOpen(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}
