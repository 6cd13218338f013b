"use client";

import { Download } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { describeError } from "@/api/problem";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button } from "@/components/ui/button";
import { atLeast } from "@/features/account/roles";
import { useAuth } from "@/stores/auth";
import { deleteVisitorData, downloadVisitorData } from "./api";

import { AFTER_DELETE_HREF } from "./deleted-notice";

/** A shopper's access or erasure request, answered from their conversation: download
 * everything held about them (any role), or delete it (admins and the owner, as the API). */
export function ShopperData({ visitorId }: { visitorId: string }) {
  const router = useRouter();
  const canDelete = atLeast(useAuth((state) => state.me?.role), "admin");
  const [downloading, setDownloading] = useState(false);
  const [status, setStatus] = useState<{ text: string; failed: boolean } | null>(null);

  const download = async () => {
    setDownloading(true);
    setStatus({ text: "Preparing the file…", failed: false });
    try {
      setStatus({ text: `Downloaded ${await downloadVisitorData(visitorId)}`, failed: false });
    } catch (error) {
      setStatus({ text: `The download failed: ${describeError(error)}`, failed: true });
    } finally {
      setDownloading(false);
    }
  };

  const erase = async () => {
    await deleteVisitorData(visitorId);
    router.push(AFTER_DELETE_HREF);
  };

  return (
    <section aria-labelledby="shopper-data-heading" className="grid gap-3 rounded-lg border p-4">
      <h2 id="shopper-data-heading" className="text-lg font-semibold">
        Shopper&apos;s data
      </h2>
      <p className="text-sm text-muted-foreground">
        For a shopper who asks what you hold about them, or asks you to delete it. This covers every conversation this shopper had with any of your bots.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="outline" size="sm" onClick={() => void download()} disabled={downloading}>
          <Download aria-hidden="true" />
          {downloading ? "Preparing…" : "Download their data"}
        </Button>
        <ConfirmDialog
          trigger="Delete their data"
          disabled={!canDelete}
          title="Delete this shopper's data?"
          description="Every conversation this shopper had with any of your bots goes for good: their messages and the answers, their ratings, and their widget events (clicks and add to cart). Anonymous analytics totals are kept. This cannot be undone."
          confirmLabel="Delete their data"
          onConfirm={erase}
        />
      </div>
      {!canDelete ? <p className="text-sm text-muted-foreground">Only an admin or the owner can delete a shopper&apos;s data.</p> : null}
      <p role="status" aria-live="polite" className={status?.failed ? "text-sm text-destructive" : "text-sm"}>
        {status?.text}
      </p>
    </section>
  );
}
