"use client";

import dynamic from "next/dynamic";
import { useSearchParams } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { EmptyState, LoadingState, QueryView } from "@/components/states";
import { useCanEditBots } from "@/features/bots/access";
import { loadBilling, loadBot } from "@/features/bots/queries";
import { useQuery } from "@/lib/use-query";

// The form (react-hook-form + zod) is its own chunk, fetched while the bot loads: it keeps
// this route's first load under the 180 KB budget, and the page shows nothing before the bot
// arrives anyway.
const BotEditor = dynamic(() => import("./bot-editor").then((m) => m.BotEditor), { ssr: false, loading: () => <LoadingState /> });

export function BotEditorLoader() {
  const id = useSearchParams().get("id") ?? "";
  const bot = useQuery(["bot", id], () => loadBot(id), id !== "");
  // The plan's models and rate ceilings: the form still works without them.
  const billing = useQuery(["billing"], loadBilling);
  const canEdit = useCanEditBots();
  if (!id)
    return (
      <>
        <PageHeader title="Configure bot" />
        <EmptyState title="No bot chosen">Pick a bot on the Bots page.</EmptyState>
      </>
    );
  return (
    <QueryView query={bot}>
      {(data) => <BotEditor key={data.id} bot={data} billing={billing.data} canEdit={canEdit} />}
    </QueryView>
  );
}
