// What a sync job means to a merchant, as pure functions the panel and the tests share.
import type { components } from "@/api/schema";

export type SyncJob = components["schemas"]["SyncJobOut"];

export const POLL_INTERVAL_MS = 1000;

/** A job still moving: poll it, and offer Cancel. */
export function isJobActive(job: Pick<SyncJob, "status">): boolean {
  return job.status === "queued" || job.status === "running";
}

/** 0–100 once the total is known; null while it is not (an indeterminate bar). */
export function progressPercent(job: Pick<SyncJob, "progress" | "processed" | "total">): number | null {
  if (typeof job.progress === "number") return Math.round(Math.min(1, Math.max(0, job.progress)) * 100);
  if (job.total && job.total > 0) return Math.round(Math.min(1, job.processed / job.total) * 100);
  return null;
}

export function progressText(job: Pick<SyncJob, "status" | "processed" | "total">): string {
  if (job.status === "queued") return "Waiting to start…";
  if (job.total != null) return `${job.processed} of ${job.total} products`;
  return `${job.processed} products so far`;
}

/** The sentence shown when a job stops; null while it runs. */
export function outcomeText(job: Pick<SyncJob, "status" | "error">): string | null {
  switch (job.status) {
    case "succeeded":
      return "Sync completed";
    case "failed":
      return `Sync failed: ${job.error || "the store did not answer as expected."}`;
    case "cancelled":
      return "Sync cancelled";
    default:
      return null;
  }
}

/** "12 created, 3 updated" from the job's counts (zeros left out). */
export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, value]) => value > 0)
    .map(([name, value]) => `${value} ${name.replace(/_/g, " ")}`);
  return parts.length ? parts.join(", ") : "No changes";
}

export function durationText(job: Pick<SyncJob, "started_at" | "finished_at">): string {
  if (!job.started_at || !job.finished_at) return "—";
  const seconds = Math.max(0, Math.round((Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
