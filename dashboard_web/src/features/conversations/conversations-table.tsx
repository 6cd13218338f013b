import { ThumbsDown, ThumbsUp } from "lucide-react";
import Link from "next/link";
import type { components } from "@/api/schema";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { exactTime, RelativeTime } from "@/components/relative-time";

type Summary = components["schemas"]["ConversationSummary"];

export function ConversationsTable({ conversations, botNames }: { conversations: Summary[]; botNames: Map<string, string> }) {
  return (
    <div className="overflow-x-auto">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">First question</TableHead>
            <TableHead scope="col">Started</TableHead>
            <TableHead scope="col">Bot</TableHead>
            <TableHead scope="col">Page</TableHead>
            <TableHead scope="col">Messages</TableHead>
            <TableHead scope="col">Outcome</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {conversations.map((conversation) => (
            <TableRow key={conversation.id}>
              <TableCell className="max-w-80">
                <Link href={`/conversations/view/?id=${conversation.id}`} className="line-clamp-2 font-medium text-primary underline">
                  {conversation.first_message || "(no question yet)"}
                </Link>
              </TableCell>
              <TableCell>
                {exactTime(conversation.created_at)}
                <span className="block text-xs text-muted-foreground">
                  Last message <RelativeTime iso={conversation.last_message_at} />
                </span>
              </TableCell>
              <TableCell>{botNames.get(conversation.bot_id) ?? "Deleted bot"}</TableCell>
              <TableCell className="max-w-64 truncate" title={conversation.page_url ?? undefined}>
                {conversation.page_url ? pathOf(conversation.page_url) : "—"}
              </TableCell>
              <TableCell>{conversation.message_count}</TableCell>
              <TableCell>
                <OutcomeBadges conversation={conversation} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function OutcomeBadges({ conversation }: { conversation: Summary }) {
  return (
    <div className="flex flex-wrap gap-1">
      {conversation.has_no_answer ? <Badge variant="warning">Unanswered</Badge> : <Badge variant="success">Answered</Badge>}
      {conversation.is_preview ? <Badge variant="outline">Preview</Badge> : null}
      {conversation.handoff_state === "open" ? <Badge variant="warning">Asked for a person</Badge> : null}
      {conversation.handoff_state === "closed" ? <Badge variant="outline">Hand-off closed</Badge> : null}
      {conversation.thumbs_up > 0 ? (
        <Badge variant="success">
          <ThumbsUp className="mr-1 size-3" aria-hidden="true" />
          {conversation.thumbs_up} up
        </Badge>
      ) : null}
      {conversation.thumbs_down > 0 ? (
        <Badge variant="destructive">
          <ThumbsDown className="mr-1 size-3" aria-hidden="true" />
          {conversation.thumbs_down} down
        </Badge>
      ) : null}
    </div>
  );
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}
