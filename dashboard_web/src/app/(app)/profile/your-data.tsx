"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { describeError } from "@/api/problem";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { atLeast } from "@/features/account/roles";
import { useAuth } from "@/stores/auth";
import { downloadAllData } from "./download-export";

// The dialog and its form load only when an owner opens it: not first-load weight.
const DeleteBusinessDialog = dynamic(() => import("./delete-business-dialog").then((module) => module.DeleteBusinessDialog), {
  ssr: false,
});

/** "Your data": the whole account as a zip (owner, admin) and the business's deletion
 * (owner only). */
export function YourData({ businessName }: { businessName: string }) {
  const role = useAuth((state) => state.me?.role);
  const canExport = atLeast(role, "admin");
  const isOwner = role === "owner";
  const [downloading, setDownloading] = useState(false);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  const download = async () => {
    setDownloading(true);
    setError(null);
    setStatus("Preparing your archive…");
    try {
      const filename = await downloadAllData();
      setStatus(`Downloaded ${filename}`);
    } catch (failure) {
      setStatus("");
      setError(describeError(failure));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Card className="mt-6">
      <CardHeader>
        <CardTitle>Your data</CardTitle>
        <CardDescription>
          Everything this business holds, as a zip of JSON Lines files: profile, bots, stores (without credentials), documents,
          conversations and events.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {error ? <Alert variant="destructive">{error}</Alert> : null}
        <div className="flex flex-wrap items-center gap-3">
          <Button variant="outline" onClick={() => void download()} disabled={!canExport || downloading}>
            {downloading ? "Preparing…" : "Download all data"}
          </Button>
          <p role="status" className="text-sm text-muted-foreground">
            {status}
          </p>
        </div>
        {!canExport ? <p className="text-sm text-muted-foreground">Only an owner or admin can download all data.</p> : null}
        <div className="grid gap-2 border-t pt-4">
          <h3 className="font-medium">Delete this business</h3>
          <p className="text-sm text-muted-foreground">
            Removes the business and all its data for good, cancels its subscription and signs everyone out.
          </p>
          <div>
            <Button variant="destructive" onClick={() => setDeleting(true)} disabled={!isOwner}>
              Delete this business
            </Button>
          </div>
          {!isOwner ? <p className="text-sm text-muted-foreground">Only an owner can delete the business.</p> : null}
        </div>
        {deleting ? <DeleteBusinessDialog businessName={businessName} open={deleting} onOpenChange={setDeleting} /> : null}
      </CardContent>
    </Card>
  );
}
