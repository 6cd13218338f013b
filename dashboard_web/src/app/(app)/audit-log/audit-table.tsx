import type { components } from "@/api/schema";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/features/account/format";

type Entry = components["schemas"]["AuditEntryOut"];
type Member = components["schemas"]["MemberOut"];

function actorOf(entry: Entry, emails: Map<string, string>): string {
  if (entry.actor_user_id) return emails.get(entry.actor_user_id) ?? `Former member (${entry.actor_user_id.slice(0, 8)})`;
  if (entry.actor_api_key_id) return `API key ${entry.actor_api_key_id.slice(0, 8)}`;
  return "Shopbot";
}

function targetOf(entry: Entry): string {
  if (!entry.target_type && !entry.target_id) return "—";
  return [entry.target_type, entry.target_id].filter(Boolean).join(" ");
}

export function AuditTable({ entries, members, timeZone }: { entries: Entry[]; members: Member[]; timeZone: string | undefined }) {
  const emails = new Map(members.map((member) => [member.user_id, member.email]));
  return (
    <Table>
      <caption className="sr-only">Audit log entries, newest first{timeZone ? `, times in ${timeZone}` : ""}</caption>
      <TableHeader>
        <TableRow>
          <TableHead>Time{timeZone ? ` (${timeZone.replaceAll("_", " ")})` : ""}</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Client address</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {entries.map((entry) => (
          <TableRow key={entry.id}>
            <TableCell className="whitespace-nowrap">{formatDateTime(entry.created_at, timeZone)}</TableCell>
            <TableCell className="break-all">{actorOf(entry, emails)}</TableCell>
            <TableCell>
              <code>{entry.action}</code>
            </TableCell>
            <TableCell className="max-w-64 break-all text-sm">{targetOf(entry)}</TableCell>
            <TableCell className="whitespace-nowrap" title={entry.user_agent ?? undefined}>
              {entry.ip ?? "—"}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
