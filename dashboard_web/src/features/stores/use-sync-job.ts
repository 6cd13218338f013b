"use client";

import { useEffect, useRef, useState } from "react";
import { api, unwrap } from "@/api/client";
import { isJobActive, POLL_INTERVAL_MS, type SyncJob } from "./sync-progress";

/** Follows one sync job: polls it every second while it is queued or running, and calls
 * `onFinished` once when it stops. A failed poll is kept as `error` and retried, since a
 * network blip should not lose the progress of a job that runs on the server anyway. */
export function useSyncJob(storeId: string, onFinished: (job: SyncJob) => void) {
  const [job, setJob] = useState<SyncJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const finished = useRef(onFinished);
  useEffect(() => {
    finished.current = onFinished;
  });

  const jobId = job?.id;
  const active = job ? isJobActive(job) : false;
  useEffect(() => {
    if (!jobId || !active) return;
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const next = await unwrap(
          api.GET("/v1/stores/{store_id}/sync-jobs/{job_id}", { params: { path: { store_id: storeId, job_id: jobId } } }),
        );
        if (!live) return;
        setError(null);
        setJob(next);
        if (!isJobActive(next)) finished.current(next);
      } catch (caught) {
        if (!live) return;
        setError(caught);
        setJob((current) => (current ? { ...current } : current)); // a new object re-arms the timer
      }
    }, POLL_INTERVAL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [storeId, jobId, active, job]);

  return { job, error, follow: setJob };
}
