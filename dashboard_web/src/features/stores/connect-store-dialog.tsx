"use client";

import { Plus } from "lucide-react";
import dynamic from "next/dynamic";
import { useState } from "react";
import { LoadingState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

// The form (React Hook Form + zod) loads when the dialog opens: the Stores page stays
// inside the first-load budget.
const ConnectStoreForm = dynamic(() => import("./connect-store-form"), { loading: () => <LoadingState rows={3} label="Loading the form…" /> });

export function ConnectStoreDialog({ disabled, onConnected }: { disabled?: boolean; onConnected: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button disabled={disabled}>
          <Plus aria-hidden="true" />
          Connect a store
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Connect your WooCommerce store</DialogTitle>
          <DialogDescription>Shopbot tests the keys first and keeps them only when the store accepts them.</DialogDescription>
        </DialogHeader>
        {open ? <ConnectStoreForm onConnected={onConnected} onDone={() => setOpen(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}
