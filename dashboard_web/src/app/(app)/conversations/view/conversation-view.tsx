"use client";

import { ArrowLeft } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { api, unwrap } from "@/api/client";
import { PageHeader } from "@/components/page-header";
import { EmptyState, QueryView } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { HandoffPanel } from "@/features/conversations/handoff-panel";
import { Transcript } from "@/features/conversations/transcript";
import { isShopper } from "@/features/privacy/api";
import { exactTime } from "@/components/relative-time";
import { useQuery } from "@/lib/use-query";

// The shopper's data actions (and their confirmation dialog) load after the transcript: not
// first-load weight.
const ShopperData = dynamic(() => import("@/features/privacy/shopper-data").then((m) => m.ShopperData), { ssr: false });

export function ConversationView() {
  const id = useSearchParams().get("id") ?? "";
  const conversation = useQuery(
    ["conversation", id],
    () => unwrap(api.GET("/v1/conversations/{conversation_id}", { params: { path: { conversation_id: id } } })),
    Boolean(id),
  );
  const bots = useQuery(["bots"], () => unwrap(api.GET("/v1/bots", { params: { query: { limit: 100 } } })));

  return (
    <>
      <Link href="/conversations/" className="mb-4 inline-flex items-center gap-1 text-sm text-primary underline">
        <ArrowLeft className="size-4" aria-hidden="true" />
        All conversations
      </Link>
      <PageHeader title="Conversation" />
      {!id ? (
        <EmptyState title="No conversation chosen">Open one from the list of conversations.</EmptyState>
      ) : (
        <QueryView query={conversation}>
          {(data) => (
            <div className="grid gap-6">
              <dl className="grid grid-cols-1 gap-x-6 gap-y-1 rounded-lg border p-4 text-sm sm:grid-cols-[auto_1fr]">
                <dt className="text-muted-foreground">Started</dt>
                <dd>{exactTime(data.created_at)}</dd>
                <dt className="text-muted-foreground">Bot</dt>
                <dd>{bots.data?.items.find((bot) => bot.id === data.bot_id)?.name ?? "—"}</dd>
                <dt className="text-muted-foreground">Page</dt>
                <dd className="break-all">
                  {data.page_url ? (
                    <a href={data.page_url} target="_blank" rel="noopener noreferrer" className="text-primary underline">
                      {data.page_url}
                    </a>
                  ) : (
                    "Not recorded"
                  )}
                </dd>
                <dt className="text-muted-foreground">Outcome</dt>
                <dd className="flex flex-wrap gap-1">
                  {data.has_no_answer ? <Badge variant="warning">Unanswered</Badge> : <Badge variant="success">Answered</Badge>}
                  {data.is_preview ? <Badge variant="outline">Dashboard preview</Badge> : null}
                  {data.handoff_state === "open" ? <Badge variant="warning">Asked for a person</Badge> : null}
                  <span>
                    {data.message_count} messages · {data.thumbs_up} up · {data.thumbs_down} down
                  </span>
                </dd>
              </dl>
              {data.handoff ? <HandoffPanel conversationId={data.id} handoff={data.handoff} onChanged={() => void conversation.reload()} /> : null}
              <section aria-labelledby="transcript-heading" className="grid gap-3">
                <h2 id="transcript-heading" className="text-lg font-semibold">
                  Transcript
                </h2>
                <Transcript messages={data.messages} />
              </section>
              {isShopper(data) ? <ShopperData visitorId={data.visitor_id} /> : null}
            </div>
          )}
        </QueryView>
      )}
    </>
  );
}
