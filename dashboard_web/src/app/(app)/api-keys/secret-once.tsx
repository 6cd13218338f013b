"use client";

import { Copy } from "lucide-react";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";

/** The new key's secret, the one time it exists outside its hash. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<string>("");

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("Copied to the clipboard.");
    } catch {
      setCopied("Copying was blocked by the browser: select the key and copy it by hand.");
    }
  };

  return (
    <>
      <DialogHeader>
        <DialogTitle>Your new API key</DialogTitle>
        <DialogDescription>Store it in your password manager or secret store now: Shopbot keeps only its hash.</DialogDescription>
      </DialogHeader>
      <Alert variant="warning">This key is shown only once</Alert>
      <div className="grid gap-1.5">
        <Label htmlFor="new-api-key-secret">API key</Label>
        <div className="flex gap-2">
          <input
            id="new-api-key-secret"
            readOnly
            value={secret}
            onFocus={(event) => event.currentTarget.select()}
            className="h-10 min-w-0 flex-1 rounded-md border border-input bg-muted px-3 font-mono text-sm"
          />
          <Button type="button" variant="outline" onClick={() => void copy()}>
            <Copy aria-hidden="true" />
            Copy
          </Button>
        </div>
        <p role="status" className="text-sm">
          {copied}
        </p>
      </div>
      <DialogFooter>
        <Button onClick={onDone}>Done</Button>
      </DialogFooter>
    </>
  );
}
