import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { RelativeTime } from "@/components/relative-time";
import { countsText, durationText, type SyncJob } from "./sync-progress";

const STATUS_VARIANT: Record<string, "success" | "warning" | "destructive" | "secondary"> = {
  succeeded: "success",
  running: "secondary",
  queued: "secondary",
  cancelled: "warning",
  failed: "destructive",
};

export function RecentJobs({ jobs }: { jobs: SyncJob[] }) {
  if (jobs.length === 0) return <p className="text-sm text-muted-foreground">No sync has run yet. Press Sync now to import your products.</p>;
  return (
    <div className="overflow-x-auto">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">Started</TableHead>
            <TableHead scope="col">Status</TableHead>
            <TableHead scope="col">Mode</TableHead>
            <TableHead scope="col">Trigger</TableHead>
            <TableHead scope="col">Duration</TableHead>
            <TableHead scope="col">Products</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {jobs.map((job) => (
            <TableRow key={job.id}>
              <TableCell>{job.started_at ?? job.created_at ? <RelativeTime iso={(job.started_at ?? job.created_at) as string} /> : "—"}</TableCell>
              <TableCell>
                <Badge variant={STATUS_VARIANT[job.status] ?? "secondary"}>{job.status}</Badge>
              </TableCell>
              <TableCell>{job.mode}</TableCell>
              <TableCell>{job.trigger}</TableCell>
              <TableCell>{durationText(job)}</TableCell>
              <TableCell>
                <span>{countsText(job.counts)}</span>
                {job.error ? <span className="block text-destructive">{job.error}</span> : null}
                {(job.warnings ?? []).map((warning) => (
                  <span key={warning.code} className="block text-amber-900">
                    {warning.detail}
                  </span>
                ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
