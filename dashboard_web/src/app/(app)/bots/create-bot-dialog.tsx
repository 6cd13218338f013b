"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { LoadingState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

// The form (react-hook-form + zod) is fetched when the dialog opens, which keeps the list's
// first load under the 180 KB budget.
const CreateBotForm = dynamic(() => import("./create-bot-form").then((m) => m.CreateBotForm), { ssr: false, loading: () => <LoadingState rows={1} /> });

export function CreateBotDialog({ disabled, onCreated }: { disabled: boolean; onCreated: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button disabled={disabled}>Create bot</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Create bot</DialogTitle>
          <DialogDescription>Start with a name; you configure the rest afterwards.</DialogDescription>
        </DialogHeader>
        {open ? (
          <CreateBotForm
            onCreated={() => {
              setOpen(false);
              onCreated();
            }}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
