"use client";

import { RefreshCw } from "lucide-react";
import { useState } from "react";
import { api, unwrap } from "@/api/client";
import { describeError } from "@/api/problem";
import { ErrorState, LoadingState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useQuery } from "@/lib/use-query";
import { QuotaLink } from "@/components/quota-link";
import { RecentJobs } from "./recent-jobs";
import { isJobActive, outcomeText, progressPercent, progressText, type SyncJob } from "./sync-progress";
import { useSyncJob } from "./use-sync-job";

/** "Sync now" / "Full resync", the live progress of the running job, and the last five jobs. */
export function SyncPanel({ storeId, canWrite, onStoreChanged }: { storeId: string; canWrite: boolean; onStoreChanged: () => void }) {
  const jobs = useQuery(["sync-jobs", storeId], () =>
    unwrap(api.GET("/v1/stores/{store_id}/sync-jobs", { params: { path: { store_id: storeId }, query: { limit: 5 } } })),
  );
  const [outcome, setOutcome] = useState<string | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const { job, error: pollError, follow } = useSyncJob(storeId, (done) => {
    setOutcome(outcomeText(done));
    onStoreChanged();
    void jobs.reload();
  });
  // A job already running when the page opens (a webhook or another tab started it).
  const runningElsewhere = !job ? jobs.data?.items.find(isJobActive) : undefined;
  const current: SyncJob | null | undefined = job ?? runningElsewhere;
  const running = current ? isJobActive(current) : false;

  const start = async (mode: "incremental" | "full") => {
    setStarting(true);
    setStartError(null);
    setOutcome(null);
    try {
      const started = await unwrap(api.POST("/v1/stores/{store_id}/sync", { params: { path: { store_id: storeId } }, body: { mode } }));
      follow(started);
      void jobs.reload();
    } catch (error) {
      setStartError(error);
    } finally {
      setStarting(false);
    }
  };

  const cancel = async () => {
    if (!current) return;
    try {
      follow(await unwrap(api.POST("/v1/stores/{store_id}/sync-jobs/{job_id}/cancel", { params: { path: { store_id: storeId, job_id: current.id } } })));
    } catch (error) {
      setStartError(error);
    }
  };

  const percent = current ? progressPercent(current) : null;
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap gap-2">
        <Button size="sm" onClick={() => void start("incremental")} disabled={!canWrite || running || starting}>
          <RefreshCw aria-hidden="true" />
          Sync now
        </Button>
        <Button size="sm" variant="outline" onClick={() => void start("full")} disabled={!canWrite || running || starting}>
          Full resync
        </Button>
      </div>
      {startError ? (
        <Alert variant="destructive">
          {describeError(startError)} <QuotaLink error={startError} />
        </Alert>
      ) : null}
      {current && running ? (
        <div className="grid gap-2 rounded-md border p-3">
          <progress
            className="h-2 w-full accent-primary"
            aria-label="Sync progress"
            max={100}
            {...(percent === null ? {} : { value: percent })}
          />
          <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
            <span role="status" aria-live="polite">
              {progressText(current)}
              {percent !== null ? ` (${percent}%)` : ""}
            </span>
            <Button size="sm" variant="outline" onClick={() => void cancel()} disabled={!canWrite}>
              Cancel
            </Button>
          </div>
          {!job && runningElsewhere ? <FollowButton onClick={() => follow(runningElsewhere)} /> : null}
          {pollError ? <p className="text-sm text-destructive">Progress could not be refreshed ({describeError(pollError)}); retrying.</p> : null}
        </div>
      ) : null}
      <p role="status" aria-live="polite" className={outcome?.startsWith("Sync failed") ? "text-sm text-destructive" : "text-sm"}>
        {outcome}
      </p>
      <h3 className="text-sm font-semibold">Recent syncs</h3>
      {jobs.error ? (
        <ErrorState error={jobs.error} onRetry={() => void jobs.reload()} title="Sync history could not be loaded" />
      ) : jobs.data === undefined ? (
        <LoadingState rows={2} label="Loading sync history…" />
      ) : (
        <RecentJobs jobs={jobs.data.items} />
      )}
    </div>
  );
}

function FollowButton({ onClick }: { onClick: () => void }) {
  return (
    <Button size="sm" variant="link" className="justify-start px-0" onClick={onClick}>
      Follow this sync live
    </Button>
  );
}
